import { useMemo } from 'react';
import type { FileChangeView } from './conversation-reducer';
import { DiffBody } from './diff-body';
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
      <DiffBody lines={lines} label={`Changes to ${change.path}`} />
    </div>
  );
}
