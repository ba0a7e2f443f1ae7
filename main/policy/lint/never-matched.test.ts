import { describe, expect, it } from 'vitest';
import type { ActivityRecord } from '../../../shared/domain/activity';
import type { RuleRef } from '../../../shared/domain/policy';
import type { ReadRecord } from '../../activity/activity-store';
import { lintFixture } from './lint-testing';
import { neverMatchedFindings, sealedSummary } from './never-matched';
import { lintedRules } from './rule-set';

const TOML =
  '[commands]\nallow_list = ["git status", "ls"]\nallow_glob = ["cargo *"]\ndeny_glob = ["rm *"]\n';

function record(at: string, refs: { part?: RuleRef; by?: RuleRef } = {}): ActivityRecord {
  return {
    v: 1,
    id: `r-${at}`,
    at,
    sessionId: 's',
    turnId: 't',
    callId: 'c',
    kind: 'call',
    tool: 'exec_command',
    subject: 'x',
    subjects: [],
    policy: { decision: 'allow', reason: 'x', rule: null },
    decision: 'allow',
    by: refs.by ? { kind: 'rule', rule: refs.by } : { kind: 'user' },
    reason: 'x',
    parts: refs.part
      ? [{ text: 'x', command: 'x', decision: 'allow', reason: 'x', rule: refs.part }]
      : [],
    paths: [],
  };
}

async function setup() {
  const f = await lintFixture(TOML);
  const rules = lintedRules(f.config);
  const ref = (entry: string): RuleRef => {
    const r = [...rules.allow, ...rules.deny].find((x) => x.location.entry === entry);
    if (!r) throw new Error(entry);
    return r.compiled.ref;
  };
  return { f, rules, ref };
}

describe('rules that never matched', () => {
  it('names the allow rules no sealed record used, never the deny rules', async () => {
    const { f, rules, ref } = await setup();
    const activity: ReadRecord[] = [
      { record: record('2026-10-02T00:00:00Z', { part: ref('git status') }), sealed: true },
      { record: record('2026-10-01T00:00:00Z', { by: ref('cargo *') }), sealed: true },
      // A line someone wrote into the log does not count.
      { record: record('2026-09-01T00:00:00Z', { part: ref('ls') }), sealed: false },
    ];
    const out = neverMatchedFindings(f.config, rules, activity);
    expect(out.map((x) => [x.kind, x.severity, x.rule?.entry])).toEqual([
      ['never-matched', 'info', 'ls'],
    ]);
    expect(out[0]?.message).toContain('2 decisions');
    expect(out[0]?.message).toContain('since 2026-10-01');
    expect(out[0]?.fix?.edits).toEqual([
      { kind: 'command-rules', list: 'allow_list', value: ['git status'] },
    ]);
    expect(sealedSummary(activity)).toEqual({ records: 2, since: '2026-10-01T00:00:00Z' });
  });

  it('says nothing when the log has no sealed records', async () => {
    const { f, rules, ref } = await setup();
    expect(neverMatchedFindings(f.config, rules, [])).toEqual([]);
    const forged = [{ record: record('2026-10-01T00:00:00Z', { part: ref('ls') }), sealed: false }];
    expect(neverMatchedFindings(f.config, rules, forged)).toEqual([]);
  });

  it('a rule of the same text in another file is another rule', async () => {
    const { f, rules, ref } = await setup();
    const other: RuleRef = { ...ref('ls'), source: { layer: 'user', file: '/elsewhere.toml' } };
    const activity = [
      { record: record('2026-10-01T00:00:00Z', { part: other }), sealed: true },
      { record: record('2026-10-01T00:00:01Z', { part: ref('git status') }), sealed: true },
      { record: record('2026-10-01T00:00:02Z', { part: ref('cargo *') }), sealed: true },
    ];
    expect(neverMatchedFindings(f.config, rules, activity).map((x) => x.rule?.entry)).toEqual([
      'ls',
    ]);
  });
});
