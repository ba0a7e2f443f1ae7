import { WorkspacePicker } from '../workspace/workspace-picker';
import { useRoot } from '../../stores/root-store';

/** The left sidebar: the workspace and its sessions. */
export function SessionsPanel() {
  const workspace = useRoot((s) => s.workspace);
  return (
    <nav className="sidebar" aria-label="Sessions">
      <WorkspacePicker />
      <section className="session-list" aria-label="Session list">
        <h2>Sessions</h2>
        {workspace ? (
          <p className="muted small">No sessions in {workspace.name} yet.</p>
        ) : (
          <p className="muted small">Open a workspace to see its sessions.</p>
        )}
      </section>
    </nav>
  );
}
