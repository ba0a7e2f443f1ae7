import { createHash } from 'node:crypto';
import {
  PERMISSION_RULE_LISTS,
  type PermissionRuleList,
  type PolicyEdit,
} from '../../../shared/domain/policy-edit';
import type { ImportRow } from '../../../shared/domain/policy-import';
import type { ReadRule } from './types';

/** The `[permissions]` rules already there: the target file's own, and the other file's. */
export interface ExistingRules {
  readonly target: Readonly<Record<PermissionRuleList, readonly string[]>>;
  readonly targetFile: string;
  readonly elsewhere: readonly {
    readonly list: PermissionRuleList;
    readonly entry: string;
    readonly file: string;
  }[];
}

/** A row id that stays the same for the same file, place and text (and changes if any does). */
export function rowId(file: string | null, where: string, text: string): string {
  return createHash('sha256')
    .update(`${file ?? '(pasted)'}\0${where}\0${text}`)
    .digest('hex')
    .slice(0, 16);
}

/**
 * The preview rows: each source rule with the entries it becomes, marked `duplicate` when the
 * files (or an earlier row) have every one of them already.
 */
export function buildRows(rules: readonly ReadRule[], existing: ExistingRules): ImportRow[] {
  const key = (list: string, entry: string) => `${list}\0${entry}`;
  const inFiles = new Map<string, string>();
  for (const e of existing.elsewhere) inFiles.set(key(e.list, e.entry), e.file);
  for (const list of PERMISSION_RULE_LISTS)
    for (const e of existing.target[list]) inFiles.set(key(list, e), existing.targetFile);
  const earlier = new Set<string>();
  const ids = new Set<string>();
  return rules.map(({ source, mapping }): ImportRow => {
    let id = rowId(source.file, source.where, source.text);
    // The same text at the same place twice (pasted twice) still gets two rows.
    for (let n = 2; ids.has(id); n++) id = rowId(source.file, `${source.where}#${n}`, source.text);
    ids.add(id);
    const base = { id, file: source.file, where: source.where, source: source.text };
    if (!mapping.ok)
      return {
        ...base,
        status: 'not-mapped',
        changes: [],
        why: mapping.why,
        note: null,
        warning: mapping.warning,
      };
    const changes = mapping.changes.map((c) => ({
      ...c,
      present: inFiles.has(key(c.list, c.entry)),
    }));
    const fresh = changes.filter((c) => !c.present && !earlier.has(key(c.list, c.entry)));
    for (const c of changes) earlier.add(key(c.list, c.entry));
    const file = changes.map((c) => inFiles.get(key(c.list, c.entry))).find((f) => f !== undefined);
    return {
      ...base,
      status: fresh.length === 0 ? 'duplicate' : 'new',
      changes,
      why:
        fresh.length > 0
          ? null
          : changes.every((c) => c.present)
            ? `already there: ${file ?? 'vtcode.toml'}`
            : 'an earlier rule of this import adds the same',
      note: mapping.note,
      warning: mapping.warning,
    };
  });
}

/**
 * The edits that add the chosen rows (all `new` rows when `accept` is null) to the target file:
 * one `permission-rules` edit per list, the file's own entries first, each new entry once.
 */
export function importEdits(
  rows: readonly ImportRow[],
  accept: ReadonlySet<string> | null,
  existing: ExistingRules,
): PolicyEdit[] {
  const lists = new Map<PermissionRuleList, string[]>();
  for (const row of rows) {
    if (row.status !== 'new' || (accept !== null && !accept.has(row.id))) continue;
    for (const c of row.changes) {
      if (c.present) continue;
      const list = lists.get(c.list) ?? [...existing.target[c.list]];
      if (!list.includes(c.entry)) list.push(c.entry);
      lists.set(c.list, list);
    }
  }
  return PERMISSION_RULE_LISTS.flatMap((list) => {
    const value = lists.get(list);
    return value ? [{ kind: 'permission-rules' as const, list, value }] : [];
  });
}
