import { describe, expect, it } from 'vitest';
import { parsePermissionRule } from '../../../shared/domain/permission-grammar';
import { readCodexRules } from './codex';
import { parseStarlarkCalls } from './starlark';

const read = (text: string) =>
  readCodexRules({ file: '/home/me/.codex/rules/default.rules', text }).map((r) => ({
    where: r.source.where,
    source: r.source.text,
    entries: r.mapping.ok ? r.mapping.changes.map((c) => `${c.list}:${c.entry}`) : null,
    why: r.mapping.ok ? null : r.mapping.why,
    note: r.mapping.ok ? r.mapping.note : null,
    warning: r.mapping.warning,
  }));

describe('the Starlark subset of .rules files', () => {
  it('reads calls with strings, lists, numbers and constants, comments and trailing commas', () => {
    const file = parseStarlarkCalls(
      `# comment\nprefix_rule(\n  pattern = ["git", ['push', "fetch"]],  # alternatives\n  decision = "prompt",\n  match = [r"a\\b", """x\ny""", 'it\\'s'],\n  n = 3, t = True, f = False, z = None,\n)\nother()\n`,
    );
    expect(file.problems).toEqual([]);
    expect(file.calls.map((c) => [c.name, c.line])).toEqual([
      ['prefix_rule', 2],
      ['other', 9],
    ]);
    expect(file.calls[0]?.args).toEqual([
      { name: 'pattern', value: ['git', ['push', 'fetch']] },
      { name: 'decision', value: 'prompt' },
      { name: 'match', value: ['a\\b', 'x\ny', "it's"] },
      { name: 'n', value: 3 },
      { name: 't', value: true },
      { name: 'f', value: false },
      { name: 'z', value: null },
    ]);
    expect(file.calls[0]?.text.startsWith('prefix_rule(')).toBe(true);
    expect(file.calls[0]?.text.endsWith(')')).toBe(true);
  });

  it.each([
    ['x = ["git"]\n', 1, /only calls/],
    ['load("//x.star", "y")\nprefix_rule(pattern = ["ls"])\n', null, null],
    ['prefix_rule(pattern = ["a" + "b"])\n', 1, /not a value|expected/],
    ['prefix_rule(pattern = ["a" "b"])\n', 1, /side by side/],
    ['prefix_rule(pattern = PATTERNS)\n', 1, /not a value/],
    ['prefix_rule(pattern = {"a": 1})\n', 1, /not a value/],
    ['def f():\n  pass\n', 1, /only calls/],
    ['prefix_rule(pattern = ["a\\q"])\n', 1, /escape/],
    ['prefix_rule(pattern = ["a)\n', 1, /not closed/],
    ['prefix_rule(pattern = ["a"]\n', 1, /ends in the middle/],
    ['prefix_rule(pattern = ["a"]) prefix_rule(pattern = ["b"])\n', 1, /same line/],
  ])('reports %j and goes on', (text, line, why) => {
    const file = parseStarlarkCalls(text);
    if (line === null) {
      expect(file.calls.map((c) => c.name)).toEqual(['load', 'prefix_rule']);
      return;
    }
    expect(file.problems[0]).toMatchObject({
      line,
      why: expect.stringMatching(why ?? /./) as unknown,
    });
  });

  it('recovers at the next statement after a bad one', () => {
    const file = parseStarlarkCalls(
      'prefix_rule(pattern = [X, "a"],\n  decision = "allow")\nprefix_rule(pattern = ["ls"])\n',
    );
    expect(file.problems).toHaveLength(1);
    expect(file.calls.map((c) => c.line)).toEqual([3]);
  });
});

describe('Codex prefix rules as [permissions] entries', () => {
  it('maps a prefix to the words alone and the words followed by more, per decision', () => {
    const rows = read(
      [
        'prefix_rule(pattern = ["gh", "pr", "view"], decision = "prompt", justification = "reads PRs")',
        'prefix_rule(pattern = ["git", ["status", "diff"]])',
        'prefix_rule(pattern = ["rm", "-rf"], decision = "forbidden")',
      ].join('\n'),
    );
    expect(rows.map((r) => r.entries)).toEqual([
      ['ask:exec_command(gh pr view)', 'ask:exec_command(gh pr view *)'],
      [
        'allow:exec_command(git status)',
        'allow:exec_command(git status *)',
        'allow:exec_command(git diff)',
        'allow:exec_command(git diff *)',
      ],
      ['deny:exec_command(rm -rf)', 'deny:exec_command(rm -rf *)'],
    ]);
    expect(rows[0]?.note).toMatch(/justification: reads PRs/);
    expect(rows.map((r) => r.where)).toEqual(['line 1', 'line 2', 'line 3']);
    for (const r of rows)
      for (const e of r.entries ?? [])
        expect(parsePermissionRule(e.split(':').slice(1).join(':')).ok).toBe(true);
  });

  it('keeps glob characters in a word literal', () => {
    const rows = read('prefix_rule(pattern = ["ls", "*.txt", "a?"])');
    expect(rows[0]?.entries).toEqual([
      'allow:exec_command(ls [*].txt a[?])',
      'allow:exec_command(ls [*].txt a[?] *)',
    ]);
  });

  it('checks the rule against its own examples', () => {
    const good = read(
      'prefix_rule(pattern = ["gh", "pr", "view"], match = ["gh pr view 7888", ["gh", "pr", "view"]], not_match = ["gh pr --repo x view 1", "gh pr viewer"])',
    );
    expect(good[0]?.entries).not.toBeNull();
  });

  it.each([
    ['prefix_rule(pattern = ["git"], decision = "maybe")', /decision must be/],
    ['prefix_rule(pattern = [])', /non-empty list/],
    ['prefix_rule(decision = "allow")', /non-empty list/],
    ['prefix_rule(pattern = "git")', /non-empty list/],
    ['prefix_rule(pattern = ["git", []])', /empty list of alternatives/],
    ['prefix_rule(pattern = ["git commit"])', /holds a space/],
    ['prefix_rule(pattern = ["echo", "it\'s"])', /quote/],
    ['prefix_rule(pattern = [""])', /empty/],
    ['prefix_rule(pattern = ["a", 3])', /cannot be written/],
    ['prefix_rule(["git"])', /must be named/],
    ['prefix_rule(pattern = ["git"], when = "x")', /no argument when/],
    ['prefix_rule(pattern = ["git"], match = ["ls"])', /match example `ls` would not match/],
    [
      'prefix_rule(pattern = ["git"], not_match = ["git status"])',
      /not_match example `git status` would match/,
    ],
    ['prefix_rule(pattern = ["git"], match = "git")', /must be a list/],
    [`prefix_rule(pattern = [${'["a","b"],'.repeat(7)}])`, /more than 64/],
    ['network_rule(host = "example.com", decision = "allow")', /only prefix_rule/],
    ['RULES = []', /cannot read this: only calls/],
  ])('does not map %s', (text, why) => {
    const rows = read(text);
    expect(rows[0]?.entries).toBeNull();
    expect(rows[0]?.why).toMatch(why);
  });

  it('flags an allow for an interpreter as running anything', () => {
    expect(read('prefix_rule(pattern = ["python3"])')[0]?.warning).toMatch(/runs whatever code/);
    expect(
      read('prefix_rule(pattern = ["python3"], decision = "forbidden")')[0]?.warning,
    ).toBeNull();
    expect(read('prefix_rule(pattern = ["python3", "-m", "pytest"])')[0]?.warning).toBeNull();
  });

  it('lists statements it cannot read among the rules, in file order', () => {
    const rows = read('prefix_rule(pattern = ["ls"])\nX = 1\nprefix_rule(pattern = ["pwd"])\n');
    expect(rows.map((r) => [r.where, r.entries !== null])).toEqual([
      ['line 1', true],
      ['line 2', false],
      ['line 3', true],
    ]);
  });
});
