import { isAbsolute, join, relative, resolve } from 'node:path';
import type { AppPaths } from '../platform/paths';
import type { RunnerSandboxSettings } from './settings';

/** Home-relative places that hold keys, tokens or cloud credentials. */
export const DEFAULT_SENSITIVE_HOME_PATHS: readonly string[] = [
  '.ssh',
  '.aws',
  '.kube',
  '.gnupg',
  '.config/gcloud',
  '.azure',
  '.docker',
  '.netrc',
  '.git-credentials',
  '.local/share/keyrings',
];

function expandHome(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return path;
}

function isWithin(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export interface ReadRules {
  /** Denied for reading inside the sandbox. */
  readonly denyRead: string[];
  /** Re-allowed beneath a denied path (`[sandbox.sensitive_paths] exceptions`). */
  readonly allowRead: string[];
}

/**
 * The read rules of a run: the defaults (when used), the app's own config and data (they hold
 * settings and session logs the agent must not read back), plus `additional`; `exceptions` lift a
 * deny equal to them and re-open a path beneath one. Relative entries resolve against the
 * workspace, `~` against the user's home.
 */
export function sensitiveReadRules(
  settings: RunnerSandboxSettings['sensitivePaths'],
  appPaths: AppPaths,
  workspace: string,
): ReadRules {
  const home = appPaths.home;
  const abs = (p: string): string => resolve(workspace, expandHome(p, home));
  const deny = new Set<string>();
  if (settings.useDefaults) {
    for (const p of DEFAULT_SENSITIVE_HOME_PATHS) deny.add(join(home, p));
  }
  // The app's own files are always denied: the keychain adapter and config live there.
  deny.add(appPaths.configDir);
  deny.add(appPaths.dataDir);
  for (const p of settings.additional) deny.add(abs(p));

  const exceptions = settings.exceptions.map(abs);
  const denyRead = [...deny].filter((d) => !exceptions.includes(d));
  const allowRead = exceptions.filter((e) => denyRead.some((d) => isWithin(e, d)));
  return { denyRead, allowRead };
}
