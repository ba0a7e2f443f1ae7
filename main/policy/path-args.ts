import { isAbsolute, join, resolve, sep } from 'node:path';
import type { PathOp, RuleRef } from '../../shared/domain/policy';
import { expandBraces, expandTilde, markExpansions, UNKNOWN } from './path-expand';
import { decidePath, lexicalPath, lexists, sensitiveMatch, type PathContext } from './path-policy';
import { builtinRef } from './rules';
import type { ShellWord } from './shell-words';

/** A path argument's verdict: deny (sensitive or protected) or prompt (unknown, outside). */
export interface PathVerdict {
  readonly decision: 'deny' | 'prompt';
  readonly reason: string;
  readonly rule: RuleRef | null;
}

/** How one argument is used. */
export interface PathUse {
  readonly op: PathOp;
  /** The program walks directories (grep -r, rg, find): a parent of a sensitive path is asked. */
  readonly recursive: boolean;
  /** `shopt -s dotglob` may be on: globs match leading dots. */
  readonly dotglob: boolean;
  /** The program takes this word as a file (tee FILE), whatever it looks like. */
  readonly known?: boolean;
}

const MAX_GLOB_MATCHES = 256;
const MAX_DIR_ENTRIES = 20_000;
const GLOB_CHARS = /[*?[]/;

/** The path a word names, once an option's `--opt=` or an assignment's `NAME=` is taken off. */
export function pathPart(value: string): string | null {
  if (value.startsWith('-')) {
    const eq = value.indexOf('=');
    return eq > 0 ? value.slice(eq + 1) : null;
  }
  const assign = /^[A-Za-z_][A-Za-z0-9_]*=/.exec(value);
  return assign ? value.slice(assign[0].length) : value;
}

/**
 * Decide a word that may name a file, as bash would expand it: `~user`, braces, globs (matched
 * against every sensitive path, and against the file system through symlinks), `$HOME`. Returns
 * whether the file system was looked at, which makes the decision uncacheable.
 */
export function decidePathWord(
  paths: PathContext,
  word: ShellWord,
  use: PathUse,
): { verdict: PathVerdict | null; usedFs: boolean } {
  const value = pathPart(word.value);
  if (value === null || value === '' || value.length > 4096 || /^[<>]\(/.test(value))
    return { verdict: null, usedFs: false };
  const plain = !word.dynamic && !word.glob;
  const pathLike = use.known === true || /^[~.]|\//.test(value) || word.glob;
  if (!pathLike && (!plain || !lexists(join(paths.workspace, value), paths.fs)))
    return { verdict: null, usedFs: plain };
  const alternatives = word.dynamic ? expandBraces(markExpansions(value)) : [value];
  if (!alternatives)
    return { verdict: ask(`\`${word.text}\` expands to too many words to check`), usedFs: false };
  let worst: PathVerdict | null = null;
  for (const alt of alternatives) {
    const v = decideAlternative(paths, alt, word, use);
    if (v && (!worst || (v.decision === 'deny' && worst.decision !== 'deny'))) worst = v;
    if (worst?.decision === 'deny') break;
  }
  return { verdict: worst, usedFs: true };
}

function ask(reason: string): PathVerdict {
  return { decision: 'prompt', reason, rule: builtinRef('paths must be known before they run') };
}

function decideAlternative(
  paths: PathContext,
  alt: string,
  word: ShellWord,
  use: PathUse,
): PathVerdict | null {
  const { path, userHome, unknownUser } = expandTilde(alt, paths.home, paths.workspace);
  if (unknownUser !== null)
    return ask(`\`~${unknownUser}\` is not a user this machine knows, so its home is unknown`);
  if (path.includes(UNKNOWN)) {
    // Expansions the policy cannot see may reach anywhere; the literal parts can still be denied.
    const pattern = path.split(UNKNOWN).join('*');
    const hit = sensitiveByPattern(paths, absolute(paths, pattern), use.dotglob);
    if (hit) return hit;
    return ask(`\`${word.text}\` names a path computed at run time`);
  }
  const full = absolute(paths, path);
  // Another user's ~/.ssh is as sensitive as ours: test the same place under our home too.
  const rerooted = userHome !== null ? paths.home + path.slice(userHome.length) : null;
  if (word.glob && GLOB_CHARS.test(path)) return decideGlob(paths, full, rerooted, use);
  return decideLiteral(paths, full, rerooted, use);
}

function absolute(paths: PathContext, path: string): string {
  return isAbsolute(path) ? resolve(path) : resolve(paths.workspace, path);
}

function decideLiteral(
  paths: PathContext,
  path: string,
  rerooted: string | null,
  use: PathUse,
): PathVerdict | null {
  if (rerooted !== null) {
    const entry = sensitiveMatch(paths, [lexicalPath(rerooted, paths.workspace, paths.home)]);
    if (entry) return { decision: 'deny', reason: `${path} is a sensitive path`, rule: entry.ref };
  }
  const d = decidePath(paths, path, use.op);
  if (d.decision !== 'allow') {
    if (d.rule?.kind === 'sensitive_path' || (use.op === 'write' && d.rule?.kind === 'builtin'))
      return { decision: 'deny', reason: d.reason, rule: d.rule };
    if (use.op === 'write')
      return { ...ask(`writes outside the workspace: ${d.reason}`), rule: d.rule };
  }
  if (use.recursive) {
    const root = d.resolved ?? path;
    // The app's own session logs are hidden from every command by the sandbox; a recursive read
    // of the workspace does not need to ask about them.
    const holds = paths.sensitive.find(
      (s) => s.ref.entry !== '.vtcode/sessions' && (within(s.path, root) || within(s.path, path)),
    );
    if (holds) return ask(`reads ${path}, which holds the sensitive path ${holds.path}`);
  }
  return null;
}

function within(child: string, root: string): boolean {
  return child === root || child.startsWith(root.endsWith(sep) ? root : root + sep);
}

function decideGlob(
  paths: PathContext,
  pattern: string,
  rerooted: string | null,
  use: PathUse,
): PathVerdict | null {
  const hit =
    sensitiveByPattern(paths, pattern, use.dotglob) ??
    (rerooted !== null ? sensitiveByPattern(paths, absolute(paths, rerooted), use.dotglob) : null);
  if (hit) return hit;
  const matches = expandGlob(paths, pattern, use.dotglob);
  if (!matches) return ask(`\`${pattern}\` matches too many files to check`);
  for (const m of matches) {
    const v = decideLiteral(paths, m, null, use);
    if (v) return v;
  }
  const outside = !within(pattern, paths.workspace) && !within(pattern, paths.workspaceReal);
  if (use.op === 'write' && (outside || matches.length === 0))
    return ask(`writes to \`${pattern}\`, which may be outside the workspace`);
  return null;
}

/** Compiled component regexes: a pure function of the text (no `g` flag, so no state to share). */
const COMPONENT_REGEXES = new Map<string, RegExp>();
const MAX_COMPONENT_REGEXES = 2048;

/** A regex for one path component of a glob (`*`, `?`, `[...]`; no leading dot unless dotglob). */
export function componentRegex(glob: string, dotglob: boolean): RegExp {
  const key = `${dotglob ? '1' : '0'}${glob}`;
  let re = COMPONENT_REGEXES.get(key);
  if (re === undefined) {
    if (COMPONENT_REGEXES.size >= MAX_COMPONENT_REGEXES) COMPONENT_REGEXES.clear();
    re = compileComponent(glob, dotglob);
    COMPONENT_REGEXES.set(key, re);
  }
  return re;
}

function compileComponent(glob: string, dotglob: boolean): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] ?? '';
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        let body = glob.slice(i + 1, close).replace(/[\\\]^]/g, '\\$&');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        out += `[${body}]`;
        i = close;
      }
    } else out += ch.replace(/[.+^${}()|\\/\]]/g, '\\$&');
  }
  const lead = !dotglob && GLOB_CHARS.test(glob[0] ?? '') ? '(?!\\.)' : '';
  return new RegExp(`^${lead}${out}$`, 's');
}

/** The sensitive entry a glob could reach: the pattern's first components match the entry's. */
function sensitiveByPattern(
  paths: PathContext,
  pattern: string,
  dotglob: boolean,
): PathVerdict | null {
  const parts = pattern.split(sep).filter((p) => p !== '');
  for (const entry of paths.sensitive) {
    const want = entry.path.split(sep).filter((p) => p !== '');
    if (parts.length < want.length) continue;
    if (want.every((w, i) => componentRegex(parts[i] ?? '', dotglob).test(w)))
      return {
        decision: 'deny',
        reason: `\`${pattern}\` can expand to the sensitive path ${entry.path}`,
        rule: entry.ref,
      };
  }
  return null;
}

/** The files a glob matches now, or null past {@link MAX_GLOB_MATCHES}. */
function expandGlob(paths: PathContext, pattern: string, dotglob: boolean): string[] | null {
  let current: string[] = [sep];
  for (const part of pattern.split(sep).filter((p) => p !== '')) {
    if (!GLOB_CHARS.test(part)) {
      current = current.map((c) => join(c, part));
      continue;
    }
    const re = componentRegex(part, dotglob);
    const next: string[] = [];
    for (const dir of current) {
      let names: readonly string[];
      try {
        names = paths.fs.readdir(dir);
      } catch {
        continue;
      }
      if (names.length > MAX_DIR_ENTRIES) return null;
      for (const name of names) if (re.test(name)) next.push(join(dir, name));
      if (next.length > MAX_GLOB_MATCHES) return null;
    }
    current = next;
  }
  return current.filter((p) => lexists(p, paths.fs));
}
