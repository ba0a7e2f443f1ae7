import { startTransition, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { ErrorBoundary } from './app/error-boundary';
import { connectBridge } from './bridge';
import { installTerminalBenchHook } from './features/terminal/bench-hook';
import { createRootStore, StoreContext, type RootStore } from './stores/root-store';
import './app/app.css';
import './app/theme.css';

let store: RootStore | null = null;
const { api } = connectBridge((state, reason) => store?.getState().setConnection(state, reason));
store = createRootStore(api);
const events = api.workspace.onChanged(({ workspace }) =>
  store?.getState().workspaceChanged(workspace),
);
window.addEventListener('beforeunload', events);
const stopPolicy = api.policy.onChanged(({ snapshot }) =>
  store?.getState().policyChanged(snapshot),
);
window.addEventListener('beforeunload', stopPolicy);
const stopActivity = api.policy.onActivityAdded((read) => store?.getState().activityAdded(read));
window.addEventListener('beforeunload', stopActivity);
const stopRunner = store.getState().subscribeRunner();
const stopNetwork = store.getState().subscribeNetwork();
const stopMcp = store.getState().subscribeMcp();
installTerminalBenchHook(
  window,
  store.getState().terminalOutput,
  () => store?.getState().terminal.active ?? null,
);
const stopAgent = api.agent.onEvent((message) => store?.getState().agentEvent(message));
window.addEventListener('beforeunload', stopAgent);
const stopTheme = store.getState().initTheme({
  storage: window.localStorage,
  root: document.documentElement,
  media: window.matchMedia('(prefers-color-scheme: dark)'),
});
window.addEventListener('beforeunload', () => {
  stopRunner();
  stopNetwork();
  stopMcp();
  stopTheme();
});

// What the first screen shows is asked for now, not after React's first render: the requests go
// out the moment the socket opens, while React is still drawing (issue 18).
void store.getState().loadAppInfo();
void store.getState().loadRecent();
void store.getState().restoreWorkspace(window.sessionStorage);

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);
// A transition renders in slices: the socket's open event and the first screen's requests get in
// between them instead of waiting for the whole first render (issue 18).
startTransition(() =>
  root.render(
    <StrictMode>
      <ErrorBoundary>
        <StoreContext.Provider value={store}>
          <App />
        </StoreContext.Provider>
      </ErrorBoundary>
    </StrictMode>,
  ),
);
