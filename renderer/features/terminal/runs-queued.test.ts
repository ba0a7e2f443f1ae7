import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../shared/domain/runner';
import { phaseText } from './run-format';
import { emptyRuns, runsReducer, type RunsAction } from './runs-reducer';

// A run that waits for the network proxy: queued, then running, whatever order events come in.

const summary: RunSummary = {
  runId: 'run-q',
  command: 'curl x',
  workspace: '/w',
  cwd: '/w',
  startedAt: '2025-01-01T00:00:00.000Z',
  sandbox: { kind: 'sandboxed', mode: 'read_only', network: 'allowlist_only', allowedDomains: [] },
  droppedEnv: [],
  timeoutSeconds: 60,
};
const queued: RunsAction = {
  type: 'queued',
  summary,
  reason: 'waiting for `npm run dev`',
  nowMs: 1,
};
const answered: RunsAction = { type: 'answered', summary, nowMs: 2 };
const started: RunsAction = { type: 'started', summary, nowMs: 3 };
const reduce = (actions: RunsAction[]) => actions.reduce(runsReducer, emptyRuns);

describe('a queued run', () => {
  it.each([[[queued, answered]], [[answered, queued]]])(
    'waits, with why, whether the start answer comes first or not (%#)',
    (actions) => {
      const phase = reduce(actions).byId['run-q']?.phase;
      expect(phase).toEqual({ state: 'queued', reason: 'waiting for `npm run dev`' });
      expect(phaseText(phase!)).toEqual({ text: 'Waiting for the network', tone: 'warn' });
    },
  );

  it('runs once started; a start answer after that changes nothing', () => {
    expect(reduce([queued, answered, started]).byId['run-q']?.phase).toEqual({ state: 'running' });
    expect(reduce([queued, started, answered]).byId['run-q']?.phase).toEqual({ state: 'running' });
  });

  it('can be cancelled while waiting; a failed cancel leaves it waiting', () => {
    const s = reduce([queued, { type: 'cancelling', runId: 'run-q' }]);
    expect(s.byId['run-q']?.phase).toEqual({ state: 'cancelling' });
    const back = reduce([queued, { type: 'cancel-failed', runId: 'run-q' }]);
    expect(back.byId['run-q']?.phase.state).toBe('queued');
  });
});
