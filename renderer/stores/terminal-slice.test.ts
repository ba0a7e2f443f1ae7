import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand';
import type { RunExitEvent, RunSummary } from '../../shared/domain/runner';
import { BridgeError } from '../../shared/ipc/errors';
import { fakeBridge } from '../test-support/fake-bridge';
import type { RootState } from './root-store';
import { createTerminalSlice, selectActiveRun } from './terminal-slice';

const summary = (runId: string, command: string): RunSummary => ({
  runId,
  command,
  workspace: '/w',
  cwd: '/w',
  startedAt: '2025-01-01T00:00:00.000Z',
  sandbox: { kind: 'unsandboxed', because: 'danger_full_access' },
  droppedEnv: [],
  timeoutSeconds: 60,
});

const exitEvent = (runId: string, extra: Partial<RunExitEvent> = {}): RunExitEvent => ({
  runId,
  outcome: 'exited',
  exitCode: 0,
  signal: null,
  durationMs: 40,
  totalBytes: 6,
  keptBytes: 6,
  droppedBytes: 0,
  violations: 0,
  sandbox: { kind: 'unsandboxed', because: 'danger_full_access' },
  message: null,
  ...extra,
});

function setup(handlers: Parameters<typeof fakeBridge>[0]) {
  const bridge = fakeBridge(handlers);
  const frames: (() => void)[] = [];
  const store = createStore<RootState>()(
    (...a) =>
      createTerminalSlice(bridge.api, {
        schedule: (cb) => frames.push(cb),
        now: () => 1000,
      })(...a) as RootState,
  );
  const stop = store.getState().subscribeRunner();
  return { bridge, store, stop, runFrames: () => frames.splice(0).forEach((cb) => cb()) };
}

describe('terminal slice', () => {
  it('starts a run with the terminal size, opens its tab and streams its output per frame', async () => {
    const { bridge, store, runFrames } = setup({
      'runner:start': (req) => summary('run-1', (req as { command: string }).command),
    });
    const written: string[] = [];
    store.getState().terminalOutput.listen((_id, data) => written.push(data));

    expect(await store.getState().runCommand('  echo hi  ', { cols: 90, rows: 20 })).toBe(true);
    expect(bridge.calls).toEqual([
      { channel: 'runner:start', request: { command: 'echo hi', cols: 90, rows: 20 } },
    ]);
    expect(selectActiveRun(store.getState())?.summary?.command).toBe('echo hi');
    expect(store.getState().terminalStart).toEqual({ state: 'idle' });

    bridge.emit('runner:output', { runId: 'run-1', seq: 0, data: 'hi', bytes: 2 });
    bridge.emit('runner:output', { runId: 'run-1', seq: 1, data: '\r\n', bytes: 2 });
    expect(written).toEqual([]);
    runFrames();
    expect(written).toEqual(['hi\r\n']);
  });

  it('shows a refusal with the host’s reason and opens no tab', async () => {
    const { store } = setup({
      'runner:start': () => {
        throw new BridgeError('forbidden', 'Refused by policy: rm * matches deny_glob');
      },
    });
    expect(await store.getState().runCommand('rm -rf x')).toBe(false);
    expect(store.getState().terminalStart).toEqual({
      state: 'refused',
      command: 'rm -rf x',
      reason: 'Refused by policy: rm * matches deny_glob',
    });
    expect(store.getState().terminal.order).toEqual([]);
    store.getState().dismissRunError();
    expect(store.getState().terminalStart.state).toBe('idle');
  });

  it('does not send an empty command', async () => {
    const { bridge, store } = setup({});
    expect(await store.getState().runCommand('   ')).toBe(false);
    expect(bridge.calls).toEqual([]);
    expect(store.getState().terminalStart.state).toBe('refused');
  });

  it('draws queued bytes before the exit, and records violations and the exit', async () => {
    const { bridge, store } = setup({ 'runner:start': () => summary('run-1', 'make') });
    await store.getState().runCommand('make');
    const written: string[] = [];
    store.getState().terminalOutput.listen((_id, data) => written.push(data));
    bridge.emit('runner:output', { runId: 'run-1', seq: 0, data: 'last words', bytes: 10 });
    bridge.emit('runner:violation', { runId: 'run-1', line: 'write /etc/passwd', at: 't' });
    bridge.emit('runner:exit', exitEvent('run-1', { exitCode: 2, droppedBytes: 100 }));
    expect(written).toEqual(['last words']);
    const run = selectActiveRun(store.getState());
    expect(run?.violations).toHaveLength(1);
    expect(run?.phase).toMatchObject({
      state: 'finished',
      exit: { exitCode: 2, droppedBytes: 100 },
    });
  });

  it('cancels through the bridge and returns to running when the host says it had ended', async () => {
    const { bridge, store } = setup({
      'runner:start': () => summary('run-1', 'sleep 100'),
      'runner:cancel': () => false,
    });
    await store.getState().runCommand('sleep 100');
    const pending = store.getState().cancelRun('run-1');
    expect(selectActiveRun(store.getState())?.phase.state).toBe('cancelling');
    await pending;
    expect(bridge.calls.at(-1)).toEqual({ channel: 'runner:cancel', request: { runId: 'run-1' } });
    expect(selectActiveRun(store.getState())?.phase.state).toBe('running');
  });

  it('opens a tab for output of a run it has not heard of yet, then names it', async () => {
    let answer: (s: RunSummary) => void = () => {};
    const { bridge, store, runFrames } = setup({
      'runner:start': () => new Promise<RunSummary>((resolve) => (answer = resolve)),
    });
    const started = store.getState().runCommand('true');
    await Promise.resolve();
    bridge.emit('runner:output', { runId: 'run-9', seq: 0, data: 'early', bytes: 5 });
    runFrames();
    expect(store.getState().terminal.order).toEqual(['run-9']);
    answer(summary('run-9', 'true'));
    await started;
    expect(selectActiveRun(store.getState())?.summary?.command).toBe('true');
    expect(store.getState().terminalOutput.replay('run-9')).toBe('early');
  });

  it('closes a finished tab and forgets its output; unsubscribes every event', async () => {
    const { bridge, store, stop } = setup({ 'runner:start': () => summary('run-1', 'ls') });
    await store.getState().runCommand('ls');
    bridge.emit('runner:output', { runId: 'run-1', seq: 0, data: 'a', bytes: 1 });
    bridge.emit('runner:exit', exitEvent('run-1'));
    store.getState().closeRun('run-1');
    expect(store.getState().terminal.order).toEqual([]);
    expect(store.getState().terminalOutput.replay('run-1')).toBe('');
    stop();
    for (const c of ['runner:started', 'runner:output', 'runner:violation', 'runner:exit'] as const)
      expect(bridge.listenerCount(c)).toBe(0);
  });

  it('resizes a running command once per new size, and a finished one not at all', async () => {
    const { bridge, store } = setup({
      'runner:start': () => summary('run-1', 'top'),
      'runner:resize': () => true,
    });
    await store.getState().runCommand('top', { cols: 80, rows: 24 });
    store.getState().resizeRun('run-1', { cols: 100, rows: 30 });
    store.getState().resizeRun('run-1', { cols: 100, rows: 30 });
    store.getState().resizeRun('run-2', { cols: 100, rows: 30 });
    bridge.emit('runner:exit', exitEvent('run-1'));
    store.getState().resizeRun('run-1', { cols: 120, rows: 30 });
    expect(bridge.calls.filter((c) => c.channel === 'runner:resize')).toEqual([
      { channel: 'runner:resize', request: { runId: 'run-1', cols: 100, rows: 30 } },
    ]);
  });
});
