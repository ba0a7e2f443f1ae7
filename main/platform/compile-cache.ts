import { mkdirSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import { resolveAppPaths } from './paths';

/**
 * Keep V8's compiled code of the app's modules between starts (half of a cold start was compiling
 * the same JavaScript again). The cache lives in the app's data folder, which is private (0700)
 * and sensitive to the policy and the sandbox: no command or tool can read or plant an entry.
 * `VTCODE_DESKTOP_NO_COMPILE_CACHE=1` turns it off. Never fails a start.
 */
export function enableAppCompileCache(env: NodeJS.ProcessEnv = process.env): void {
  if (env.VTCODE_DESKTOP_NO_COMPILE_CACHE) return;
  try {
    const dir = join(resolveAppPaths(env).dataDir, 'compile-cache');
    // Node before 22.1 has no compile cache (a namespace import, so it still loads there).
    const enable = (nodeModule as { enableCompileCache?: (dir: string) => unknown })
      .enableCompileCache;
    if (typeof enable !== 'function') return;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    enable(dir);
  } catch {
    // A read-only home or an old Node: start without the cache.
  }
}
