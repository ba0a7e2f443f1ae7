import { join, sep } from 'node:path';
import type { PermissionRule } from '../../shared/domain/permission-grammar';
import { realOrSelf } from '../guard/paths';

/** The folders a path rule's anchors stand for (both names of each: as given and real). */
export interface PathRoots {
  readonly workspace: string;
  readonly workspaceReal: string;
  readonly home: string;
  /** Names compare case-insensitively (APFS, NTFS): a rule must not miss `Docs` for `docs`. */
  readonly caseInsensitive: boolean;
}

/** Tests absolute, normalised paths against one `[permissions]` path rule. */
export interface PathMatcher {
  matches(path: string): boolean;
}

type Segment = RegExp | '**';

const GLOB_CHARS = /[*?[]/;

/** One path segment's glob as a regex: `*` and `?` never cross a `/`, `[a-z]` is a class. */
function segmentRegex(glob: string, flags: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] ?? '';
    if (ch === '*') {
      out += '[^/]*';
      while (glob[i + 1] === '*') i++;
    } else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        let body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        out += `[${body}]`;
        i = close;
      }
    } else out += ch.replace(/[.+^${}()|\\/\]]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, flags);
}

/** Whether `segs` match `parts` exactly (`**` spans any number of folders; last, one or more). */
function matchAll(segs: readonly Segment[], parts: readonly string[]): boolean {
  const memo = new Map<number, boolean>();
  const at = (i: number, j: number): boolean => {
    const key = i * 4096 + j;
    const seen = memo.get(key);
    if (seen !== undefined) return seen;
    let result: boolean;
    const seg = segs[i];
    if (seg === undefined) result = j === parts.length;
    else if (seg === '**') {
      if (i === segs.length - 1) result = parts.length - j >= 1;
      else {
        result = false;
        for (let k = j; k <= parts.length && !result; k++) result = at(i + 1, k);
      }
    } else result = j < parts.length && seg.test(parts[j] ?? '') && at(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return at(0, 0);
}

function inside(child: string, root: string, fold: boolean): boolean {
  const c = fold ? child.toLowerCase() : child;
  const r = fold ? root.toLowerCase() : root;
  if (c === r) return true;
  return c.startsWith(r.endsWith(sep) ? r : r + sep);
}

/** `path` under its other name: the same place below `given` said below `real`, or back. */
function otherNames(
  path: string,
  pairs: readonly (readonly [string, string])[],
  fold: boolean,
): string[] {
  const out: string[] = [];
  for (const [given, real] of pairs) {
    if (inside(path, given, fold)) out.push(real + path.slice(given.length));
    if (inside(path, real, fold)) out.push(given + path.slice(real.length));
  }
  return out;
}

/**
 * Compile a path rule the way gitignore (and VT Code) reads it: anchored at its root, `**` spans
 * folders, `*` stays in one name, a name without `/` matches in any folder, and a rule that
 * matches a folder covers everything in it. The workspace and home are taken under their given
 * and real names, so the matcher agrees with the guard's resolved paths. For an allow that is
 * all: a link inside the workspace never widens it (`docs -> src` does not make a rule for
 * docs/ cover src/). A deny or an ask also covers the real place of the folder it names.
 */
export function compilePathRule(
  rule: Extract<PermissionRule, { kind: 'path' }>,
  roots: PathRoots,
  effect: 'allow' | 'ask' | 'deny',
): PathMatcher {
  const fold = roots.caseInsensitive;
  const homeReal = realOrSelf(roots.home);
  let parts = rule.pattern === '' ? [] : rule.pattern.split('/');
  // A bare name floats: `.env` is `**/.env` (gitignore's rule for a pattern without a slash).
  if (rule.anchor === 'relative' && parts.length === 1) parts = ['**', ...parts];
  const literal: string[] = [];
  while (literal.length < parts.length && !GLOB_CHARS.test(parts[literal.length] ?? '')) {
    literal.push(parts[literal.length] ?? '');
  }
  const base =
    rule.anchor === 'absolute' ? sep : rule.anchor === 'home' ? roots.home : roots.workspace;
  const named = join(base, ...literal);
  const pairs = [
    [roots.workspace, roots.workspaceReal],
    [roots.home, homeReal],
  ] as const;
  const prefixes = new Set([named, ...otherNames(named, pairs, fold)]);
  if (effect !== 'allow') for (const p of [...prefixes]) prefixes.add(realOrSelf(p));
  const flags = fold ? 'is' : 's';
  const segs: Segment[] = parts
    .slice(literal.length)
    .map((p) => (p === '**' ? '**' : segmentRegex(p, flags)));
  return {
    matches(path) {
      for (const prefix of prefixes) {
        if (!inside(path, prefix, fold)) continue;
        if (segs.length === 0) return true;
        const rest = path.slice(prefix.length).split(sep).filter(Boolean);
        // The rule covers a match and everything below it (a folder's rule covers its files).
        for (let k = 1; k <= rest.length; k++) if (matchAll(segs, rest.slice(0, k))) return true;
      }
      return false;
    },
  };
}
