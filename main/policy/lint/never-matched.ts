import type { ActivityRecord } from '../../../shared/domain/activity';
import type { LintFinding } from '../../../shared/domain/policy-lint';
import type { RuleRef } from '../../../shared/domain/policy';
import type { ReadRecord } from '../../activity/activity-store';
import type { VtcodeConfig } from '../../config/effective';
import { fileName, finding, ruleName, type LintedRule } from './lint-types';
import { removeFix } from './rule-set';

const refKey = (ref: RuleRef): string =>
  [ref.section, ref.kind, ref.entry, ref.source.file ?? ''].join('\0');

/** Every rule a record names: the policy's verdict, each command part and path, and who decided. */
function rulesOf(record: ActivityRecord): RuleRef[] {
  const refs: RuleRef[] = [];
  if (record.policy.rule) refs.push(record.policy.rule);
  for (const p of record.parts) if (p.rule) refs.push(p.rule);
  for (const p of record.paths) if (p.rule) refs.push(p.rule);
  if (record.by.kind === 'rule') refs.push(record.by.rule);
  return refs;
}

/** What the log holds that counts: sealed records (lines a repository shipped are not trusted). */
export function sealedSummary(activity: readonly ReadRecord[]): {
  records: number;
  since: string | null;
} {
  const sealed = activity.filter((r) => r.sealed);
  const since = sealed.reduce<string | null>(
    (min, r) => (min === null || r.record.at < min ? r.record.at : min),
    null,
  );
  return { records: sealed.length, since };
}

/**
 * Allow and ask rules no sealed decision ever named (deny rules are left alone: a denial that
 * never fired still protects). Only when the log has records; info, with removal as the fix.
 */
export function neverMatchedFindings(
  config: VtcodeConfig,
  rules: { readonly allow: readonly LintedRule[]; readonly ask: readonly LintedRule[] },
  activity: readonly ReadRecord[],
): LintFinding[] {
  const { records, since } = sealedSummary(activity);
  if (records === 0) return [];
  const used = new Set<string>();
  for (const r of activity)
    if (r.sealed) for (const ref of rulesOf(r.record)) used.add(refKey(ref));
  const when = since ? ` since ${since.slice(0, 10)}` : '';
  return [...rules.allow, ...rules.ask]
    .filter((rule) => !used.has(refKey(rule.compiled.ref)))
    .map((rule) =>
      finding({
        severity: 'info',
        kind: 'never-matched',
        message: `${ruleName(rule.location)} (${fileName(rule.location)}) never decided anything: none of the ${records} decision${records === 1 ? '' : 's'} in the activity log${when} used it.`,
        rule: rule.location,
        fix: removeFix(config, rule.location),
      }),
    );
}
