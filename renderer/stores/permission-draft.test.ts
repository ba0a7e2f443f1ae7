import { describe, expect, it } from 'vitest';
import type { PolicySnapshot } from '../../shared/domain/policy';
import type { BridgeApi } from '../../shared/ipc/api';
import {
  editKey,
  invalidPermissionRules,
  permissionEntries,
  validatePermissionRule,
  withEdit,
} from './policy-draft';
import { createRootStore } from './root-store';

const ws = { layer: 'workspace', file: '/w/vtcode.toml' } as const;
const user = { layer: 'user', file: '/u/vtcode.toml' } as const;

const snapshot = {
  commands: [],
  issues: [],
  permissions: [
    { list: 'allow', entry: 'read', source: ws, problem: null, ignored: false },
    { list: 'deny', entry: 'bash(curl *)', source: user, problem: null, ignored: false },
    { list: 'deny', entry: 'Bash(rm', source: ws, problem: 'x', ignored: true },
  ],
} as unknown as PolicySnapshot;

describe('[permissions] lists in the policy editor', () => {
  it('shows each file’s entries, the unsaved edit in place of the target file’s', () => {
    expect(permissionEntries(snapshot, {}, 'deny', 'workspace', 'workspace')).toEqual(['Bash(rm']);
    expect(permissionEntries(snapshot, {}, 'deny', 'user', 'workspace')).toEqual(['bash(curl *)']);
    const edits = withEdit({}, { kind: 'permission-rules', list: 'deny', value: ['read(.env)'] });
    expect(editKey({ kind: 'permission-rules', list: 'deny', value: [] })).toBe(
      'permission-rules:deny',
    );
    expect(permissionEntries(snapshot, edits, 'deny', 'workspace', 'workspace')).toEqual([
      'read(.env)',
    ]);
    expect(permissionEntries(snapshot, edits, 'deny', 'user', 'workspace')).toEqual([
      'bash(curl *)',
    ]);
    expect(permissionEntries({} as PolicySnapshot, {}, 'allow', 'user', 'user')).toEqual([]);
  });

  it.each([
    ['exec_command(cargo check *)', null],
    ['frobnicate', null],
    ['Bash(rm', /Not a rule: .*end with/],
    ['WebFetch(example.com)', /domain:HOST/],
    ['', /empty/],
    ['x'.repeat(2001), /2000/],
  ])('validates %j', (entry, problem) => {
    const got = validatePermissionRule(entry);
    if (problem === null) expect(got).toBeNull();
    else expect(got).toMatch(problem);
  });

  it('names every rule Save would refuse by key', () => {
    const edits = withEdit(
      withEdit({}, { kind: 'permission-rules', list: 'ask', value: ['read', 'Bash(rm'] }),
      { kind: 'command-rules', list: 'allow_list', value: ['ls'] },
    );
    expect(invalidPermissionRules(edits)).toEqual([
      expect.stringMatching(/^permissions\.ask\[1\]: Not a rule/),
    ]);
  });

  it('refuses to save a rule that does not parse, without asking main', async () => {
    let saved = false;
    const store = createRootStore({
      policy: {
        get: () => Promise.resolve(snapshot),
        save: () => {
          saved = true;
          return Promise.resolve(snapshot);
        },
      },
    } as unknown as BridgeApi);
    await store.getState().loadPolicy();
    store
      .getState()
      .stagePolicyEdit({ kind: 'permission-rules', list: 'deny', value: ['Bash(rm'] });
    expect(await store.getState().savePolicy()).toBe(false);
    expect(saved).toBe(false);
    expect(store.getState().policySaveError).toMatch(/Not saved: permissions\.deny\[0\]/);
  });
});
