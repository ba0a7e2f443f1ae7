import type {
  RunExitEvent,
  RunId,
  RunSandbox,
  RunSummary,
  RunViolationEvent,
} from '../../../shared/domain/runner';

/*
 * The runs the Terminal panel shows, one tab each. Events may arrive in any order relative to the
 * start call's answer (output and even the exit of a quick command can overtake it), so every
 * action creates the run when it is new and merges into it otherwise.
 */

export type RunPhase =
  /** Waiting for the sandbox's network proxy (runs with other network rules hold it). */
  | { readonly state: 'queued'; readonly reason: string }
  | { readonly state: 'running' }
  | { readonly state: 'cancelling' }
  | { readonly state: 'finished'; readonly exit: RunExitEvent };

export interface TerminalRun {
  readonly runId: RunId;
  /** Null until the start call answers (events can come first). */
  readonly summary: RunSummary | null;
  readonly phase: RunPhase;
  readonly violations: readonly RunViolationEvent[];
  /** When this window first heard of the run (for the running duration). */
  readonly seenAtMs: number;
}

export interface RunsState {
  readonly order: readonly RunId[];
  readonly byId: Readonly<Record<RunId, TerminalRun>>;
  readonly active: RunId | null;
}

export type RunsAction =
  /** The start call answered: the run exists (it may be waiting or already running). */
  | { readonly type: 'answered'; readonly summary: RunSummary; readonly nowMs: number }
  | {
      readonly type: 'queued';
      readonly summary: RunSummary;
      readonly reason: string;
      readonly nowMs: number;
    }
  | { readonly type: 'started'; readonly summary: RunSummary; readonly nowMs: number }
  | { readonly type: 'output-seen'; readonly runId: RunId; readonly nowMs: number }
  | { readonly type: 'violation'; readonly event: RunViolationEvent; readonly nowMs: number }
  | { readonly type: 'exit'; readonly event: RunExitEvent; readonly nowMs: number }
  | { readonly type: 'cancelling'; readonly runId: RunId }
  | { readonly type: 'cancel-failed'; readonly runId: RunId }
  | { readonly type: 'select'; readonly runId: RunId }
  | { readonly type: 'close'; readonly runId: RunId };

export const emptyRuns: RunsState = { order: [], byId: {}, active: null };

function assertNever(value: never): never {
  throw new Error(`unhandled action ${JSON.stringify(value)}`);
}

function upsert(
  state: RunsState,
  runId: RunId,
  nowMs: number,
  change: (run: TerminalRun) => TerminalRun,
): RunsState {
  const existing = state.byId[runId];
  const base: TerminalRun = existing ?? {
    runId,
    summary: null,
    phase: { state: 'running' },
    violations: [],
    seenAtMs: nowMs,
  };
  return {
    order: existing ? state.order : [...state.order, runId],
    byId: { ...state.byId, [runId]: change(base) },
    // A new run takes the front: the user just started it.
    active: existing ? state.active : runId,
  };
}

/** Apply one runner event or user action to the runs. */
export function runsReducer(state: RunsState, action: RunsAction): RunsState {
  switch (action.type) {
    case 'answered':
      return upsert(state, action.summary.runId, action.nowMs, (run) => ({
        ...run,
        summary: action.summary,
      }));
    case 'queued':
      return upsert(state, action.summary.runId, action.nowMs, (run) =>
        run.phase.state === 'running'
          ? { ...run, summary: action.summary, phase: { state: 'queued', reason: action.reason } }
          : { ...run, summary: action.summary },
      );
    case 'started':
      // The process is up: a run that waited for the network is running now.
      return upsert(state, action.summary.runId, action.nowMs, (run) => ({
        ...run,
        summary: action.summary,
        phase: run.phase.state === 'queued' ? { state: 'running' } : run.phase,
      }));
    case 'output-seen':
      return state.byId[action.runId] ? state : upsert(state, action.runId, action.nowMs, (r) => r);
    case 'violation':
      return upsert(state, action.event.runId, action.nowMs, (run) => ({
        ...run,
        violations: [...run.violations, action.event],
      }));
    case 'exit':
      return upsert(state, action.event.runId, action.nowMs, (run) => ({
        ...run,
        phase: { state: 'finished', exit: action.event },
      }));
    case 'cancelling':
    case 'cancel-failed': {
      const run = state.byId[action.runId];
      if (!run || run.phase.state === 'finished') return state;
      // A waiting run that could not be cancelled keeps waiting (its exit says if it ended).
      const phase: RunPhase =
        action.type === 'cancelling'
          ? { state: 'cancelling' }
          : run.phase.state === 'queued'
            ? run.phase
            : { state: 'running' };
      return { ...state, byId: { ...state.byId, [action.runId]: { ...run, phase } } };
    }
    case 'select':
      return state.byId[action.runId] ? { ...state, active: action.runId } : state;
    case 'close': {
      const run = state.byId[action.runId];
      // Only finished runs close; a running one must be cancelled first.
      if (!run || run.phase.state !== 'finished') return state;
      const index = state.order.indexOf(action.runId);
      const order = state.order.filter((id) => id !== action.runId);
      const byId = { ...state.byId };
      delete byId[action.runId];
      const active =
        state.active === action.runId
          ? (order[Math.min(index, order.length - 1)] ?? null)
          : state.active;
      return { order, byId, active };
    }
    default:
      return assertNever(action);
  }
}

/** The command line of a run, or a placeholder while its start call has not answered. */
export function runCommand(run: TerminalRun): string {
  return run.summary?.command ?? 'Starting…';
}

/** How the run is contained: the summary's word, or the exit event's when that came first. */
export function runSandbox(run: TerminalRun): RunSandbox | null {
  if (run.summary) return run.summary.sandbox;
  return run.phase.state === 'finished' ? run.phase.exit.sandbox : null;
}
