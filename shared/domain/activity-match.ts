import type { ActivityRecord } from './activity';
import type { ActivityFilter } from './activity-query';

// Apart from activity-query.ts so that the renderer's activity slice, on the first screen, can
// filter records pushed live without loading the query schemas and zod with them (issue 18).

/** The rule that decided a record: the decider's, else what the policy cited. */
export function decidingRule(record: ActivityRecord) {
  return record.by.kind === 'rule' ? record.by.rule : record.policy.rule;
}

/** True when a record passes every filter given. */
export function matchesActivity(record: ActivityRecord, f: ActivityFilter): boolean {
  if (f.decision !== undefined && record.decision !== f.decision) return false;
  if (f.tool !== undefined && record.tool !== f.tool) return false;
  if (f.sessionId !== undefined && record.sessionId !== f.sessionId) return false;
  if (f.by !== undefined && record.by.kind !== f.by) return false;
  if (f.since !== undefined && Date.parse(record.at) < Date.parse(f.since)) return false;
  if (f.rule !== undefined) {
    const needle = f.rule.toLowerCase();
    const rules = [decidingRule(record), record.policy.rule];
    const hit = rules.some(
      (r) =>
        r !== null &&
        [r.entry, r.section, r.kind, r.source.file ?? ''].some((t) =>
          t.toLowerCase().includes(needle),
        ),
    );
    if (!hit) return false;
  }
  if (f.text !== undefined) {
    const needle = f.text.toLowerCase();
    const hay = [
      record.subject,
      record.reason,
      record.policy.reason,
      record.note ?? '',
      ...record.parts.map((p) => p.text),
      ...record.paths.map((p) => p.path),
    ];
    if (!hay.some((t) => t.toLowerCase().includes(needle))) return false;
  }
  return true;
}
