import type { ConfigLayer, PolicySnapshot } from '../../shared/domain/policy';
import type { PolicyEdit } from '../../shared/domain/policy-edit';
import type { LintFinding, LintFix, LintSeverity } from '../../shared/domain/policy-lint';
import { ruleEntries, type PolicyEdits } from './policy-draft';

/*
 * Pure helpers for lint findings in the policy editor: a fix is computed by main from the saved
 * file, so before it is staged it is replayed onto the unsaved edits of the same list (the person
 * may have changed that list already); and findings are placed next to the rows they are about.
 */

/** How many times each entry occurs. */
function counts(list: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of list) m.set(e, (m.get(e) ?? 0) + 1);
  return m;
}

/**
 * The edits to stage for a fix: a `[commands]` list edit is turned into what it removes and adds
 * relative to the saved list, and that is applied to the list as already edited.
 */
export function rebaseFix(
  fix: LintFix,
  snapshot: PolicySnapshot,
  edits: PolicyEdits,
): PolicyEdit[] {
  return fix.edits.map((edit) => {
    if (edit.kind !== 'command-rules') return edit;
    const staged = edits[`command-rules:${edit.list}`];
    if (staged?.kind !== 'command-rules') return edit;
    const saved = ruleEntries(snapshot, {}, edit.list, fix.target, fix.target);
    const before = counts(saved);
    const after = counts(edit.value);
    const value = [...staged.value];
    for (const [entry, n] of before) {
      for (let k = after.get(entry) ?? 0; k < n; k++) {
        const at = value.indexOf(entry);
        if (at >= 0) value.splice(at, 1);
      }
    }
    // Entries the fix adds, unless the edited list has them already.
    for (const [entry, n] of after) {
      const extra = n - (before.get(entry) ?? 0);
      if (extra > 0 && !value.includes(entry)) for (let k = 0; k < extra; k++) value.push(entry);
    }
    return { ...edit, value };
  });
}

/** Where a finding's rule shows: its list and file, and which occurrence of its entry it is. */
export function placeKey(entry: string, occurrence: number): string {
  return `${entry}\0${occurrence}`;
}

/**
 * The `[commands]` findings of one list in one file, keyed by entry and occurrence (the second
 * `ls` of a list is another row than the first), counted on the saved list the finding is about.
 */
export function listFindings(
  findings: readonly LintFinding[],
  snapshot: PolicySnapshot,
  list: string,
  layer: ConfigLayer,
): Map<string, LintFinding[]> {
  const saved = snapshot.commands.filter((r) => r.kind === list && r.source.layer === layer);
  const out = new Map<string, LintFinding[]>();
  for (const f of findings) {
    const r = f.rule;
    if (!r || r.section !== 'commands' || r.list !== list || r.layer !== layer) continue;
    const index = r.index ?? saved.findIndex((e) => e.entry === r.entry);
    const occurrence = saved.slice(0, Math.max(index, 0)).filter((e) => e.entry === r.entry).length;
    const key = placeKey(r.entry, occurrence);
    out.set(key, [...(out.get(key) ?? []), f]);
  }
  return out;
}

/** Whether the Rules view shows the finding next to a rule (else the summary carries it all). */
export function hasPlace(f: LintFinding): boolean {
  return f.rule?.section === 'commands' || f.rule?.section === 'tools.policies';
}

/** "3 problems: 1 error, 1 warning, 1 note". */
export function findingsHeadline(findings: readonly LintFinding[]): string {
  if (findings.length === 0) return 'No problems found';
  const n = (s: LintSeverity) => findings.filter((f) => f.severity === s).length;
  const parts = [
    [n('error'), 'error'],
    [n('warning'), 'warning'],
    [n('info'), 'note'],
  ]
    .filter(([count]) => (count as number) > 0)
    .map(([count, word]) => `${count} ${word as string}${count === 1 ? '' : 's'}`);
  const total = findings.length;
  return `${total} problem${total === 1 ? '' : 's'}: ${parts.join(', ')}`;
}
