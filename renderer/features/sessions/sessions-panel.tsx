import { useEffect } from 'react';
import { useRoot } from '../../stores/root-store';
import type { SessionSummary } from '../../../shared/domain/agent';
import { filterSessions, selectSessionList, type SessionSearch } from '../../stores/sessions-slice';
import { WorkspacePicker } from '../workspace/workspace-picker';
import { SessionRow } from './session-row';
import './sessions.css';

/** The left sidebar: the workspace and its sessions. */
export function SessionsPanel() {
  const workspacePath = useRoot((s) => s.workspace?.path ?? null);
  const loadSessions = useRoot((s) => s.loadSessions);
  const closeSession = useRoot((s) => s.closeSession);

  // Another workspace: its own sessions, and no conversation carried over.
  useEffect(() => {
    closeSession();
    if (workspacePath) void loadSessions();
  }, [workspacePath, loadSessions, closeSession]);

  return (
    <nav className="sidebar" aria-label="Sessions">
      <WorkspacePicker />
      <section className="session-list" aria-labelledby="session-list-title">
        <h2 id="session-list-title">Sessions</h2>
        {workspacePath ? (
          <SessionList />
        ) : (
          <p className="muted small">Open a workspace to see its sessions.</p>
        )}
      </section>
    </nav>
  );
}

function SessionList() {
  const sessions = useRoot((s) => s.sessions);
  const list = useRoot(selectSessionList);
  const filter = useRoot((s) => s.sessionFilter);
  const search = useRoot((s) => s.sessionSearch);
  const setFilter = useRoot((s) => s.setSessionFilter);
  const activeId = useRoot((s) => s.activeSession?.id ?? null);
  const opening = useRoot((s) => s.sessionOpening.state === 'opening');
  const startSession = useRoot((s) => s.startSession);
  const error = useRoot((s) => s.sessionsError);
  const dismiss = useRoot((s) => s.dismissSessionsError);
  const notice = useRoot((s) => s.sessionsNotice);
  const dismissNotice = useRoot((s) => s.dismissSessionsNotice);
  const query = filter.trim();

  return (
    <>
      <div className="session-tools">
        <button
          type="button"
          className="primary"
          disabled={opening}
          onClick={() => void startSession()}
        >
          New session
        </button>
        <input
          type="search"
          aria-label="Search sessions"
          aria-describedby="session-search-status"
          placeholder="Search"
          title="Search titles, messages, commands and outputs"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </div>
      {error && (
        <p className="form-error small" role="alert">
          {error}{' '}
          <button type="button" className="link-button" onClick={dismiss}>
            Dismiss
          </button>
        </p>
      )}
      {notice && (
        <p className="session-notice small" role="status">
          {notice}{' '}
          <button type="button" className="link-button" onClick={dismissNotice}>
            Dismiss
          </button>
        </p>
      )}
      {sessions.state === 'error' ? (
        <p className="form-error small" role="alert">
          {sessions.message}
        </p>
      ) : list.length === 0 ? (
        <p className="muted small">
          {sessions.state === 'ready'
            ? 'No sessions here yet: your first message starts one.'
            : 'Loading…'}
        </p>
      ) : query ? (
        <SearchResults query={query} search={search} list={list} activeId={activeId} />
      ) : (
        <ul className="sessions" aria-label="Sessions of this workspace">
          {list.map((session) => (
            <SessionRow key={session.id} session={session} active={session.id === activeId} />
          ))}
        </ul>
      )}
    </>
  );
}

/**
 * The sessions matching the search: the host's full-text answer when it is in for this text;
 * until then, the titles that match, said to be so.
 */
function SearchResults({
  query,
  search,
  list,
  activeId,
}: {
  query: string;
  search: SessionSearch;
  list: readonly SessionSummary[];
  activeId: string | null;
}) {
  const result = search.state === 'ready' && search.result.query === query ? search.result : null;
  let status: string;
  if (result) {
    const n = result.hits.length;
    status =
      n === 0
        ? `No session mentions “${query}”.`
        : `${result.truncated ? 'First ' : ''}${n} session${n === 1 ? '' : 's'} mention${n === 1 ? 's' : ''} “${query}”.`;
    if (result.unreadable > 0)
      status += ` ${result.unreadable} could not be read and ${result.unreadable === 1 ? 'is' : 'are'} left out.`;
  } else if (search.state === 'error') {
    status = `Searched titles only: ${search.message}`;
  } else {
    status = 'Searching messages…';
  }
  const rows = result
    ? result.hits.map((hit) => ({ session: hit.session, matches: hit.matches, more: hit.more }))
    : filterSessions(list, query).map((session) => ({ session, matches: [], more: 0 }));
  return (
    <>
      <p id="session-search-status" className="muted small" role="status">
        {status}
      </p>
      {rows.length > 0 && (
        <ul className="sessions" aria-label="Sessions of this workspace">
          {rows.map((row) => (
            <SessionRow
              key={row.session.id}
              session={row.session}
              active={row.session.id === activeId}
              matches={row.matches}
              more={row.more}
            />
          ))}
        </ul>
      )}
    </>
  );
}
