import type { AuditSettings } from '../config/effective';
import { SessionSealer } from '../guard/session-seal';
import type { AppPaths } from '../platform/paths';
import { ActivityStore, activityDir, type ReadRecord } from './activity-store';

/**
 * Every record of a workspace's activity log, for reading only (lint, explain, the CLI): where
 * the audit keys put it, opened with the app's seal so forged lines read as unsealed. A log that
 * cannot be read gives no records and a warning, never a failure.
 */
export async function readWorkspaceActivity(
  workspace: string,
  audit: AuditSettings,
  paths: Pick<AppPaths, 'home' | 'dataDir'>,
  options: { since?: Date } = {},
): Promise<{ records: ReadRecord[]; warnings: string[] }> {
  const store = new ActivityStore(
    workspace,
    activityDir(workspace, audit, paths.home),
    SessionSealer.forDataDir(paths.dataDir),
    // Reading only: nothing is written, so nothing needs redacting here.
    (text) => text,
  );
  try {
    return await store.readAll(options);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { records: [], warnings: [`the activity log cannot be read: ${why}`] };
  }
}
