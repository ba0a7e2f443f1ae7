import { describe, expect, it } from 'vitest';
import type { RunExitEvent, RunSandbox, RunSummary } from '../../../shared/domain/runner';
import { emptyRuns, runCommand, runSandbox, runsReducer, type RunsAction } from './runs-reducer';

const sandbox: RunSandbox = {
  kind: 'sandboxed',
  mode: 'workspace_write',
  network: 'block_all',
  allowedDomains: [],
};

const summary = (runId: string, command = 'ls'): RunSummary => ({
  runId,
  command,
  workspace: '/w',
  cwd: '/w',
  startedAt: '2025-01-01T00:00:00.000Z',
  sandbox,
  droppedEnv: [],
  timeoutSeconds: 60,
});

const exit = (runId: string, extra: Partial<RunExitEvent> = {}): RunExitEvent => ({
  runId,
  outcome: 'exited',
  exitCode: 0,
  signal: null,
  durationMs: 12,
  totalBytes: 5,
  keptBytes: 5,
  droppedBytes: 0,
  violations: 0,
  sandbox,
  message: null,
  ...extra,
});

const reduce = (actions: RunsAction[]) => actions.reduce(runsReducer, emptyRuns);

describe('runs reducer', () => {
  it('opens a tab per run and focuses the newest', () => {
    const s = reduce([
      { type: 'started', summary: summary('run-a'), nowMs: 1 },
      { type: 'started', summary: summary('run-b', 'pwd'), nowMs: 2 },
    ]);
    expect(s.order).toEqual(['run-a', 'run-b']);
    expect(s.active).toBe('run-b');
    expect(runsReducer(s, { type: 'select', runId: 'run-a' }).active).toBe('run-a');
    expect(runsReducer(s, { type: 'select', runId: 'run-zz' })).toBe(s);
  });

  it('accepts output and exit that overtake the start answer, and keeps the exit', () => {
    const s = reduce([
      { type: 'output-seen', runId: 'run-a', nowMs: 5 },
      { type: 'exit', event: exit('run-a'), nowMs: 6 },
      { type: 'started', summary: summary('run-a', 'true'), nowMs: 7 },
    ]);
    const run = s.byId['run-a'];
    expect(s.order).toEqual(['run-a']);
    expect(run?.phase.state).toBe('finished');
    expect(run && runCommand(run)).toBe('true');
    expect(run?.seenAtMs).toBe(5);
  });

  it('names a run only known from its exit by the exit’s sandbox', () => {
    const s = reduce([{ type: 'exit', event: exit('run-a'), nowMs: 1 }]);
    const run = s.byId['run-a'];
    expect(run && runCommand(run)).toBe('Starting…');
    expect(run && runSandbox(run)).toEqual(sandbox);
  });

  it('collects violations in order', () => {
    const s = reduce([
      { type: 'started', summary: summary('run-a'), nowMs: 1 },
      { type: 'violation', event: { runId: 'run-a', line: 'write /etc/x', at: 'a' }, nowMs: 2 },
      { type: 'violation', event: { runId: 'run-a', line: 'connect evil', at: 'b' }, nowMs: 3 },
    ]);
    expect(s.byId['run-a']?.violations.map((v) => v.line)).toEqual([
      'write /etc/x',
      'connect evil',
    ]);
  });

  it('moves through cancelling, back to running when the cancel fails, and never un-finishes', () => {
    let s = reduce([{ type: 'started', summary: summary('run-a'), nowMs: 1 }]);
    s = runsReducer(s, { type: 'cancelling', runId: 'run-a' });
    expect(s.byId['run-a']?.phase.state).toBe('cancelling');
    s = runsReducer(s, { type: 'cancel-failed', runId: 'run-a' });
    expect(s.byId['run-a']?.phase.state).toBe('running');
    s = runsReducer(s, {
      type: 'exit',
      event: exit('run-a', { outcome: 'cancelled', signal: 'SIGTERM' }),
      nowMs: 2,
    });
    expect(runsReducer(s, { type: 'cancelling', runId: 'run-a' })).toBe(s);
  });

  it('closes finished runs only, moving focus to a neighbour', () => {
    let s = reduce([
      { type: 'started', summary: summary('run-a'), nowMs: 1 },
      { type: 'started', summary: summary('run-b'), nowMs: 1 },
      { type: 'started', summary: summary('run-c'), nowMs: 1 },
      { type: 'exit', event: exit('run-c'), nowMs: 2 },
    ]);
    expect(runsReducer(s, { type: 'close', runId: 'run-a' })).toBe(s);
    s = runsReducer(s, { type: 'close', runId: 'run-c' });
    expect(s.order).toEqual(['run-a', 'run-b']);
    expect(s.active).toBe('run-b');
    expect(s.byId['run-c']).toBeUndefined();
  });
});
