import { readFileSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { isInside, realOrSelf } from './paths';
import { AUTO_RUN_ENTRIES, nameEquals } from './protected';
import { isEnvFileName } from './sensitive';

/** What of the workspace's real layout the protection model depends on. */
export interface WorkspaceLayout {
  /** Real git directories inside the workspace: `<repo>/.git` and what `.git` files/links name. */
  readonly gitDirs: readonly string[];
  /** `.git` entries that are files or symlinks (they choose a git directory). */
  readonly gitPointers: readonly string[];
  /**
   * Paths inside the workspace that git runs or reads as configuration because a config names
   * them: the `core.hooksPath` folder, files an `[include]`/`[includeIf]` path pulls in.
   */
  readonly hooksPaths: readonly string[];
  /** Existing auto-run entries below the workspace root (AUTO_RUN_ENTRIES at any depth). */
  readonly autoRun: readonly string[];
  /** Existing `.env*` files (secrets a project keeps beside its code). */
  readonly envFiles: readonly string[];
  /** Root entries that are the app's own names in another case (`VTCODE.TOML`). */
  readonly caseVariants: readonly string[];
  /** True when a folder above the workspace holds a `.git` (git there uses that repository). */
  readonly insideParentRepo: boolean;
  /** True when the scan stopped at its limit (a huge tree): deeper entries were not seen. */
  readonly incomplete: boolean;
}

/** Folders never walked: dependencies and build output nobody runs git or an editor in. */
const SKIP = new Set(['node_modules', '.venv', 'venv', '__pycache__', 'target', '.cache']);
const MAX_DIRS = 20_000;

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/*
 * A folder's entries change only with its own mtime/ctime, so the walk before each sandboxed run
 * re-reads just the folders that changed (a stat is several times cheaper than a readdir).
 */
const listingCache = new Map<string, { stamp: string; list: Dirent[] }>();
const MAX_CACHED = 100_000;

function cachedEntries(dir: string): Dirent[] {
  let stamp: string;
  try {
    const st = statSync(dir, { bigint: true });
    stamp = `${st.ino}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    listingCache.delete(dir);
    return [];
  }
  const hit = listingCache.get(dir);
  if (hit && hit.stamp === stamp) return hit.list;
  const list = entries(dir);
  if (listingCache.size >= MAX_CACHED) listingCache.clear();
  listingCache.set(dir, { stamp, list });
  return list;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').slice(0, 64 * 1024);
  } catch {
    return null;
  }
}

/** The `path` values of a git config's `[include]` and `[includeIf "..."]` sections. */
export function includePathsOf(configText: string): string[] {
  let section = '';
  const found: string[] = [];
  for (const raw of configText.split('\n')) {
    const line = raw.trim();
    const header = /^\[\s*([A-Za-z0-9.-]+)/.exec(line);
    if (header) {
      section = (header[1] ?? '').toLowerCase();
      continue;
    }
    const kv = /^path\s*=\s*(.*)$/i.exec(line);
    if ((section === 'include' || section === 'includeif') && kv?.[1])
      found.push(kv[1].replace(/^"(.*)"$/, '$1').trim());
  }
  return found;
}

/** `core.hooksPath` from a git config file's text (the last one wins, as in git). */
export function hooksPathOf(configText: string): string | null {
  let section = '';
  let found: string | null = null;
  for (const raw of configText.split('\n')) {
    const line = raw.trim();
    const header = /^\[([^\]\s"]+)(?:\s+"[^"]*")?\]/.exec(line);
    if (header) {
      section = (header[1] ?? '').toLowerCase();
      continue;
    }
    const kv = /^([A-Za-z][A-Za-z0-9-]*)\s*=\s*(.*)$/.exec(line);
    if (section === 'core' && kv && (kv[1] ?? '').toLowerCase() === 'hookspath') {
      found = (kv[2] ?? '')
        .replace(/^"(.*)"$/, '$1')
        .replace(/\s*[#;].*$/, '')
        .trim();
    }
  }
  return found;
}

/** The git directory a `.git` file names (`gitdir: path`), resolved; null when unreadable. */
function gitFileTarget(file: string): string | null {
  const text = readText(file);
  const m = text ? /^gitdir:\s*(.+?)\s*$/m.exec(text) : null;
  return m?.[1] ? resolve(dirname(file), m[1]) : null;
}

/**
 * Walk the workspace once (no symlinks followed, dependency folders skipped) for what the
 * protection model needs: git directories and pointers, hooks folders, auto-run files, `.env`
 * files. `globalGitConfigs` are the user's git config files (their hooksPath applies too).
 */
export function scanWorkspace(
  workspaceReal: string,
  folded: boolean,
  globalGitConfigs: readonly string[] = [],
): WorkspaceLayout {
  const gitDirs = new Set<string>();
  const gitPointers: string[] = [];
  const autoRun: string[] = [];
  const envFiles: string[] = [];
  const caseVariants: string[] = [];
  const repoRoots: string[] = [];
  const multiWord = Object.keys(AUTO_RUN_ENTRIES).filter((n) => n.includes('/'));
  const singleWord = Object.keys(AUTO_RUN_ENTRIES).filter((n) => !n.includes('/'));
  let dirs = 0;
  let incomplete = false;
  const addGitDir = (path: string): void => {
    const real = realOrSelf(path);
    if (!isInside(real, workspaceReal)) return;
    gitDirs.add(real);
    const common = readText(join(real, 'commondir'));
    if (common?.trim()) {
      const target = realOrSelf(resolve(real, common.trim()));
      if (isInside(target, workspaceReal)) gitDirs.add(target);
    }
    // Submodules' git directories live under modules/ (nested to any depth).
    const walkModules = (dir: string, depth: number): void => {
      if (depth > 6) return;
      for (const e of entries(dir)) {
        if (!e.isDirectory()) continue;
        const sub = join(dir, e.name);
        if (entries(sub).some((x) => x.name === 'HEAD')) {
          gitDirs.add(sub);
          walkModules(join(sub, 'modules'), depth + 1);
        } else walkModules(sub, depth + 1);
      }
    };
    walkModules(join(real, 'modules'), 0);
  };
  const fold = (n: string): string => (folded ? n.toLowerCase() : n);
  const single = new Set(singleWord.map(fold));
  const heads = new Map<string, string[]>();
  for (const n of multiWord) {
    const [head = '', tail = ''] = n.split('/');
    heads.set(fold(head), [...(heads.get(fold(head)) ?? []), fold(tail)]);
  }
  const walk = (dir: string, depth: number): void => {
    if (++dirs > MAX_DIRS) {
      incomplete = true;
      return;
    }
    for (const e of cachedEntries(dir)) {
      const name = e.name;
      // Everything looked for starts with a dot, except lefthook.yml and the root's own names.
      const dotted = name.charCodeAt(0) === 46;
      if (dotted || depth === 0 || single.has(fold(name))) {
        const path = join(dir, name);
        if (nameEquals(name, '.git', folded)) {
          repoRoots.push(dir);
          if (e.isDirectory()) addGitDir(path);
          else {
            gitPointers.push(path);
            const target = e.isSymbolicLink() ? realOrSelf(path) : gitFileTarget(path);
            if (target) addGitDir(target);
          }
          continue;
        }
        if (
          depth === 0 &&
          /^(vtcode\.toml|\.vtcode)$/i.test(name) &&
          !/^(vtcode\.toml|\.vtcode)$/.test(name)
        )
          caseVariants.push(path);
        if (e.isFile() && isEnvFileName(name)) envFiles.push(path);
        if (depth > 0 && single.has(fold(name))) autoRun.push(path);
        const tails = depth > 0 && e.isDirectory() ? heads.get(fold(name)) : undefined;
        if (tails)
          for (const x of entries(path))
            if (tails.includes(fold(x.name))) autoRun.push(join(path, x.name));
      }
      if (e.isDirectory() && !SKIP.has(name)) walk(join(dir, name), depth + 1);
    }
  };
  walk(workspaceReal, 0);
  const hooksPaths = new Set<string>();
  const add = (p: string, base: string): void => {
    const expanded = p.startsWith('~/') ? join(dirname(globalGitConfigs[0] ?? '/'), p.slice(2)) : p;
    const abs = realOrSelf(isAbsolute(expanded) ? expanded : resolve(base, expanded));
    if (isInside(abs, workspaceReal) && abs !== workspaceReal) hooksPaths.add(abs);
  };
  const globalTexts = globalGitConfigs.map((f) => ({ file: f, text: readText(f) ?? '' }));
  const globalHooks = globalTexts.map((g) => hooksPathOf(g.text)).filter(Boolean);
  for (const g of globalTexts) for (const inc of includePathsOf(g.text)) add(inc, dirname(g.file));
  for (const gitDir of gitDirs) {
    const text = readText(join(gitDir, 'config')) ?? '';
    for (const inc of includePathsOf(text)) add(inc, gitDir);
    for (const hp of [hooksPathOf(text), ...globalHooks]) {
      if (!hp) continue;
      for (const root of repoRoots) add(hp, root);
    }
  }
  let insideParentRepo = false;
  for (let dir = dirname(workspaceReal); ; dir = dirname(dir)) {
    if (entries(dir).some((e) => e.name === '.git')) insideParentRepo = true;
    if (insideParentRepo || dir === dirname(dir)) break;
  }
  return {
    insideParentRepo,
    gitDirs: [...gitDirs],
    gitPointers,
    hooksPaths: [...hooksPaths],
    autoRun,
    envFiles,
    caseVariants,
    incomplete,
  };
}

/** A path relative to the workspace, as components. */
export function relParts(path: string, workspaceReal: string): string[] {
  return relative(workspaceReal, path)
    .split(/[\\/]/)
    .filter((p) => p !== '' && p !== '.');
}
