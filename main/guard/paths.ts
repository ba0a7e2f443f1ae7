import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  readdirSync,
  readlinkSync,
  statSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';

/**
 * The file-system lookups a path decision makes. The live one asks the disk at every call: a
 * decision that leads to a side effect must see the file system as it is at that moment.
 */
export interface FsLookups {
  /** As lstatSync: throws ENOENT, ENOTDIR ... */
  lstat(path: string): Stats;
  /** As statSync. */
  stat(path: string): Stats;
  readlink(path: string): string;
  readdir(path: string): readonly string[];
}

/** The disk, asked each time (every engine that decides something to execute). */
export const LIVE_FS: FsLookups = {
  lstat: (path) => lstatSync(path),
  stat: (path) => statSync(path),
  readlink: (path) => readlinkSync(path),
  readdir: (path) => readdirSync(path),
};

type Memo<T> = { readonly value: T } | { readonly error: unknown };

function memoised<T>(lookup: (path: string) => T): (path: string) => T {
  const seen = new Map<string, Memo<T>>();
  return (path) => {
    let hit = seen.get(path);
    if (hit === undefined) {
      try {
        hit = { value: lookup(path) };
      } catch (error) {
        hit = { error };
      }
      seen.set(path, hit);
    }
    if ('error' in hit) throw hit.error;
    return hit.value;
  };
}

/**
 * Lookups remembered for the object's lifetime (errors too): only for replaying past decisions,
 * where nothing decided is executed. Never for a decision that permits a side effect (TOCTOU).
 */
export function memoisedFs(base: FsLookups = LIVE_FS): FsLookups {
  return {
    lstat: memoised((p) => base.lstat(p)),
    stat: memoised((p) => base.stat(p)),
    readlink: memoised((p) => base.readlink(p)),
    readdir: memoised((p) => base.readdir(p)),
  };
}

/** True when `child` is `root` or below it (`/ws-evil` is not inside `/ws`). */
export function isInside(child: string, root: string): boolean {
  if (child === root) return true;
  const prefix = root.endsWith(sep) ? root : root + sep;
  return child.startsWith(prefix);
}

/** Expand `~` and make absolute, keeping `..` in place (the kernel applies it after symlinks). */
export function absoluteUnnormalised(input: string, workspace: string, home: string): string {
  let p = input;
  if (p === '~') p = home;
  else if (p.startsWith('~/')) p = `${home}${sep}${p.slice(2)}`;
  return isAbsolute(p) ? p : `${workspace}${sep}${p}`;
}

/** Expand a leading `~` and resolve against the workspace, lexically (no file system). */
export function lexicalPath(input: string, workspace: string, home: string): string {
  return resolve(absoluteUnnormalised(input, workspace, home));
}

/** ENOENT or ENOTDIR: the path (or a parent) is not there. */
export function isMissing(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Resolve a path the way the kernel would open it: component by component, following symlinks
 * (dangling ones too: writing through one creates its target) and applying `..` after them.
 * A part that does not exist yet is appended as written to its nearest existing parent.
 */
export function resolveReal(
  absolute: string,
  budget = { links: 40 },
  fs: FsLookups = LIVE_FS,
): string {
  const parts = absolute.split(sep).filter((p) => p !== '' && p !== '.');
  let current: string = sep;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (part === '..') {
      current = dirname(current);
      continue;
    }
    const next = join(current, part);
    let stat;
    try {
      stat = fs.lstat(next);
    } catch (error) {
      if (!isMissing(error)) throw error;
      return resolve(next, ...parts.slice(i + 1));
    }
    if (stat.isSymbolicLink()) {
      if (--budget.links < 0) throw new Error('too many levels of symbolic links');
      const target = fs.readlink(next);
      current = resolveReal(isAbsolute(target) ? target : join(current, target), budget, fs);
    } else {
      current = next;
    }
  }
  return current;
}

/** The real path of an existing path, else the path itself. */
export function realOrSelf(path: string, fs: FsLookups = LIVE_FS): string {
  try {
    return resolveReal(resolve(path), undefined, fs);
  } catch {
    return path;
  }
}

function swapCase(name: string): string {
  let out = '';
  for (const ch of name) {
    const lower = ch.toLowerCase();
    out += ch === lower ? ch.toUpperCase() : lower;
  }
  return out;
}

/**
 * Whether names in `dir` are compared case-insensitively (APFS, NTFS, a case-folding mount): the
 * same folder reached under its case-swapped name. Without letters to swap, the OS default.
 */
export function isCaseInsensitiveAt(
  dir: string,
  platform: NodeJS.Platform = process.platform,
): boolean {
  const name = basename(dir);
  const swapped = swapCase(name);
  if (swapped === name) return platform === 'darwin' || platform === 'win32';
  try {
    const a = statSync(dir);
    const b = statSync(join(dirname(dir), swapped));
    return a.ino === b.ino && a.dev === b.dev;
  } catch {
    return false;
  }
}

/**
 * Read a small text file for the host without ever blocking: opened non-blocking, read only if
 * it is a regular file (a FIFO or a device a command planted is skipped). Null when absent.
 */
export function readRegularText(file: string, maxBytes = 64 * 1024): string | null {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    if (!fstatSync(fd).isFile()) return null;
    const buffer = Buffer.alloc(maxBytes);
    const n = readSync(fd, buffer, 0, maxBytes, 0);
    return buffer.subarray(0, n).toString('utf8');
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * The part of `path` to act on inside `root` without passing through a symlink: the path itself,
 * or the first component below `root` that is a link (acting on the link never reaches its target).
 */
export function linkFreeTarget(root: string, path: string): string {
  const parts = path.slice(root.length).split(sep).filter(Boolean);
  let current = root;
  for (const part of parts) {
    current = join(current, part);
    try {
      if (lstatSync(current).isSymbolicLink()) return current;
    } catch {
      return path;
    }
  }
  return path;
}

/** True when something (a link too) is at `path`. */
export function lexists(path: string, fs: FsLookups = LIVE_FS): boolean {
  try {
    fs.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** True when `path` is a symbolic link. */
export function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The real folders directly inside `dir` (links are not followed). */
export function subdirectories(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(dir, e.name));
  } catch {
    return [];
  }
}
