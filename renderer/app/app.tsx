import { lazy, Suspense, useEffect, useRef, type CSSProperties } from 'react';
import { MarkdownWarmup } from '../features/conversation/markdown-warmup';
import { ConversationPanel } from '../features/conversation/conversation-panel';
import { PolicyPanel } from '../features/policy/policy-panel';
import { SessionsPanel } from '../features/sessions/sessions-panel';
import { StatusBar } from '../features/status/status-bar';
import { TerminalPanel } from '../features/terminal/terminal-panel';
import { approvalDialogPart, preloadDeferredParts, trustDialogPart } from './deferred-parts';
import { SPLITTER_WIDTH } from './pane-sizes';
import { Splitter } from './splitter';
import { TopBar } from './top-bar';
import { usePaneLayout, type PaneControl } from './use-pane-layout';
import { useRoot } from '../stores/root-store';

// Sheets that open on demand load when first opened (issue 18: a lean first screen).
const SettingsPanel = lazy(() =>
  import('../features/settings/settings-panel').then((m) => ({ default: m.SettingsPanel })),
);
const ApprovalDialog = approvalDialogPart.Component;
const TrustDialog = trustDialogPart.Component;
const FolderBrowser = lazy(() =>
  import('../features/workspace/folder-browser').then((m) => ({ default: m.FolderBrowser })),
);

/** The app shell: top bar, sessions sidebar, conversation, policy and terminal panels, status bar. */
export function App() {
  const connection = useRoot((s) => s.connection);
  const connectionError = useRoot((s) => s.connectionError);
  const browserOpen = useRoot((s) => s.browser !== null);
  const settingsOpen = useRoot((s) => s.settingsOpen);
  const side = useRoot((s) => s.sidePanel);
  const hasWorkspace = useRoot((s) => s.workspace !== null);
  const asking = useRoot((s) => s.approvals.length + s.hostAsks.length > 0);
  const trustOpen = useRoot((s) => s.workspace !== null && s.trustDialogOpen);
  const setSide = useRoot((s) => s.setSidePanel);
  const body = useRef<HTMLDivElement>(null);
  // What the first screen leaves out loads while the page is idle after it (issue 18).
  useEffect(preloadDeferredParts, []);
  const panes = usePaneLayout(body);

  const columns = `${panes.shown.sidebar}px ${SPLITTER_WIDTH}px minmax(0, 1fr) ${SPLITTER_WIDTH}px ${panes.shown.inspector}px`;
  // The Settings sheet opens over the inspector, at least as wide as it.
  const shellStyle = { '--inspector-width': `${panes.shown.inspector}px` } as CSSProperties;

  return (
    <div className="shell" style={shellStyle}>
      <TopBar />
      {connection === 'closed' && (
        <div className="banner banner-error" role="alert">
          {connectionError ?? 'Disconnected from the host.'}
        </div>
      )}
      <div ref={body} className="shell-body" style={{ gridTemplateColumns: columns }}>
        <div id="pane-sidebar" className="pane-sidebar">
          <SessionsPanel />
        </div>
        <Splitter
          label="Resize the sessions sidebar"
          controls="pane-sidebar"
          grows={1}
          {...splitterProps(panes.sidebar)}
        />
        <ConversationPanel />
        <Splitter
          label="Resize the inspector"
          controls="pane-inspector"
          grows={-1}
          {...splitterProps(panes.inspector)}
        />
        <aside id="pane-inspector" className="side-panels" aria-label="Inspector">
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
      {/* Answers need a workspace: the Markdown chunk warms up once one is open (issue 18). */}
      {hasWorkspace && <MarkdownWarmup />}
      <StatusBar />
      <Suspense fallback={null}>
        {settingsOpen && <SettingsPanel />}
        {browserOpen && <FolderBrowser />}
      </Suspense>
      <Suspense fallback={null}>
        {asking && <ApprovalDialog />}
        {trustOpen && <TrustDialog />}
      </Suspense>
    </div>
  );
}

function splitterProps(pane: PaneControl) {
  return {
    value: pane.value,
    min: pane.min,
    max: pane.max,
    onResize: pane.resize,
    onReset: pane.reset,
  };
}
