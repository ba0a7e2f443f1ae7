// Whether the built app (out/) is older than its sources, so the CLI can rebuild before it runs.
// Plain JavaScript: it runs before anything is built.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Folders and files whose changes change what `electron-vite build` writes. */
export const SOURCE_ROOTS = ['main', 'shared', 'preload', 'renderer'];
export const SOURCE_FILES = ['electron.vite.config.ts', 'package.json', 'package-lock.json'];
/** What the build writes that the CLI needs: the CLI itself and the page `serve` hands out. */
export const BUILT_FILES = [join('out', 'main', 'cli.js'), join('out', 'renderer', 'index.html')];

const isTest = (name) => /\.test\.tsx?$/.test(name);

function mtimeOf(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

/** The newest modification time under `dir` (tests left out; they are not built). */
function newestUnder(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestUnder(path));
    else if (entry.isFile() && !isTest(entry.name)) newest = Math.max(newest, mtimeOf(path) ?? 0);
  }
  return newest;
}

/**
 * 'missing' when a built file is absent, 'stale' when a source is newer than the oldest built
 * file, 'fresh' otherwise; 'no-sources' in an installed copy (nothing to rebuild from).
 */
export function buildState(root) {
  const built = BUILT_FILES.map((f) => mtimeOf(join(root, f)));
  const hasSources = mtimeOf(join(root, 'main', 'cli', 'index.ts')) !== null;
  if (built.some((m) => m === null)) return hasSources ? 'missing' : 'no-sources';
  if (!hasSources) return 'no-sources';
  const oldestBuilt = Math.min(...built);
  let newestSource = 0;
  for (const dir of SOURCE_ROOTS)
    newestSource = Math.max(newestSource, newestUnder(join(root, dir)));
  for (const file of SOURCE_FILES)
    newestSource = Math.max(newestSource, mtimeOf(join(root, file)) ?? 0);
  return newestSource > oldestBuilt ? 'stale' : 'fresh';
}
