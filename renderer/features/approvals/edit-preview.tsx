import type { ApprovalEdits, ApprovalFile } from '../../../shared/domain/agent';
import { DiffBody } from '../conversation/diff-body';

const CHANGE: Record<ApprovalFile['change'], string> = {
  add: 'new file',
  modify: 'changed',
  delete: 'deleted',
  move: 'moved',
};

function counts(f: ApprovalFile): string {
  if (f.change === 'delete') return `−${f.removed}`;
  if (f.change === 'add') return `+${f.added}`;
  return `+${f.added} −${f.removed}`;
}

/** The files a file-edit call would change, each with its diff, before anything is written. */
export function EditPreview({ edits }: { edits: ApprovalEdits }) {
  return (
    <div className="approval-edits">
      {edits.error !== null && (
        <p className="form-error approval-edit-error" role="alert">
          This change cannot be applied as asked: {edits.error}. Nothing has been written; if you
          allow it, the tool fails and the agent is told why.
        </p>
      )}
      {edits.files.map((f, i) => (
        <section
          key={`${i}:${f.path}`}
          className="file-diff approval-file"
          aria-label={`Proposed change to ${f.path}`}
        >
          <div className="file-diff-header">
            <code className="file-diff-path">{f.path}</code>
            <span className="muted small">
              {CHANGE[f.change]}
              {f.movedFrom !== null && ` from ${f.movedFrom}`} · {counts(f)}
            </span>
          </div>
          {!f.inWorkspace && (
            <p className="approval-file-warning small">Outside the workspace folder.</p>
          )}
          {f.warning !== null && (
            <p className="approval-file-warning small">Protected: {f.warning}.</p>
          )}
          {f.lines.length > 0 && (
            <DiffBody lines={f.lines} label={`Proposed changes to ${f.path}`} />
          )}
          {f.lines.length === 0 && f.note === null && (
            <p className="muted small approval-file-note">
              {f.change === 'move' ? 'Moved unchanged.' : 'No change to the text.'}
            </p>
          )}
          {f.note !== null && <p className="muted small approval-file-note">{f.note}</p>}
        </section>
      ))}
    </div>
  );
}
