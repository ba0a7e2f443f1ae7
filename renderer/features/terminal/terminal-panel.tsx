import { lazy, Suspense, useEffect, useRef, useState, type FormEvent } from 'react';
import { useRoot } from '../../stores/root-store';
import { selectActiveRun } from '../../stores/terminal-slice';
import { RunDetails } from './run-details';
import { phaseText } from './run-format';
import { runCommand } from './runs-reducer';
import { xtermTheme } from './xterm-theme';
import type { TerminalSize } from './xterm-view';
import './terminal.css';

// xterm.js is not needed for the first screen: it loads as a chunk of its own once a workspace is
// open (the panel mounts it then, before any run, so a run starts at the panel's size).
const XtermView = lazy(() => import('./xterm-view').then((m) => ({ default: m.XtermView })));

/** One tab per run: its command and status in a word. */
function RunTabs() {
  const terminal = useRoot((s) => s.terminal);
  const selectRun = useRoot((s) => s.selectRun);
  const strip = useRef<HTMLDivElement>(null);
  // The strip scrolls by itself when the tabs are wider than the panel: keep the shown run in view.
  useEffect(() => {
    strip.current
      ?.querySelector('[aria-selected="true"]')
      ?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [terminal.active, terminal.order.length]);
  if (terminal.order.length === 0) return null;
  return (
    <div ref={strip} className="run-tabs" role="tablist" aria-label="Runs">
      {terminal.order.map((runId) => {
        const run = terminal.byId[runId];
        if (!run) return null;
        const command = runCommand(run);
        const status = phaseText(run.phase);
        return (
          <button
            key={runId}
            type="button"
            role="tab"
            aria-selected={terminal.active === runId}
            aria-controls="run-view"
            className="run-tab"
            title={command}
            onClick={() => selectRun(runId)}
          >
            <span className={`run-dot run-${status.tone}`} aria-hidden="true" />
            <span className="run-tab-command">{command}</span>
            <span className="visually-hidden">, {status.text}</span>
          </button>
        );
      })}
    </div>
  );
}

/** Live output of the commands run in this workspace, one tab per run, with a box to run one. */
export function TerminalPanel({ hidden }: { hidden: boolean }) {
  const workspace = useRoot((s) => s.workspace);
  const start = useRoot((s) => s.terminalStart);
  const runCommandAction = useRoot((s) => s.runCommand);
  const pump = useRoot((s) => s.terminalOutput);
  const active = useRoot(selectActiveRun);
  const theme = useRoot((s) => s.resolvedTheme);
  const resizeRun = useRoot((s) => s.resizeRun);
  const [draft, setDraft] = useState('');
  const sizeRef = useRef<TerminalSize | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await runCommandAction(draft, sizeRef.current ?? undefined);
    if (ok) setDraft('');
  };

  return (
    <section
      id="panel-terminal"
      role="tabpanel"
      className="panel terminal-panel"
      aria-label="Terminal"
      hidden={hidden}
    >
      <form className="command-form" onSubmit={(e) => void submit(e)}>
        <label htmlFor="terminal-command" className="visually-hidden">
          Command
        </label>
        <input
          id="terminal-command"
          className="command-input"
          value={draft}
          placeholder={workspace ? `Run a command in ${workspace.name}` : 'Open a workspace first'}
          disabled={!workspace}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setDraft(e.target.value)}
        />
        <button
          type="submit"
          className="primary"
          disabled={!workspace || start.state === 'starting' || draft.trim() === ''}
        >
          {start.state === 'starting' ? 'Starting…' : 'Run'}
        </button>
      </form>
      {start.state === 'refused' && (
        <div className="form-error command-refused" role="alert">
          <strong>Not run:</strong> <code>{start.command}</code>
          <div>{start.reason}</div>
        </div>
      )}
      <RunTabs />
      {active ? (
        <RunDetails run={active} />
      ) : (
        <p className="muted small">
          {workspace
            ? 'No commands have run yet. Type one above, or let the agent run one: each run gets a tab with its live output.'
            : 'Open a workspace to run commands in it. Each run gets a tab here with its live output.'}
        </p>
      )}
      <div
        id="run-view"
        // Always laid out, even before the first run, so that run starts at the panel's size.
        className="run-view"
        style={{ background: xtermTheme(theme).background }}
      >
        {/* xterm.js (its own chunk) comes with a workspace: nothing runs before one is open, and
            loading it on the first screen delayed the host's first answers (issue 18). */}
        {workspace && (
          <Suspense fallback={null}>
            <XtermView
              runId={active?.runId ?? null}
              label={active ? `Output of ${runCommand(active)}` : 'Terminal output'}
              pump={pump}
              theme={theme}
              sizeRef={sizeRef}
              onSize={resizeRun}
            />
          </Suspense>
        )}
      </div>
    </section>
  );
}
