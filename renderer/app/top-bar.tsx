import { useRoot } from '../stores/root-store';
import { TrustBadge } from '../features/workspace/trust-badge';
import { BrandMark } from './icons';
import { SandboxBadge } from './sandbox-badge';

/** Product name, the open workspace and the host the window runs in. */
export function TopBar() {
  const workspace = useRoot((s) => s.workspace);
  const host = useRoot((s) => s.info?.host ?? null);
  const closeWorkspace = useRoot((s) => s.closeWorkspace);
  const settingsOpen = useRoot((s) => s.settingsOpen);
  const openSettings = useRoot((s) => s.openSettings);
  const closeSettings = useRoot((s) => s.closeSettings);
  return (
    <header className="top-bar" role="banner">
      <div className="brand">
        <BrandMark className="brand-mark" />
        <span className="brand-name">VT Code Desktop</span>
      </div>
      <div className="top-workspace" aria-label="Current workspace">
        {workspace ? (
          <>
            <span className="workspace-name" title={workspace.name}>
              {workspace.name}
            </span>
            <span className="workspace-path" title={workspace.path}>
              {workspace.path}
            </span>
            <button
              type="button"
              className="link-button"
              onClick={() => void closeWorkspace(window.sessionStorage)}
            >
              Close
            </button>
          </>
        ) : (
          <span className="muted">No workspace open</span>
        )}
      </div>
      <div className="top-host">
        {workspace && <TrustBadge />}
        {workspace && <SandboxBadge />}
        {host === 'browser' && (
          <span className="pill" title="Served by the headless host on this machine">
            Browser mode
          </span>
        )}
        {host === 'electron' && <span className="pill">Desktop</span>}
        <button
          id="settings-button"
          type="button"
          aria-expanded={settingsOpen}
          onClick={settingsOpen ? closeSettings : openSettings}
        >
          Settings
        </button>
      </div>
    </header>
  );
}
