import type { StateCreator } from 'zustand';
import type { RunId } from '../../shared/domain/runner';
import type { BridgeApi } from '../../shared/ipc/api';
import {
  animationFrame,
  createOutputPump,
  type FrameScheduler,
  type OutputPump,
} from '../features/terminal/output-pump';
import {
  emptyRuns,
  runsReducer,
  type RunsAction,
  type RunsState,
} from '../features/terminal/runs-reducer';
import { errorMessage } from './app-slice';
import type { RootState } from './root-store';

/** Runs started from this window: tabs, states, and their output on its way to xterm.js. */
export interface TerminalSlice {
  terminal: RunsState;
  /** Sending a command to the host: a union, not a boolean pair. */
  terminalStart:
    | { readonly state: 'idle' }
    | { readonly state: 'starting'; readonly command: string }
    | { readonly state: 'refused'; readonly command: string; readonly reason: string };
  /** Terminal bytes; outside React state so a flood of output re-renders nothing. */
  terminalOutput: OutputPump;
  runCommand: (command: string, size?: { cols: number; rows: number }) => Promise<boolean>;
  cancelRun: (runId: RunId) => Promise<void>;
  /** The terminal showing a running command changed size: its pty follows. */
  resizeRun: (runId: RunId, size: { cols: number; rows: number }) => void;
  selectRun: (runId: RunId) => void;
  closeRun: (runId: RunId) => void;
  dismissRunError: () => void;
  /** Listen to runner events (once, at startup); returns the unsubscribe. */
  subscribeRunner: () => () => void;
}

export const createTerminalSlice =
  (
    api: BridgeApi,
    options: { schedule?: FrameScheduler; now?: () => number } = {},
  ): StateCreator<RootState, [], [], TerminalSlice> =>
  (set, get) => {
    const now = options.now ?? (() => Date.now());
    const dispatch = (action: RunsAction) =>
      set((s) => ({ terminal: runsReducer(s.terminal, action) }));
    /** The size last sent for each run, so a refit that changes nothing sends nothing. */
    const sentSizes = new Map<RunId, string>();
    return {
      terminal: emptyRuns,
      terminalStart: { state: 'idle' },
      terminalOutput: createOutputPump(options.schedule ?? animationFrame),

      runCommand: async (command, size) => {
        const trimmed = command.trim();
        if (!trimmed) {
          set({ terminalStart: { state: 'refused', command, reason: 'Type a command to run.' } });
          return false;
        }
        set({ terminalStart: { state: 'starting', command: trimmed } });
        try {
          const summary = await api.runner.start({
            command: trimmed,
            ...(size ? { cols: size.cols, rows: size.rows } : {}),
          });
          // Not `started`: the run may be waiting for the network (its events say which).
          dispatch({ type: 'answered', summary, nowMs: now() });
          set({ terminalStart: { state: 'idle' } });
          return true;
        } catch (error) {
          set({
            terminalStart: { state: 'refused', command: trimmed, reason: errorMessage(error) },
          });
          return false;
        }
      },

      cancelRun: async (runId) => {
        dispatch({ type: 'cancelling', runId });
        try {
          const cancelled = await api.runner.cancel({ runId });
          // False means it had already ended; its exit event says how.
          if (!cancelled) dispatch({ type: 'cancel-failed', runId });
        } catch {
          dispatch({ type: 'cancel-failed', runId });
        }
      },

      resizeRun: (runId, size) => {
        const run = get().terminal.byId[runId];
        if (!run || run.phase.state === 'finished') return;
        const key = `${size.cols}x${size.rows}`;
        if (sentSizes.get(runId) === key) return;
        sentSizes.set(runId, key);
        // False (it just ended) or an error changes nothing the user sees.
        api.runner.resize({ runId, ...size }).catch(() => undefined);
      },

      selectRun: (runId) => dispatch({ type: 'select', runId }),
      closeRun: (runId) => {
        const before = get().terminal;
        dispatch({ type: 'close', runId });
        if (get().terminal !== before) get().terminalOutput.forget(runId);
      },
      dismissRunError: () => set({ terminalStart: { state: 'idle' } }),

      subscribeRunner: () => {
        const pump = get().terminalOutput;
        const stops = [
          api.runner.onQueued(({ summary, reason }) =>
            dispatch({ type: 'queued', summary, reason, nowMs: now() }),
          ),
          api.runner.onStarted((summary) => dispatch({ type: 'started', summary, nowMs: now() })),
          api.runner.onOutput((event) => {
            if (!get().terminal.byId[event.runId]) {
              dispatch({ type: 'output-seen', runId: event.runId, nowMs: now() });
            }
            pump.push(event);
          }),
          api.runner.onViolation((event) => dispatch({ type: 'violation', event, nowMs: now() })),
          api.runner.onExit((event) => {
            // Bytes already queued belong before the exit: draw them now.
            pump.flush();
            dispatch({ type: 'exit', event, nowMs: now() });
          }),
        ];
        return () => {
          for (const stop of stops) stop();
        };
      },
    };
  };

/** The run whose tab is open, or null. */
export const selectActiveRun = (s: RootState) =>
  s.terminal.active ? (s.terminal.byId[s.terminal.active] ?? null) : null;
