import { describe, expect, it } from 'vitest';
import { parsePermissionRule } from '../../../shared/domain/permission-grammar';
import { mapClaudeRule, readClaudeSettings } from './claude';
import type { Mapping } from './types';

const ctx = { workspaces: ['/home/me/proj', '/real/proj'], home: '/home/me' };
const entries = (m: Mapping) => (m.ok ? m.changes.map((c) => `${c.list}:${c.entry}`) : m.why);

describe('Claude Code rules as [permissions] entries', () => {
  it.each<[string, 'allow' | 'ask' | 'deny', string[]]>([
    ['Bash(git status)', 'allow', ['allow:exec_command(git status)']],
    [
      'Bash(npm run test:*)',
      'allow',
      ['allow:exec_command(npm run test)', 'allow:exec_command(npm run test *)'],
    ],
    [
      'Bash(npm run lint *)',
      'deny',
      ['deny:exec_command(npm run lint)', 'deny:exec_command(npm run lint *)'],
    ],
    ['Bash(git * main)', 'ask', ['ask:exec_command(git * main)']],
    ['Bash(ls [a]?)', 'allow', ['allow:exec_command(ls [[]a][?])']],
    ['Bash(rm -rf:*)', 'deny', ['deny:exec_command(rm -rf)', 'deny:exec_command(rm -rf *)']],
    ['Bash', 'deny', ['deny:exec_command']],
    ['Read', 'allow', ['allow:read']],
    ['Read(*)', 'allow', ['allow:read']],
    ['Read(./src/**)', 'allow', ['allow:read(./src/**)']],
    ['Read(.env)', 'deny', ['deny:read(.env)']],
    ['Read(//etc/**)', 'deny', ['deny:read(//etc/**)']],
    ['Read(~/proj/docs/**)', 'allow', ['allow:read(~/proj/docs/**)']],
    ['Read(//real/proj/src/**)', 'allow', ['allow:read(//real/proj/src/**)']],
    ['Edit(/docs/**)', 'allow', ['allow:edit(/docs/**)']],
    ['MultiEdit(src/**/*.ts)', 'ask', ['ask:edit(src/**/*.ts)']],
    ['Write(*.pem)', 'deny', ['deny:write(*.pem)']],
    ['NotebookEdit', 'deny', ['deny:edit']],
    ['WebFetch', 'ask', ['ask:webfetch']],
    ['WebFetch(domain:example.com)', 'allow', ['allow:WebFetch(domain:example.com)']],
    ['WebSearch', 'allow', ['allow:web_search']],
    ['TodoWrite', 'allow', ['allow:task_tracker']],
    ['Task', 'deny', ['deny:agent']],
    ['mcp__github', 'allow', ['allow:mcp__github']],
    ['mcp__github__*', 'deny', ['deny:mcp__github__*']],
    ['mcp__github__create_pull_request', 'ask', ['ask:mcp__github__create_pull_request']],
  ])('%s (%s)', (rule, list, expected) => {
    const m = mapClaudeRule(rule, list, ctx);
    expect(entries(m)).toEqual(expected);
    // Every entry written is a rule of the grammar.
    if (m.ok) for (const c of m.changes) expect(parsePermissionRule(c.entry).ok).toBe(true);
  });

  it.each<[string, 'allow' | 'ask' | 'deny', RegExp]>([
    ['Read(//etc/**)', 'allow', /\/etc is outside the workspace/],
    ['Edit(~/.ssh/**)', 'allow', /\.ssh is outside the workspace/],
    ['Read(../x)', 'deny', /not a rule: `\.\.`/],
    ['WebFetch(https://example.com)', 'allow', /only WebFetch\(domain:HOST\)/],
    ['WebSearch(cats)', 'allow', /cannot name part of WebSearch/],
    ['Task(Explore)', 'allow', /cannot name part of Task/],
    ['Grep', 'allow', /no rule for Grep alone/],
    ['Glob(src/**)', 'deny', /no rule for Glob alone/],
    ['LS', 'deny', /no rule for LS alone/],
    ['KillShell', 'deny', /"KillShell" is a Claude Code tool vtcode.toml has no rule for/],
    ['mcp__github__get_*', 'allow', /only a whole \*/],
    ['Bash(git *:*)', 'allow', /another \*/],
    ['Bash(rm -rf', 'deny', /must end with/],
    ['', 'deny', /not a rule/],
    ['Bash(a\nb)', 'deny', /not a rule/],
  ])('does not map %j (%s)', (rule, list, why) => {
    const m = mapClaudeRule(rule, list, ctx);
    expect(m.ok).toBe(false);
    if (!m.ok) expect(m.why).toMatch(why);
  });

  it.each([
    ['Bash', /runs any command/],
    ['Bash(*)', /runs any command/],
    ['Bash(python3:*)', /python3.*runs whatever code/],
    ['Bash(npx *)', /npx.*runs whatever code/],
    ['Bash(* --help)', /matches any command/],
  ])('flags %s as running anything when allowed', (rule, warning) => {
    const m = mapClaudeRule(rule, 'allow', ctx);
    expect(m.ok && m.warning).toMatch(warning);
    expect(mapClaudeRule(rule, 'deny', ctx)).toMatchObject({ ok: true, warning: null });
  });

  it('never maps a prefix to something broader than the prefix', () => {
    const m = mapClaudeRule('Bash(npm run test:*)', 'allow', ctx);
    expect(entries(m)).not.toContain('allow:exec_command(npm *)');
    expect(entries(m)).not.toContain('allow:exec_command(npm run test*)');
  });

  it('notes that a host rule covers subdomains, and an absolute rule over the workspace', () => {
    expect(mapClaudeRule('WebFetch(domain:example.com)', 'allow', ctx)).toMatchObject({
      note: expect.stringMatching(/subdomains/) as unknown,
    });
    expect(mapClaudeRule('Read(//home/**)', 'allow', ctx)).toMatchObject({
      ok: true,
      note: expect.stringMatching(/only its part inside the workspace/) as unknown,
    });
  });
});

describe('Claude Code settings files', () => {
  const read = (text: string) =>
    readClaudeSettings({ file: '/p/.claude/settings.json', text }, ctx).map((r) => ({
      where: r.source.where,
      text: r.source.text,
      ok: r.mapping.ok,
      why: r.mapping.ok ? null : r.mapping.why,
      warning: r.mapping.warning,
    }));

  it('reads every list, additionalDirectories and defaultMode, in order', () => {
    const rows = read(
      JSON.stringify({
        model: 'x',
        permissions: {
          allow: ['Bash(git status)', 'Read(//etc/**)'],
          ask: ['Edit(/docs/**)'],
          deny: ['Read(.env)', 42],
          additionalDirectories: ['../shared'],
          defaultMode: 'bypassPermissions',
          disableBypassPermissionsMode: 'disable',
        },
      }),
    );
    expect(rows.map((r) => [r.where, r.ok])).toEqual([
      ['permissions.allow[0]', true],
      ['permissions.allow[1]', false],
      ['permissions.ask[0]', true],
      ['permissions.deny[0]', true],
      ['permissions.deny[1]', false],
      ['permissions.additionalDirectories[0]', false],
      ['permissions.defaultMode', false],
      ['permissions.disableBypassPermissionsMode', false],
    ]);
    expect(rows[5]?.why).toMatch(/inside the workspace/);
    expect(rows[6]).toMatchObject({
      why: expect.stringMatching(/skip every permission check/) as unknown,
      warning: expect.stringMatching(/without asking/) as unknown,
    });
  });

  it.each([
    ['{ "permissions": { "allow": ["Bash"] ', /not valid JSON/],
    ['[1, 2]', /JSON object/],
    ['{ "permissions": [] }', /must be an object/],
    ['{ "permissions": { "allow": "Bash" } }', /array of rule strings/],
  ])('reports a file it cannot use: %s', (text, why) => {
    const rows = read(text);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.why).toMatch(why);
  });

  it('never echoes the text of a file that is not JSON', () => {
    const rows = read('-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n');
    expect(JSON.stringify(rows)).not.toContain('OPENSSH');
  });

  it('has nothing to say about a file without permissions', () => {
    expect(read('{ "model": "opus" }')).toEqual([]);
  });
});
