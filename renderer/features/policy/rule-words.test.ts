import { describe, expect, it } from 'vitest';
import type { PolicySnapshot, RuleRef, ToolPolicyRow } from '../../../shared/domain/policy';
import { policyTargetSelector } from './open-policy';
import { citeRule, policyInWords, policyPhrases } from './rule-words';

const ws = { layer: 'workspace', file: '/w/vtcode.toml' } as const;
const builtin = { layer: 'default', file: null } as const;

describe('a rule in words', () => {
  it.each<[RuleRef, string | null, string, string | null, string | null]>([
    [
      { kind: 'default_policy', entry: 'prompt', section: 'tools', source: builtin },
      'write_file',
      'tools without their own setting ask first',
      'tools.default_policy',
      'default-policy',
    ],
    [
      {
        kind: 'tool_policy',
        entry: 'tools.policies.run_pty_cmd',
        section: 'tools.policies',
        source: ws,
      },
      'exec_command',
      'the setting for exec_command (older name run_pty_cmd)',
      'tools.policies.run_pty_cmd',
      'tool:exec_command',
    ],
    [
      { kind: 'deny_glob', entry: 'rm *', section: 'commands', source: ws },
      null,
      'the deny pattern “rm *”',
      'commands.deny_glob',
      'rule:deny_glob:rm *',
    ],
    [
      {
        kind: 'builtin',
        entry: 'protected: .vscode/settings.json',
        section: 'builtin',
        source: builtin,
      },
      'write_file',
      'a protected file (.vscode/settings.json)',
      null,
      null,
    ],
  ])('%j', (rule, tool, words, key, target) => {
    const c = citeRule(rule, tool);
    expect(c).toMatchObject({ words, key, target });
    expect(c.words).not.toMatch(/default_policy|tool_policy|deny_glob/);
  });

  it('names the file a rule comes from', () => {
    expect(
      citeRule({ kind: 'allow_list', entry: 'ls', section: 'commands', source: ws }).where,
    ).toBe('workspace vtcode.toml');
    expect(
      citeRule({ kind: 'default_policy', entry: 'prompt', section: 'tools', source: builtin })
        .where,
    ).toBe('built-in default');
  });

  it('finds the matrix row a link opens', () => {
    expect(policyTargetSelector('tool:write_file')).toBe('[data-policy-target="tool:write_file"]');
    expect(policyTargetSelector('sandbox')).toBe('section[aria-label="Sandbox"]');
  });
});

const row = (
  tool: string,
  decision: ToolPolicyRow['decision'],
  over: Partial<ToolPolicyRow> = {},
): ToolPolicyRow => ({
  tool,
  summary: '',
  aliases: [],
  decision,
  source: builtin,
  key: null,
  ...over,
});

function snapshot(
  rows: ToolPolicyRow[],
  commands: PolicySnapshot['commands'] = [],
): PolicySnapshot {
  return {
    tools: {
      defaultPolicy: 'prompt',
      defaultPolicySource: builtin,
      maxToolLoops: 40,
      matrix: rows,
      otherEntries: [],
    },
    commands,
  } as unknown as PolicySnapshot;
}

const defaults = [
  row('read_file', 'allow'),
  row('list_files', 'allow'),
  row('code_search', 'allow'),
  row('write_file', 'prompt'),
  row('edit_file', 'prompt'),
  row('apply_patch', 'prompt'),
  row('exec_command', 'prompt'),
];

describe('the policy in words', () => {
  it('says what the built-in defaults do (reads allowed, edits and commands ask)', () => {
    expect(policyInWords(snapshot(defaults))).toBe(
      'Reading and searching files is allowed; edits ask first; commands ask first.',
    );
    const phrases = policyPhrases(snapshot(defaults));
    expect(phrases[0]).toMatchObject({
      where: 'built-in: read-only tools are allowed',
      target: 'tool:read_file',
    });
    expect(phrases[1]).toMatchObject({ key: 'tools.default_policy', target: 'default-policy' });
  });

  it('names tools one by one when a group differs, citing their own setting', () => {
    const rows = defaults.map((r) =>
      r.tool === 'write_file'
        ? { ...r, decision: 'allow' as const, source: ws, key: 'tools.policies.write_file' }
        : r,
    );
    const phrases = policyPhrases(snapshot(rows));
    expect(phrases.map((p) => p.text)).toContain('write_file is allowed');
    expect(phrases.find((p) => p.text === 'write_file is allowed')).toMatchObject({
      where: 'workspace vtcode.toml',
      key: 'tools.policies.write_file',
      target: 'tool:write_file',
    });
  });

  it('says that command rules can allow commands', () => {
    const text = policyInWords(
      snapshot(defaults, [{ kind: 'allow_list', entry: 'git status', source: ws }]),
    );
    expect(text).toContain('commands ask first unless a command rule allows them');
  });
});
