import type { PermissionEntry } from '../../shared/domain/policy';
import { parsePermissionRule } from '../../shared/domain/permission-grammar';
import type { VtcodeConfig } from '../config/effective';

const LISTS = ['allow', 'ask', 'deny', 'auto'] as const;

/** The `[permissions]` rule strings in force, each with its file and what is wrong with it. */
export function permissionEntries(config: VtcodeConfig): PermissionEntry[] {
  return LISTS.flatMap((list) =>
    config.permissions[list].map((e) => {
      const parsed = parsePermissionRule(e.entry);
      return {
        list,
        entry: e.entry,
        source: e.source,
        problem: parsed.ok ? parsed.warning : parsed.why,
        ignored: !parsed.ok,
      };
    }),
  );
}
