import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { isInside, readRegularText, realOrSelf } from './paths';
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

/**
 * node_modules is walked only two levels deep (a git dependency's `.git` sits there); everything
 * else is walked whole, `.venv` and `target` too (`pip install -e git+...` clones into them).
 */
const SHALLOW = new Set(['node_modules']);
const SHALLOW_DEPTH = 2;
const MAX_DIRS = 20_000;

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/**
 * Whether `dir` holds an entry named `.git` of any kind (a dangling link too). One lstat, not a
 * listing: a parent such as /tmp or a home folder may hold thousands of entries (a listing there
 * cost ~7 ms on every scan). An error other than "absent" falls back to the listing.
 */
export function holdsGitEntry(dir: string): boolean {
  try {
    lstatSync(join(dir, '.git'));
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    return entries(dir).some((e) => e.name === '.git');
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
  return readRegularText(file);
}

/** One `key = value` of a git config file: its section (lower case, subsection dropped). */
export interface GitConfigEntry {
  readonly section: string;
  readonly key: string;
  readonly value: string;
}

/**
 * The entries of a git config's text, as git reads them: a key may follow its section header on
 * the same line (`[core] fsmonitor = x`), values may be quoted, `#`/`;` start comments.
 */
const HEADER = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"(?:[^"\\]|\\.)*")?\s*\]/;

export function gitConfigEntries(text: string): GitConfigEntry[] {
  const entries: GitConfigEntry[] = [];
  let section = '';
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    // `[x][core] fsmonitor = ...`: git reads every header on the line, and the key after them.
    for (let header = HEADER.exec(line); header; header = HEADER.exec(line)) {
      section = (header[1] ?? '').toLowerCase();
      line = line.slice(header[0].length).trim();
    }
    const kv = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(line);
    if (!kv) continue;
    const value = (kv[2] ?? 'true')
      .replace(/\s+[#;].*$/, '')
      .replace(/^"(.*)"$/, '$1')
      .trim();
    entries.push({ section, key: (kv[1] ?? '').toLowerCase(), value });
  }
  return entries;
}

/** The `path` values of a git config's `[include]` and `[includeIf "..."]` sections. */
export function includePathsOf(configText: string): string[] {
  return gitConfigEntries(configText)
    .filter((e) => (e.section === 'include' || e.section === 'includeif') && e.key === 'path')
    .map((e) => e.value);
}

const RUNS =
  /^(fsmonitor|pager|editor|sshcommand|askpass|textconv|command|driver|clean|smudge|process|program|cmd|helper)$/;

/** Words of config values with which git runs a program (paths among them are protected). */
export function programWordsOf(configText: string): string[] {
  const words: string[] = [];
  for (const e of gitConfigEntries(configText)) {
    if (!RUNS.test(e.key)) continue;
    for (const w of e.value.replace(/["']/g, ' ').split(/\s+/))
      if (w && !w.startsWith('-') && !w.startsWith('%') && w.length < 1024) words.push(w);
  }
  return words.slice(0, 64);
}

/** Repositories' configs and .env files of a tree too big to walk, found by ripgrep. */
function searchWithRipgrep(root: string): string[] {
  try {
    const out = execFileSync(
      'rg',
      [
        '--files',
        '--hidden',
        '--no-ignore',
        '--no-messages',
        '--glob',
        '**/.git/config',
        '--glob',
        '**/.git',
        '--glob',
        '**/.env',
        '--glob',
        '**/.env.*',
        '.',
      ],
      { cwd: root, encoding: 'utf8', timeout: 20_000, maxBuffer: 64 * 1024 * 1024 },
    );
    return out
      .split('\n')
      .filter(Boolean)
      .map((p) => resolve(root, p));
  } catch (error) {
    const out = (error as { stdout?: string }).stdout ?? '';
    return out
      .split('\n')
      .filter(Boolean)
      .map((p) => resolve(root, p));
  }
}

/** `core.hooksPath` from a git config file's text (the last one wins, as in git). */
export function hooksPathOf(configText: string): string | null {
  let found: string | null = null;
  for (const e of gitConfigEntries(configText))
    if (e.section === 'core' && e.key === 'hookspath') found = e.value;
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
  const walk = (dir: string, depth: number, shallow: number): void => {
    if (++dirs > MAX_DIRS) {
      incomplete = true;
      return;
    }
    const listing = cachedEntries(dir);
    // A bare repository (HEAD, objects/, refs/): git in this folder reads its config.
    if (
      depth > 0 &&
      listing.some((e) => e.name === 'HEAD' && (e.isFile() || e.isSymbolicLink())) &&
      ((listing.some((e) => e.name === 'objects' && e.isDirectory()) &&
        listing.some((e) => e.name === 'refs' && e.isDirectory())) ||
        listing.some((e) => e.name === 'commondir'))
    )
      addGitDir(dir);
    for (const e of listing) {
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
        if ((e.isFile() || e.isSymbolicLink()) && isEnvFileName(name)) {
          envFiles.push(path);
          // A link's target holds the secret: hidden too.
          if (e.isSymbolicLink()) envFiles.push(realOrSelf(path));
        }
        if (depth > 0 && single.has(fold(name))) autoRun.push(path);
        const tails = depth > 0 && e.isDirectory() ? heads.get(fold(name)) : undefined;
        if (tails)
          for (const x of entries(path))
            if (tails.includes(fold(x.name))) autoRun.push(join(path, x.name));
      }
      if (!e.isDirectory() || shallow === 0) continue;
      walk(
        join(dir, name),
        depth + 1,
        SHALLOW.has(name) ? Math.min(shallow, SHALLOW_DEPTH) : shallow - 1,
      );
    }
  };
  walk(workspaceReal, 0, Number.MAX_SAFE_INTEGER);
  // A tree too big to walk: ripgrep finds what matters most (repositories and .env files).
  if (incomplete) {
    for (const found of searchWithRipgrep(workspaceReal)) {
      const base = found.slice(found.lastIndexOf('/') + 1);
      if (isEnvFileName(base)) envFiles.push(found);
      else if (base === 'config' && found.endsWith('/.git/config')) addGitDir(dirname(found));
      else if (base === '.git') {
        gitPointers.push(found);
        const target = gitFileTarget(found);
        if (target) addGitDir(target);
      }
    }
  }
  const hooksPaths = new Set<string>();
  const add = (p: string, base: string): void => {
    const expanded = p.startsWith('~/') ? join(dirname(globalGitConfigs[0] ?? '/'), p.slice(2)) : p;
    const abs = realOrSelf(isAbsolute(expanded) ? expanded : resolve(base, expanded));
    if (isInside(abs, workspaceReal) && abs !== workspaceReal) hooksPaths.add(abs);
  };
  const globalTexts = globalGitConfigs.map((f) => ({ file: f, text: readText(f) ?? '' }));
  const globalHooks = globalTexts.map((g) => hooksPathOf(g.text)).filter(Boolean);
  // Included files are configuration too, however deep the includes go.
  const includes = (text: string, base: string, depth: number): void => {
    if (depth > 5) return;
    for (const inc of includePathsOf(text)) {
      add(inc, base);
      const file = isAbsolute(inc) ? inc : resolve(base, inc);
      includes(readText(file) ?? '', dirname(file), depth + 1);
    }
  };
  for (const g of globalTexts) includes(g.text, dirname(g.file), 0);
  for (const gitDir of gitDirs) {
    const text = readText(join(gitDir, 'config')) ?? '';
    includes(text, gitDir, 0);
    for (const hp of [hooksPathOf(text), ...globalHooks]) {
      if (!hp) continue;
      for (const root of repoRoots) add(hp, root);
    }
    // Programs the config runs (filters, textconv, drivers, fsmonitor) that live in the workspace.
    for (const word of programWordsOf(text))
      for (const root of repoRoots) if (existsSync(resolve(root, word))) add(word, root);
  }
  let insideParentRepo = false;
  for (let dir = dirname(workspaceReal); ; dir = dirname(dir)) {
    if (holdsGitEntry(dir)) insideParentRepo = true;
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
