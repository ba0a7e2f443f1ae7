import { describe, expect, it } from 'vitest';
import type { PolicySnapshot, ToolPolicyRow } from '../../shared/domain/policy';
import { policyEditSchema } from '../../shared/domain/policy-edit';
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

  it('writes an MCP tool under its whole name, dots and all', () => {
    const mcp = (tool: string) =>
      row({
        tool,
        aliases: [],
        key: `tools.policies.${tool}`,
        mcp: { server: 'srv', tool: tool.split('__')[2] ?? '', description: '', inputSchema: '{}' },
      });
    expect(toolKeyFor(mcp('mcp__srv__echo'), 'workspace')).toBe('mcp__srv__echo');
    expect(toolKeyFor(mcp('mcp__srv__get.item'), 'workspace')).toBe('mcp__srv__get.item');
    expect(toolKeyFor(mcp('mcp__srv__get.item'), 'user')).toBe('mcp__srv__get.item');
    // The edit it makes is one main accepts, and the row shows it.
    const edit = {
      kind: 'tool-policy' as const,
      tool: toolKeyFor(mcp('mcp__srv__get.item'), 'workspace'),
      value: 'deny' as const,
    };
    expect(policyEditSchema.safeParse(edit).success).toBe(true);
    expect(rowDecision(mcp('mcp__srv__get.item'), withEdit({}, edit), 'workspace')).toBe('deny');
    expect(
      policyEditSchema.safeParse({ ...edit, tool: `mcp__${'s'.repeat(32)}__${'t'.repeat(64)}` })
        .success,
    ).toBe(true);
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
