import { useMemo } from 'react';
import type { FileChangeView } from './conversation-reducer';
import { changeSummary, diffLines } from '../../../shared/domain/diff-lines';

/** One file change: its diff and a Revert button (gone once reverted). */
export function FileDiff({
  change,
  onRevert,
}: {
  change: FileChangeView;
  onRevert: (changeId: string) => void;
}) {
  const lines = useMemo(
    () => diffLines(change.path, change.before, change.after),
    [change.path, change.before, change.after],
  );
  return (
    <div className={`file-diff${change.reverted ? ' reverted' : ''}`}>
      <div className="file-diff-header">
        <code className="file-diff-path">{change.path}</code>
        <span className="muted small">{changeSummary(change.before, change.after, lines)}</span>
        <span className="spacer" />
        {change.reverted ? (
          <span className="muted small">Reverted</span>
        ) : (
          <button
            type="button"
            aria-label={`Revert ${change.path}`}
            onClick={() => onRevert(change.changeId)}
          >
            Revert
          </button>
        )}
      </div>
      <pre className="diff-body" aria-label={`Changes to ${change.path}`}>
        {lines.map((line, i) => (
          <div key={i} className={`diff-${line.kind}`}>
            <span aria-hidden="true" className="diff-sign">
              {line.kind === 'add'
                ? '+'
                : line.kind === 'del'
                  ? '−'
                  : line.kind === 'hunk'
                    ? ''
                    : ' '}
            </span>
            {line.kind === 'add' && <span className="visually-hidden">added: </span>}
            {line.kind === 'del' && <span className="visually-hidden">removed: </span>}
            {line.text}
          </div>
        ))}
      </pre>
    </div>
  );
}
