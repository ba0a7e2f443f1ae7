import { useState } from 'react';
import type { SessionSummary } from '../../../shared/domain/agent';
import type { SessionMatch } from '../../../shared/domain/agent-bridge';
import { useRoot } from '../../stores/root-store';

type Mode = 'view' | 'rename' | 'confirm-delete';

function download(markdown: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([markdown], { type: 'text/markdown' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // Revoked on the next turn of the event loop, after the browser has taken the file.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

const WHERE: Record<SessionMatch['where'], string> = {
  title: 'Title',
  user: 'You',
  assistant: 'Agent',
  tool: 'Tool',
};

/** Where a search matched, the match highlighted (text only: nothing here is HTML). */
function Snippet({ match }: { match: SessionMatch }) {
  return (
    <span className="session-snippet">
      <span className="snippet-where">
        {match.where === 'tool' && match.label ? match.label : WHERE[match.where]}
      </span>{' '}
      {match.before}
      <mark>{match.match}</mark>
      {match.after}
    </span>
  );
}

/**
 * One session: open it, or rename, export or delete it (delete asks first). With `matches`
 * (a search), the places it matched are shown under it.
 */
export function SessionRow({
  session,
  active,
  matches = [],
  more = 0,
}: {
  session: SessionSummary;
  active: boolean;
  matches?: readonly SessionMatch[];
  more?: number;
}) {
  const resumeSession = useRoot((s) => s.resumeSession);
  const renameSession = useRoot((s) => s.renameSession);
  const deleteSession = useRoot((s) => s.deleteSession);
  const exportSession = useRoot((s) => s.exportSession);
  const [mode, setMode] = useState<Mode>('view');
  const [title, setTitle] = useState(session.title);
  const updated = new Date(session.updatedAt);
  // A title match is shown in the title itself, the others below it.
  const titleMatch = matches.find((m) => m.where === 'title');
  const textMatches = matches.filter((m) => m.where !== 'title');

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
        <span className="session-title">
          {titleMatch ? (
            <>
              {titleMatch.before}
              <mark>{titleMatch.match}</mark>
              {titleMatch.after}
            </>
          ) : (
            session.title
          )}
        </span>
        <span className="session-meta">
          {session.turns} turn{session.turns === 1 ? '' : 's'} ·{' '}
          <time dateTime={session.updatedAt}>{updated.toLocaleString()}</time>
          {session.model ? ` · ${session.model}` : ''}
        </span>
        {textMatches.map((m, i) => (
          <Snippet key={i} match={m} />
        ))}
        {more > 0 && (
          <span className="session-snippet muted">
            and {more} more match{more === 1 ? '' : 'es'}
          </span>
        )}
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
            onClick={() => void exportSession(session.id, download)}
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
