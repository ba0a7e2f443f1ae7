import { describe, expect, it } from 'vitest';
import type { ActivityRecord } from './activity';
import { decidingRule, matchesActivity } from './activity-match';
import type { ActivityFilter } from './activity-query';

const ws = { layer: 'workspace', file: '/w/vtcode.toml' } as const;
const askRule = { kind: 'human_in_the_loop', entry: 'true', section: 'security', source: ws };
const allowRule = { kind: 'allow_regex', entry: '^npm test$', section: 'commands', source: ws };

const record: ActivityRecord = {
  v: 1,
  id: 'r1',
  at: '2026-11-30T10:00:00.000Z',
  sessionId: 's-aaaaaa',
  turnId: 't-1',
  callId: 'c-1',
  kind: 'call',
  tool: 'exec_command',
  subject: 'npm test',
  subjects: [{ kind: 'command', command: 'npm test' }],
  policy: { decision: 'allow', reason: 'allowed by a rule', rule: allowRule },
  decision: 'prompt',
  by: { kind: 'rule', rule: askRule },
  reason: 'asks',
  parts: [{ text: 'npm test', command: 'npm', decision: 'allow', reason: 'ok', rule: null }],
  paths: [{ path: '/w/package.json', op: 'read', decision: 'allow', reason: 'ok', rule: null }],
} as ActivityRecord;

describe('decidingRule', () => {
  it("is the decider's rule, else the policy's", () => {
    expect(decidingRule(record)).toBe(askRule);
    expect(decidingRule({ ...record, by: { kind: 'user' } })).toBe(allowRule);
  });
});

describe('matchesActivity', () => {
  it.each<[string, ActivityFilter, boolean]>([
    ['no filter', {}, true],
    ['its decision', { decision: 'prompt' }, true],
    ['another decision', { decision: 'deny' }, false],
    ['its tool', { tool: 'exec_command' }, true],
    ['another tool', { tool: 'read_file' }, false],
    ['its session', { sessionId: 's-aaaaaa' }, true],
    ['another session', { sessionId: 's-bbbbbb' }, false],
    ['its decider', { by: 'rule' }, true],
    ['another decider', { by: 'user' }, false],
    ['a time before it', { since: '2026-11-30T09:00:00.000Z' }, true],
    ['a time after it', { since: '2026-11-30T11:00:00+00:00' }, false],
    ['the deciding rule’s section', { rule: 'SECURITY' }, true],
    ['the policy rule’s entry', { rule: 'npm test$' }, true],
    ['a rule file', { rule: 'vtcode.toml' }, true],
    ['no rule of it', { rule: 'deny_list' }, false],
    ['its subject', { text: 'NPM' }, true],
    ['one of its paths', { text: 'package.json' }, true],
    ['text it does not have', { text: 'cargo' }, false],
    ['all of several', { decision: 'prompt', tool: 'exec_command', text: 'test' }, true],
    ['one of several failing', { decision: 'prompt', tool: 'read_file' }, false],
  ])('%s', (_, filter, expected) => {
    expect(matchesActivity(record, filter)).toBe(expected);
  });
});
