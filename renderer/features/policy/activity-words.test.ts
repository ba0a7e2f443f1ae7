import { describe, expect, it } from 'vitest';
import type { ActivityRecord, Decider } from '../../../shared/domain/activity';
import type { RuleRef } from '../../../shared/domain/policy';
import { deciderInWords, offersRule, recordTime, ruleInWords } from './activity-words';

const glob: RuleRef = {
  kind: 'allow_glob',
  entry: 'git *',
  section: 'commands',
  source: { layer: 'workspace', file: '/w/vtcode.toml' },
};

describe('who decided, in words', () => {
  it.each<[Decider, ActivityRecord['answer'], string]>([
    [{ kind: 'rule', rule: glob }, undefined, 'rule `git *` (allow_glob, workspace vtcode.toml)'],
    [
      {
        kind: 'rule',
        rule: {
          ...glob,
          kind: 'deny_list',
          entry: 'rm',
          source: { layer: 'user', file: '/h/vtcode.toml' },
        },
      },
      undefined,
      'rule `rm` (deny_list, user vtcode.toml)',
    ],
    [
      {
        kind: 'rule',
        rule: {
          ...glob,
          kind: 'tool_policy',
          entry: 'tools.policies.write_file',
          source: { layer: 'explicit', file: '/ci/policy.toml' },
        },
      },
      undefined,
      'setting `tools.policies.write_file` (policy.toml)',
    ],
    [
      {
        kind: 'rule',
        rule: {
          kind: 'builtin',
          entry: 'mode: plan',
          section: 'builtin',
          source: { layer: 'default', file: null },
        },
      },
      undefined,
      'built-in rule: mode: plan',
    ],
    [{ kind: 'user' }, 'approved-once', 'you: allowed once'],
    [{ kind: 'user' }, 'approved-session', 'you: allowed for this session'],
    [{ kind: 'user' }, 'denied', 'you: denied'],
    [{ kind: 'user' }, 'cancelled', 'you: cancelled (the turn was stopped)'],
    [{ kind: 'grant', grantId: 'g-1', text: 'npm test' }, undefined, 'session grant `npm test`'],
    [{ kind: 'mode', mode: 'plan' }, undefined, 'mode: plan'],
    [{ kind: 'mode', mode: 'full_auto' }, undefined, 'mode: full auto'],
    [{ kind: 'headless', answer: 'deny' }, 'denied', 'headless: denied'],
    [{ kind: 'headless', answer: 'approve' }, 'approved-once', 'headless: approved (--yes)'],
  ])('%j %s', (by, answer, words) => {
    expect(deciderInWords(by, answer)).toBe(words);
  });

  it.each<[Partial<RuleRef>, string]>([
    [{}, 'rule `git *` (allow_glob, workspace vtcode.toml)'],
    [
      { kind: 'tool_policy', entry: 'tools.policies.write_file' },
      'setting `tools.policies.write_file` (workspace vtcode.toml)',
    ],
    [
      { kind: 'default_policy', entry: 'prompt', source: { layer: 'default', file: null } },
      'default policy `prompt` (tools.default_policy, built in)',
    ],
    [
      { kind: 'human_in_the_loop', entry: 'true', source: { layer: 'default', file: null } },
      'no rule allows it, so a person decides (security.human_in_the_loop, built in)',
    ],
    [
      { kind: 'sensitive_path', entry: '~/.ssh/**', source: { layer: 'default', file: null } },
      'secret path `~/.ssh/**` (sandbox.sensitive_paths, built in)',
    ],
    [{ kind: 'workspace_boundary', entry: '..' }, 'outside the workspace (workspace vtcode.toml)'],
  ])('a rule alone: %j', (over, words) => {
    expect(ruleInWords({ ...glob, ...over })).toBe(words);
  });
});

describe('rows', () => {
  const base = {
    kind: 'call',
    decision: 'prompt',
    policy: { decision: 'prompt', reason: 'asks', rule: null },
    subjects: [{ kind: 'command', command: 'npm test' }],
  } as unknown as ActivityRecord;

  it('offer a rule for a command that asked, or that only the mode or a headless run denied', () => {
    expect(offersRule(base)).toBe(true);
    expect(offersRule({ ...base, decision: 'deny' })).toBe(true);
    expect(
      offersRule({ ...base, decision: 'deny', policy: { ...base.policy, decision: 'deny' } }),
    ).toBe(false);
    expect(offersRule({ ...base, decision: 'allow' })).toBe(false);
    expect(offersRule({ ...base, kind: 'approval' })).toBe(false);
    expect(offersRule({ ...base, subjects: [{ kind: 'path', path: 'a', op: 'write' }] })).toBe(
      false,
    );
  });

  it('show the time today, the day before that', () => {
    const now = new Date(2026, 10, 30, 12, 0, 0);
    expect(recordTime(new Date(2026, 10, 30, 9, 5, 7).toISOString(), now)).not.toMatch(/Nov/);
    expect(recordTime(new Date(2026, 10, 2, 9, 5, 7).toISOString(), now)).toMatch(/Nov|11/);
    expect(recordTime('garbage', now)).toBe('garbage');
  });
});
