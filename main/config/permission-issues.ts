import type { ConfigIssue } from '../../shared/domain/policy';
import { parsePermissionRule } from '../../shared/domain/permission-grammar';
import type { LayerValue } from './layer';

const LISTS = ['allow', 'ask', 'deny', 'auto'] as const;

/**
 * Warnings for `[permissions]` rule strings of one file: a rule that does not parse is ignored
 * (never read as allowing anything) and named by its list and index; an `auto` list is read as
 * `ask`, which is said once.
 */
export function permissionProblems(
  values: ReadonlyMap<string, LayerValue>,
  file: string,
  lineOf: (written: string) => number | null,
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const list of LISTS) {
    const v = values.get(`permissions.${list}`);
    if (!v || !Array.isArray(v.value)) continue;
    const line = lineOf(v.writtenKey);
    const warn = (key: string, message: string): void => {
      out.push({ file, key, line, column: null, message, severity: 'warning' });
    };
    if (list === 'auto' && v.value.length > 0) {
      warn(
        v.writtenKey,
        'read as ask: VT Code reviews `auto` rules with a classifier, which this app does not have, so a person decides',
      );
    }
    (v.value as string[]).forEach((entry, index) => {
      const parsed = parsePermissionRule(entry);
      const key = `${v.writtenKey}[${index}]`;
      if (!parsed.ok) warn(key, `${JSON.stringify(entry)} is ignored: ${parsed.why}`);
      else if (parsed.warning) warn(key, `${JSON.stringify(entry)}: ${parsed.warning}`);
    });
  }
  return out;
}
