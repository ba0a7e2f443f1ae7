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
      'rule `tools.policies.write_file` (tool_policy, policy.toml)',
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

  it('a rule alone', () => {
    expect(ruleInWords(glob)).toBe('rule `git *` (allow_glob, workspace vtcode.toml)');
  });
});

describe('rows', () => {
  const base = {
    kind: 'call',
    decision: 'prompt',
    subjects: [{ kind: 'command', command: 'npm test' }],
  } as unknown as ActivityRecord;

  it('offer a rule for a command that asked or was denied, not for one allowed or a file', () => {
    expect(offersRule(base)).toBe(true);
    expect(offersRule({ ...base, decision: 'deny' })).toBe(true);
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
