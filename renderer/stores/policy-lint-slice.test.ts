import { describe, expect, it } from 'vitest';
import type { PolicySnapshot } from '../../shared/domain/policy';
import type { PolicyExplain } from '../../shared/domain/policy-explain';
import type { LintFinding, PolicyLintResult } from '../../shared/domain/policy-lint';
import { fakeBridge } from '../test-support/fake-bridge';
import { findingsHeadline, listFindings, rebaseFix } from './lint-fix';
import { insightValue } from './policy-lint-slice';
import { createRootStore } from './root-store';

const FILE = '/ws/vtcode.toml';
const snapshot = {
  tools: { defaultPolicy: 'prompt', matrix: [], otherEntries: [] },
  commands: [
    { kind: 'allow_glob', entry: 'git *', source: { layer: 'workspace', file: FILE } },
    { kind: 'allow_glob', entry: '*', source: { layer: 'workspace', file: FILE } },
    { kind: 'allow_list', entry: 'ls', source: { layer: 'workspace', file: FILE } },
    { kind: 'allow_list', entry: 'ls', source: { layer: 'workspace', file: FILE } },
  ],
  issues: [],
  files: [],
} as unknown as PolicySnapshot;

const star: LintFinding = {
  id: 'runs-anything:1',
  severity: 'error',
  kind: 'runs-anything',
  message: 'allow_glob `*` allows any command',
  rule: {
    section: 'commands',
    list: 'allow_glob',
    entry: '*',
    file: FILE,
    layer: 'workspace',
    index: 1,
    tool: null,
  },
  key: null,
  file: FILE,
  line: 2,
  fix: {
    label: 'remove allow_glob *',
    target: 'workspace',
    edits: [{ kind: 'command-rules', list: 'allow_glob', value: ['git *'] }],
  },
};

const result = (findings: LintFinding[]): PolicyLintResult => ({
  findings,
  activity: { records: 0, since: null },
});

function setup(handlers: Parameters<typeof fakeBridge>[0] = {}) {
  const bridge = fakeBridge({
    'policy:get': () => snapshot,
    'policy:lint': () => result([star]),
    ...handlers,
  });
  const store = createRootStore(bridge.api);
  return { store, bridge };
}

describe('policy lint slice', () => {
  it('loads the findings of the saved policy', async () => {
    const { store } = setup();
    await store.getState().loadPolicyLint();
    expect(store.getState().policyLint).toEqual({ state: 'ready', value: result([star]) });
  });

  it('keeps the last findings while reloading, and drops an answer overtaken by a newer one', async () => {
    let release: (v: PolicyLintResult) => void = () => undefined;
    let calls = 0;
    const { store } = setup({
      'policy:lint': () => {
        calls++;
        return calls === 2
          ? new Promise<PolicyLintResult>((r) => (release = r))
          : result(calls === 1 ? [star] : []);
      },
    });
    await store.getState().loadPolicyLint();
    const slow = store.getState().loadPolicyLint();
    expect(store.getState().policyLint).toEqual({ state: 'loading', last: result([star]) });
    await store.getState().loadPolicyLint();
    release(result([star, star]));
    await slow;
    expect(insightValue(store.getState().policyLint)).toEqual(result([]));
  });

  it('reports a failure and keeps what it had', async () => {
    let fail = false;
    const { store } = setup({
      'policy:lint': () => {
        if (fail) throw new Error('the policy cannot be read');
        return result([star]);
      },
    });
    await store.getState().loadPolicyLint();
    fail = true;
    await store.getState().loadPolicyLint();
    expect(store.getState().policyLint).toMatchObject({
      state: 'error',
      message: expect.stringContaining('cannot be read') as unknown,
      last: result([star]),
    });
  });

  it('stages a fix as unsaved edits, replayed onto edits already made to that list', async () => {
    const { store, bridge } = setup();
    await store.getState().loadPolicy();
    store.getState().stagePolicyEdit({
      kind: 'command-rules',
      list: 'allow_glob',
      value: ['git *', '*', 'npm test *'],
    });
    expect(store.getState().applyLintFix(star)).toBe(true);
    expect(store.getState().policyEdits['command-rules:allow_glob']).toEqual({
      kind: 'command-rules',
      list: 'allow_glob',
      value: ['git *', 'npm test *'],
    });
    expect(store.getState().lintFixesStaged).toEqual([star.id]);
    // Nothing was written: only Save writes.
    expect(bridge.calls.map((c) => c.channel)).not.toContain('policy:save');
  });

  it('switches to the fix file when nothing is unsaved, and refuses when something is', async () => {
    const { store } = setup();
    await store.getState().loadPolicy();
    const userFix: LintFinding = {
      ...star,
      id: 'x:2',
      fix: {
        label: 'remove tools.policies.exec_comand',
        target: 'user',
        edits: [{ kind: 'tool-policy', tool: 'exec_comand', value: null }],
      },
    };
    expect(store.getState().applyLintFix(userFix)).toBe(true);
    expect(store.getState().policyTarget).toBe('user');
    expect(Object.keys(store.getState().policyEdits)).toEqual(['tool-policy:exec_comand']);
    // Now the user file has an unsaved edit: a workspace fix must wait.
    expect(store.getState().applyLintFix(star)).toBe(false);
    expect(store.getState().lintFixError).toContain('save or revert');
    expect(store.getState().policyTarget).toBe('user');
  });

  it('loads the effective policy with the session and mode asked for', async () => {
    const explain = { mode: 'plan', tools: [], rules: [] } as unknown as PolicyExplain;
    const { store, bridge } = setup({ 'policy:explain': () => explain });
    await store.getState().loadPolicyExplain({ sessionId: 's-abcdef12', mode: 'plan' });
    expect(store.getState().policyExplain).toEqual({ state: 'ready', value: explain });
    expect(bridge.calls.at(-1)).toEqual({
      channel: 'policy:explain',
      request: { sessionId: 's-abcdef12', mode: 'plan' },
    });
  });
});

describe('lint helpers', () => {
  it('rebases adds and removes, counting duplicates', () => {
    const fix = {
      label: 'x',
      target: 'workspace' as const,
      edits: [
        { kind: 'command-rules' as const, list: 'allow_list' as const, value: ['ls', 'pwd'] },
      ],
    };
    // Saved: ls, ls. The fix drops one ls and adds pwd; the person had added cat.
    const edits = {
      'command-rules:allow_list': {
        kind: 'command-rules' as const,
        list: 'allow_list' as const,
        value: ['ls', 'ls', 'cat'],
      },
    };
    expect(rebaseFix(fix, snapshot, edits)).toEqual([
      { kind: 'command-rules', list: 'allow_list', value: ['ls', 'cat', 'pwd'] },
    ]);
    expect(rebaseFix(fix, snapshot, {})).toEqual(fix.edits);
  });

  it('places findings on the right occurrence of an entry', () => {
    const dup: LintFinding = {
      ...star,
      id: 'dup',
      kind: 'duplicate',
      rule: { ...star.rule!, list: 'allow_list', entry: 'ls', index: 1 },
    };
    const placed = listFindings([dup, star], snapshot, 'allow_list', 'workspace');
    expect([...placed.keys()]).toEqual(['ls\u00001']);
    expect(listFindings([star], snapshot, 'allow_glob', 'workspace').get('*\u00000')).toEqual([
      star,
    ]);
    expect(listFindings([star], snapshot, 'allow_glob', 'user').size).toBe(0);
  });

  it('says how many problems of each kind', () => {
    expect(findingsHeadline([])).toBe('No problems found');
    expect(
      findingsHeadline([star, { ...star, severity: 'info' }, { ...star, severity: 'info' }]),
    ).toBe('3 problems: 1 error, 2 notes');
  });
});
