import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkspaceTrust } from '../../shared/domain/workspace';
import { resolveAppPaths } from '../platform/paths';
import { TRUST_FILE } from './trust-store';

/** Tests: record a trust choice for `folder` in the data folder `env` points at (synchronously). */
export function trustForTests(
  env: NodeJS.ProcessEnv,
  folder: string,
  trust: WorkspaceTrust = 'trusted',
): void {
  const dir = resolveAppPaths(env).dataDir;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, TRUST_FILE);
  let folders: Record<string, unknown> = {};
  try {
    folders = (JSON.parse(readFileSync(file, 'utf8')) as { folders: Record<string, unknown> })
      .folders;
  } catch {
    // First choice in this data folder.
  }
  folders[realpathSync(folder)] = { trust, at: new Date().toISOString() };
  writeFileSync(file, JSON.stringify({ version: 1, folders }));
}
