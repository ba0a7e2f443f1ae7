import { useEffect, useState } from 'react';
import type { RunSandbox } from '../../../shared/domain/runner';
import { useRoot } from '../../stores/root-store';
import { formatBytes, formatDuration, phaseText } from './run-format';
import { runCommand, runSandbox, type TerminalRun } from './runs-reducer';
import { sandboxText } from './run-format';

/** Time since the run started, ticking once a second while it runs. */
function Elapsed({ sinceMs }: { sinceMs: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return <>{formatDuration(now - sinceMs)}</>;
}

/** Mode and network of a run; a red "Unsandboxed" every time a run had no sandbox. */
export function SandboxLabel({ sandbox }: { sandbox: RunSandbox | null }) {
  if (!sandbox) return <span className="sandbox-label muted">Sandbox: waiting for the host…</span>;
  const { label, detail, danger } = sandboxText(sandbox);
  return (
    <span className={danger ? 'sandbox-label sandbox-danger' : 'sandbox-label'}>
      <strong>{label}</strong> · {detail}
    </span>
  );
}

/** The open run: command, status, duration, sandbox, cancel, and notices about its output. */
export function RunDetails({ run }: { run: TerminalRun }) {
  const cancelRun = useRoot((s) => s.cancelRun);
  const closeRun = useRoot((s) => s.closeRun);
  const command = runCommand(run);
  const status = phaseText(run.phase);
  const exit = run.phase.state === 'finished' ? run.phase.exit : null;
  const started = run.summary ? Date.parse(run.summary.startedAt) : run.seenAtMs;

  return (
    <div className="run-details">
      <div className="run-head">
        <code className="run-command" title={command}>
          {command}
        </code>
        <span className={`run-status run-${status.tone}`} role="status" aria-label="Run status">
          {status.text}
        </span>
        <span className="muted small" aria-label="Duration">
          {exit ? formatDuration(exit.durationMs) : <Elapsed sinceMs={started} />}
        </span>
        {run.phase.state === 'finished' ? (
          <button
            type="button"
            className="icon-button"
            aria-label={`Close the tab of ${command}`}
            onClick={() => closeRun(run.runId)}
          >
            Close
          </button>
        ) : (
          <button
            type="button"
            disabled={run.phase.state === 'cancelling'}
            aria-label={`Cancel ${command}`}
            onClick={() => void cancelRun(run.runId)}
          >
            Cancel
          </button>
        )}
      </div>
      <div className="run-meta small">
        <SandboxLabel sandbox={runSandbox(run)} />
        {run.summary && <span className="muted"> · in {run.summary.cwd}</span>}
      </div>
      {run.summary && run.summary.droppedEnv.length > 0 && (
        // One line, the names behind a toggle: the output comes first.
        <details className="run-notice small muted">
          <summary>
            {run.summary.droppedEnv.length} variable
            {run.summary.droppedEnv.length === 1 ? '' : 's'} withheld from the command’s environment
            (keys, tokens, sockets)
          </summary>
          {run.summary.droppedEnv.join(', ')}
        </details>
      )}
      {run.phase.state === 'queued' && (
        <p className="run-notice run-notice-warn small" role="note" aria-label="Why it waits">
          Not started yet: {run.phase.reason}
        </p>
      )}
      {exit?.message && <p className="run-notice run-notice-warn small">{exit.message}</p>}
      {exit && exit.droppedBytes > 0 && (
        <p className="run-notice run-notice-warn small" role="note">
          Output truncated: {formatBytes(exit.droppedBytes)} from the middle of{' '}
          {formatBytes(exit.totalBytes)} were dropped; the saved output keeps{' '}
          {formatBytes(exit.keptBytes)} from its start and end.
        </p>
      )}
      {run.violations.length > 0 && (
        <ul className="run-violations small" aria-label="Sandbox violations">
          {run.violations.map((v, i) => (
            <li key={`${v.at}-${i}`}>
              Sandbox blocked: <code>{v.line}</code>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
