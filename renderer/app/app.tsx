import { useEffect } from 'react';
import { ApprovalDialog } from '../features/approvals/approval-dialog';
import { TrustDialog } from '../features/workspace/trust-dialog';
import { MarkdownWarmup } from '../features/conversation/markdown-warmup';
import { ConversationPanel } from '../features/conversation/conversation-panel';
import { PolicyPanel } from '../features/policy/policy-panel';
import { SessionsPanel } from '../features/sessions/sessions-panel';
import { SettingsPanel } from '../features/settings/settings-panel';
import { StatusBar } from '../features/status/status-bar';
import { TerminalPanel } from '../features/terminal/terminal-panel';
import { FolderBrowser } from '../features/workspace/folder-browser';
import { TopBar } from './top-bar';
import { useRoot } from '../stores/root-store';

/** The app shell: top bar, sessions sidebar, conversation, policy and terminal panels, status bar. */
export function App() {
  const loadAppInfo = useRoot((s) => s.loadAppInfo);
  const checkHealth = useRoot((s) => s.checkHealth);
  const loadRecent = useRoot((s) => s.loadRecent);
  const restoreWorkspace = useRoot((s) => s.restoreWorkspace);
  const connection = useRoot((s) => s.connection);
  const connectionError = useRoot((s) => s.connectionError);
  const browserOpen = useRoot((s) => s.browser !== null);
  const settingsOpen = useRoot((s) => s.settingsOpen);
  const side = useRoot((s) => s.sidePanel);
  const setSide = useRoot((s) => s.setSidePanel);

  useEffect(() => {
    void loadAppInfo();
    void checkHealth();
    void loadRecent();
    void restoreWorkspace(window.sessionStorage);
  }, [loadAppInfo, checkHealth, loadRecent, restoreWorkspace]);

  return (
    <div className="shell">
      <TopBar />
      {connection === 'closed' && (
        <div className="banner banner-error" role="alert">
          {connectionError ?? 'Disconnected from the host.'}
        </div>
      )}
      <div className="shell-body">
        <SessionsPanel />
        <ConversationPanel />
        <MarkdownWarmup />
        <aside className="side-panels" aria-label="Inspector">
          <div className="tabs" role="tablist" aria-label="Inspector panels">
            <button
              type="button"
              role="tab"
              aria-selected={side === 'policy'}
              aria-controls="panel-policy"
              onClick={() => setSide('policy')}
            >
              Policy
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={side === 'terminal'}
              aria-controls="panel-terminal"
              onClick={() => setSide('terminal')}
            >
              Terminal
            </button>
          </div>
          <PolicyPanel hidden={side !== 'policy'} />
          <TerminalPanel hidden={side !== 'terminal'} />
        </aside>
      </div>
      <StatusBar />
      {settingsOpen && <SettingsPanel />}
      {browserOpen && <FolderBrowser />}
      <ApprovalDialog />
      <TrustDialog />
    </div>
  );
}
