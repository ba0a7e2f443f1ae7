import { describe, expect, it } from 'vitest';
import type { PolicySnapshot, ToolPolicyRow } from '../../shared/domain/policy';
import {
  editCount,
  editKey,
  rowDecision,
  ruleEntries,
  toolKeyFor,
  validateRule,
  withEdit,
} from './policy-draft';

const ws = { layer: 'workspace', file: '/w/vtcode.toml' } as const;
const user = { layer: 'user', file: '/u/vtcode.toml' } as const;

const row = (over: Partial<ToolPolicyRow> = {}): ToolPolicyRow => ({
  tool: 'exec_command',
  summary: 'Run a shell command in the workspace, inside the sandbox',
  aliases: ['run_pty_cmd'],
  decision: 'prompt',
  source: ws,
  key: 'tools.policies.run_pty_cmd',
  ...over,
});

const snapshot = {
  commands: [
    { kind: 'deny_glob', entry: 'rm *', source: ws },
    { kind: 'deny_glob', entry: 'sudo *', source: user },
    { kind: 'allow_list', entry: 'git status', source: ws },
  ],
} as unknown as PolicySnapshot;

describe('policy draft', () => {
  it('keeps one edit per thing edited', () => {
    let edits = withEdit({}, { kind: 'default-policy', value: 'allow' });
    edits = withEdit(edits, { kind: 'default-policy', value: 'deny' });
    edits = withEdit(edits, { kind: 'tool-policy', tool: 'read_file', value: 'allow' });
    expect(editCount(edits)).toBe(2);
    expect(edits['default-policy']).toEqual({ kind: 'default-policy', value: 'deny' });
    expect(editKey({ kind: 'command-rules', list: 'deny_glob', value: [] })).toBe(
      'command-rules:deny_glob',
    );
  });

  it('writes a tool under the spelling its file already uses, only in that file', () => {
    expect(toolKeyFor(row(), 'workspace')).toBe('run_pty_cmd');
    expect(toolKeyFor(row(), 'user')).toBe('exec_command');
    expect(toolKeyFor(row({ key: null }), 'workspace')).toBe('exec_command');
  });

  it('shows an unsaved decision over the file value', () => {
    const edits = withEdit({}, { kind: 'tool-policy', tool: 'run_pty_cmd', value: 'deny' });
    expect(rowDecision(row(), edits, 'workspace')).toBe('deny');
    expect(rowDecision(row(), edits, 'user')).toBe('prompt');
  });

  it('splits rule lists by file and applies edits to the target file only', () => {
    expect(ruleEntries(snapshot, {}, 'deny_glob', 'workspace', 'workspace')).toEqual(['rm *']);
    expect(ruleEntries(snapshot, {}, 'deny_glob', 'user', 'workspace')).toEqual(['sudo *']);
    const edits = withEdit(
      {},
      { kind: 'command-rules', list: 'deny_glob', value: ['rm *', 'dd *'] },
    );
    expect(ruleEntries(snapshot, edits, 'deny_glob', 'workspace', 'workspace')).toEqual([
      'rm *',
      'dd *',
    ]);
    expect(ruleEntries(snapshot, edits, 'deny_glob', 'user', 'workspace')).toEqual(['sudo *']);
  });

  it.each([
    ['deny_regex', '(unclosed', /Not a valid regular expression/],
    ['deny_regex', '^curl\\s', null],
    ['allow_list', '   ', /cannot be empty/],
    ['allow_glob', 'x'.repeat(2001), /longer than 2000/],
    ['allow_glob', 'npm *', null],
  ] as const)('validates %s %j', (list, entry, expected) => {
    const problem = validateRule(list, entry);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});
