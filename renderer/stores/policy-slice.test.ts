import { describe, expect, it, vi } from 'vitest';
import type { PolicyDecision, PolicySnapshot } from '../../shared/domain/policy';
import type { PolicyEdit } from '../../shared/domain/policy-edit';
import type { BridgeApi } from '../../shared/ipc/api';
import { BridgeError } from '../../shared/ipc/errors';
import { createRootStore } from './root-store';

const snap = (defaultPolicy: 'allow' | 'prompt' | 'deny') =>
  ({ tools: { defaultPolicy }, commands: [], issues: [] }) as unknown as PolicySnapshot;

function store(policy: Partial<BridgeApi['policy']>) {
  return createRootStore({ policy } as unknown as BridgeApi);
}

describe('policy slice', () => {
  it('loads, stages, saves and clears the edits', async () => {
    const save = vi.fn(() => Promise.resolve(snap('deny')));
    const s = store({ get: () => Promise.resolve(snap('prompt')), save });
    await s.getState().loadPolicy();
    s.getState().stagePolicyEdit({ kind: 'default-policy', value: 'deny' });
    expect(Object.keys(s.getState().policyEdits)).toEqual(['default-policy']);
    expect(await s.getState().savePolicy()).toBe(true);
    expect(save).toHaveBeenCalledWith({
      target: 'workspace',
      edits: [{ kind: 'default-policy', value: 'deny' }],
    });
    expect(s.getState().policyEdits).toEqual({});
    expect(s.getState().policy).toEqual({ state: 'ready', snapshot: snap('deny') });
  });

  it('keeps the edits and shows the error when a save is refused', async () => {
    const s = store({
      get: () => Promise.resolve(snap('prompt')),
      save: () =>
        Promise.reject(
          new BridgeError('invalid-argument', 'Not saved: commands.deny_regex[1]: bad'),
        ),
    });
    await s.getState().loadPolicy();
    s.getState().stagePolicyEdit({ kind: 'command-rules', list: 'deny_regex', value: ['('] });
    expect(await s.getState().savePolicy()).toBe(false);
    expect(s.getState().policySaveError).toMatch(/Not saved/);
    expect(Object.keys(s.getState().policyEdits)).toHaveLength(1);
  });

  it('flags a change on disk only when there are unsaved edits', async () => {
    const s = store({ get: () => Promise.resolve(snap('prompt')) });
    await s.getState().loadPolicy();
    s.getState().policyChanged(snap('allow'));
    expect(s.getState().policyChangedOnDisk).toBe(false);
    s.getState().stagePolicyEdit({ kind: 'default-policy', value: 'deny' });
    s.getState().policyChanged(snap('deny'));
    expect(s.getState().policyChangedOnDisk).toBe(true);
    s.getState().revertPolicy();
    expect(s.getState().policyChangedOnDisk).toBe(false);
  });

  it('ignores a stale try-a-command answer', async () => {
    let release: (v: unknown) => void = () => undefined;
    const check = vi
      .fn()
      .mockImplementationOnce(() => new Promise((r) => (release = r)))
      .mockImplementationOnce(() =>
        Promise.resolve({ kind: 'command', decision: 'allow', parts: [], reason: 'second' }),
      );
    const s = store({ check });
    const first = s.getState().tryCommand('rm -rf x');
    await s.getState().tryCommand('ls');
    release({ kind: 'command', decision: 'deny', parts: [], reason: 'first' });
    await first;
    expect(s.getState().tryResult).toMatchObject({ state: 'done', decision: { reason: 'second' } });
  });

  it('checks against the unsaved edits when there are any, and says so', async () => {
    const decision = { kind: 'command', decision: 'deny', parts: [], reason: 'x' } as const;
    const check = vi.fn(() => Promise.resolve(decision as unknown as PolicyDecision));
    const s = store({ check });
    await s.getState().tryCommand('ls');
    expect(check).toHaveBeenLastCalledWith({ command: 'ls' });
    expect(s.getState().tryResult).toMatchObject({ state: 'done', draft: false });
    const edit: PolicyEdit = { kind: 'command-rules', list: 'deny_list', value: ['ls'] };
    s.getState().stagePolicyEdit(edit);
    await s.getState().tryCommand('ls');
    expect(check).toHaveBeenLastCalledWith({
      command: 'ls',
      draft: { target: 'workspace', edits: [edit] },
    });
    expect(s.getState().tryResult).toMatchObject({ state: 'done', draft: true });
  });
});
