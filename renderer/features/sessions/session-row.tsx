import { useState } from 'react';
import type { SessionSummary } from '../../../shared/domain/agent';
import { useRoot } from '../../stores/root-store';

type Mode = 'view' | 'rename' | 'confirm-delete';

/** A file name for an export: the title's letters and digits, then `.md`. */
export function exportFileName(title: string): string {
  const base = title
    .trim()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${base || 'session'}.md`;
}

function download(markdown: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([markdown], { type: 'text/markdown' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // Revoked on the next turn of the event loop, after the browser has taken the file.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** One session: open it, or rename, export or delete it (delete asks first). */
export function SessionRow({ session, active }: { session: SessionSummary; active: boolean }) {
  const resumeSession = useRoot((s) => s.resumeSession);
  const renameSession = useRoot((s) => s.renameSession);
  const deleteSession = useRoot((s) => s.deleteSession);
  const exportSession = useRoot((s) => s.exportSession);
  const [mode, setMode] = useState<Mode>('view');
  const [title, setTitle] = useState(session.title);
  const updated = new Date(session.updatedAt);

  if (mode === 'rename') {
    return (
      <li className="session-row editing">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void renameSession(session.id, title).then((ok) => ok && setMode('view'));
          }}
        >
          <input
            aria-label={`New title for ${session.title}`}
            value={title}
            autoFocus
            onChange={(e) => setTitle(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setMode('view')}
          />
          <div className="session-actions">
            <button type="submit" className="primary">
              Save
            </button>
            <button type="button" onClick={() => setMode('view')}>
              Cancel
            </button>
          </div>
        </form>
      </li>
    );
  }

  return (
    <li className={`session-row${active ? ' active' : ''}`}>
      <button
        type="button"
        className="session-open"
        aria-current={active ? 'true' : undefined}
        onClick={() => void resumeSession(session.id)}
      >
        <span className="session-title">{session.title}</span>
        <span className="session-meta">
          {session.turns} turn{session.turns === 1 ? '' : 's'} ·{' '}
          <time dateTime={session.updatedAt}>{updated.toLocaleString()}</time>
          {session.model ? ` · ${session.model}` : ''}
        </span>
      </button>
      {mode === 'confirm-delete' ? (
        <div
          className="session-actions confirm"
          role="group"
          aria-label={`Delete ${session.title}?`}
        >
          <span className="small">Delete for good?</span>
          <button type="button" className="danger" onClick={() => void deleteSession(session.id)}>
            Delete
          </button>
          <button type="button" onClick={() => setMode('view')}>
            Keep
          </button>
        </div>
      ) : (
        <div className="session-actions">
          <button
            type="button"
            className="icon-button"
            aria-label={`Rename ${session.title}`}
            onClick={() => {
              setTitle(session.title);
              setMode('rename');
            }}
          >
            Rename
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={`Export ${session.title} as Markdown`}
            onClick={() =>
              void exportSession(session.id).then(
                (md) => md !== null && download(md, exportFileName(session.title)),
              )
            }
          >
            Export
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={`Delete ${session.title}`}
            onClick={() => setMode('confirm-delete')}
          >
            Delete
          </button>
        </div>
      )}
    </li>
  );
}
