import { useEffect } from 'react';
import { useRoot } from '../../stores/root-store';
import { filterSessions, selectSessionList } from '../../stores/sessions-slice';
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
  const setFilter = useRoot((s) => s.setSessionFilter);
  const activeId = useRoot((s) => s.activeSession?.id ?? null);
  const opening = useRoot((s) => s.sessionOpening.state === 'opening');
  const startSession = useRoot((s) => s.startSession);
  const error = useRoot((s) => s.sessionsError);
  const dismiss = useRoot((s) => s.dismissSessionsError);
  const shown = filterSessions(list, filter);

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
          placeholder="Search by title"
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
      {sessions.state === 'error' ? (
        <p className="form-error small" role="alert">
          {sessions.message}
        </p>
      ) : list.length === 0 ? (
        <p className="muted small">
          {sessions.state === 'ready' ? 'No sessions here yet.' : 'Loading…'}
        </p>
      ) : shown.length === 0 ? (
        <p className="muted small">No session title contains “{filter.trim()}”.</p>
      ) : (
        <ul className="sessions" aria-label="Sessions of this workspace">
          {shown.map((session) => (
            <SessionRow key={session.id} session={session} active={session.id === activeId} />
          ))}
        </ul>
      )}
    </>
  );
}
