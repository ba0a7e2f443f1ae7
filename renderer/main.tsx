import { StrictMode } from 'react';
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

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <ErrorBoundary>
      <StoreContext.Provider value={store}>
        <App />
      </StoreContext.Provider>
    </ErrorBoundary>
  </StrictMode>,
);
