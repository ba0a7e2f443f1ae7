import { describe, expect, it, vi } from 'vitest';
import type { BacktestChangeView, WhatIfResult } from '../../shared/domain/policy-whatif';
import type { BridgeApi } from '../../shared/ipc/api';
import { BridgeError } from '../../shared/ipc/errors';
import { createRootStore } from './root-store';
import { transitionGroups } from './what-if-slice';

function store(policy: Partial<BridgeApi['policy']>) {
  return createRootStore({ policy } as unknown as BridgeApi);
}

const row = (id: string, before: string, after: string): BacktestChangeView =>
  ({
    id,
    at: '2026-11-01T10:00:00.000Z',
    sessionId: 's',
    callId: `c-${id}`,
    tool: 'exec_command',
    subject: id,
    before,
    after,
    reason: 'because',
    rule: null,
  }) as BacktestChangeView;

function result(rows: BacktestChangeView[], over: Partial<WhatIfResult> = {}): WhatIfResult {
  const counts = new Map<string, number>();
  for (const r of rows)
    counts.set(`${r.before}>${r.after}`, (counts.get(`${r.before}>${r.after}`) ?? 0) + 1);
  return {
    checked: 10,
    changed: rows.length,
    rows,
    transitions: [...counts].map(([k, count]) => {
      const [before, after] = k.split('>') as [
        WhatIfResult['rows'][0]['before'],
        WhatIfResult['rows'][0]['after'],
      ];
      return { before, after, count };
    }),
    skipped: { unsealed: 0, unreplayable: 0, unreadable: 0 },
    ms: 3,
    ...over,
  };
}

const EDIT = { kind: 'default-policy', value: 'deny' } as const;

describe('what-if slice', () => {
  it('asks nothing without unsaved edits', async () => {
    const whatIf = vi.fn();
    const s = store({ whatIf });
    await s.getState().runWhatIf();
    expect(whatIf).not.toHaveBeenCalled();
    expect(s.getState().whatIf).toEqual({ state: 'idle' });
  });

  it('replays under the staged edits of the chosen file, then goes idle once they are gone', async () => {
    const answer = result([row('a', 'allow', 'prompt')]);
    const whatIf = vi.fn(() => Promise.resolve(answer));
    const s = store({ whatIf });
    s.getState().setPolicyTarget('user');
    s.getState().stagePolicyEdit(EDIT);
    const running = s.getState().runWhatIf();
    expect(s.getState().whatIf).toEqual({ state: 'running', previous: null });
    await running;
    expect(whatIf).toHaveBeenCalledWith({ target: 'user', edits: [EDIT] });
    expect(s.getState().whatIf).toEqual({ state: 'done', result: answer });
    s.getState().revertPolicy();
    await s.getState().runWhatIf();
    expect(s.getState().whatIf).toEqual({ state: 'idle' });
  });

  it('shows the last answer while the next one runs, and ignores a stale answer', async () => {
    const first = result([row('a', 'allow', 'prompt')]);
    const second = result([row('b', 'prompt', 'allow')]);
    let release: (v: WhatIfResult) => void = () => undefined;
    const whatIf = vi
      .fn()
      .mockImplementationOnce(() => Promise.resolve(first))
      .mockImplementationOnce(() => new Promise((r) => (release = r)))
      .mockImplementationOnce(() => Promise.resolve(second));
    const s = store({ whatIf });
    s.getState().stagePolicyEdit(EDIT);
    await s.getState().runWhatIf();
    const stale = s.getState().runWhatIf();
    expect(s.getState().whatIf).toEqual({ state: 'running', previous: first });
    await s.getState().runWhatIf();
    release(first);
    await stale;
    expect(s.getState().whatIf).toEqual({ state: 'done', result: second });
  });

  it('shows why the edits cannot be replayed', async () => {
    const s = store({
      whatIf: () =>
        Promise.reject(new BridgeError('invalid-argument', 'Not saved: commands.deny_regex: bad')),
    });
    s.getState().stagePolicyEdit(EDIT);
    await s.getState().runWhatIf();
    expect(s.getState().whatIf).toEqual({
      state: 'error',
      message: 'Not saved: commands.deny_regex: bad',
    });
  });
});

describe('transitionGroups', () => {
  it('groups rows by transition, loosenings first, then by count', () => {
    const groups = transitionGroups(
      result([
        row('1', 'allow', 'prompt'),
        row('2', 'allow', 'deny'),
        row('3', 'allow', 'prompt'),
        row('4', 'prompt', 'allow'),
        row('5', 'deny', 'prompt'),
        row('6', 'allow', 'prompt'),
      ]),
    );
    expect(
      groups.map((g) => [`${g.before}->${g.after}`, g.count, g.rows.map((r) => r.id)]),
    ).toEqual([
      ['prompt->allow', 1, ['4']],
      ['deny->prompt', 1, ['5']],
      ['allow->prompt', 3, ['1', '3', '6']],
      ['allow->deny', 1, ['2']],
    ]);
  });

  it('counts changes beyond the listed rows', () => {
    const listed = [row('1', 'allow', 'prompt')];
    const groups = transitionGroups({
      ...result(listed),
      changed: 700,
      transitions: [{ before: 'allow', after: 'prompt', count: 700 }],
    });
    expect(groups).toEqual([{ before: 'allow', after: 'prompt', count: 700, rows: listed }]);
  });
});
