import { lstatSync, readlinkSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { PathDecision, PathOp, RuleRef } from '../../shared/domain/policy';

/** A directory or file that is denied whatever the rules say. */
export interface SensitiveEntry {
  readonly path: string;
  readonly ref: RuleRef;
}

/** What path checks need: the workspace (as given and as resolved) and the protected places. */
export interface PathContext {
  readonly workspace: string;
  readonly workspaceReal: string;
  readonly home: string;
  readonly sensitive: readonly SensitiveEntry[];
  /** Paths under a sensitive entry that the user file explicitly re-allows. */
  readonly exceptions: readonly string[];
  /** Inside the workspace but never writable by the agent (its own policy files). */
  readonly writeProtected: readonly SensitiveEntry[];
}

/** VT Code's default sensitive paths (relative to home), plus common credential stores. */
export const DEFAULT_SENSITIVE_HOME_PATHS = [
  '.ssh',
  '.aws',
  '.kube',
  '.gnupg',
  '.azure',
  '.config/gcloud',
  '.docker/config.json',
  '.netrc',
  '.npmrc',
  '.pypirc',
  '.git-credentials',
  '.cargo/credentials',
  '.cargo/credentials.toml',
  '.config/gh',
  '.password-store',
  '.local/share/keyrings',
  '.vtcode',
  '.config/vtcode',
] as const;

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

function isMissing(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Resolve a path the way the kernel would open it: component by component, following symlinks
 * (dangling ones too: writing through one creates its target) and applying `..` after them.
 * A part that does not exist yet is appended as written to its nearest existing parent.
 */
export function resolveReal(absolute: string, budget = { links: 40 }): string {
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
      stat = lstatSync(next);
    } catch (error) {
      if (!isMissing(error)) throw error;
      return resolve(next, ...parts.slice(i + 1));
    }
    if (stat.isSymbolicLink()) {
      if (--budget.links < 0) throw new Error('too many levels of symbolic links');
      const target = readlinkSync(next);
      current = resolveReal(isAbsolute(target) ? target : join(current, target), budget);
    } else {
      current = next;
    }
  }
  return current;
}

/** The sensitive entry covering a path, if any (exceptions re-allow). */
export function sensitiveMatch(ctx: PathContext, paths: readonly string[]): SensitiveEntry | null {
  for (const entry of ctx.sensitive) {
    if (!paths.some((p) => isInside(p, entry.path))) continue;
    if (ctx.exceptions.some((ex) => paths.every((p) => isInside(p, ex)))) continue;
    return entry;
  }
  return null;
}

const boundary = (entry: string): RuleRef => ({
  kind: 'workspace_boundary',
  entry,
  section: 'workspace',
  source: { layer: 'default', file: null },
});

/** Decide a file tool's access to one path: inside the workspace after symlinks, not sensitive. */
export function decidePath(ctx: PathContext, input: string, op: PathOp): PathDecision {
  const base = { kind: 'path' as const, op, path: input };
  if (typeof input !== 'string' || input === '' || input.length > 4096 || input.includes('\0')) {
    const why = input.includes?.('\0')
      ? 'the path contains a NUL byte'
      : 'the path is empty or too long';
    return { ...base, decision: 'deny', resolved: null, reason: why, rule: null };
  }
  const lexical = lexicalPath(input, ctx.workspace, ctx.home);
  let resolved: string;
  try {
    resolved = resolveReal(absoluteUnnormalised(input, ctx.workspace, ctx.home));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      ...base,
      decision: 'deny',
      resolved: null,
      reason: `the path cannot be resolved: ${why}`,
      rule: null,
    };
  }
  const sensitive = sensitiveMatch(ctx, [lexical, resolved]);
  if (sensitive) {
    return {
      ...base,
      decision: 'deny',
      resolved,
      reason: `${sensitive.path} is a sensitive path`,
      rule: sensitive.ref,
    };
  }
  const inside = isInside(lexical, ctx.workspace) || isInside(lexical, ctx.workspaceReal);
  if (!inside || !isInside(resolved, ctx.workspaceReal)) {
    const why = inside
      ? `${input} resolves to ${resolved}, outside the workspace (through a symlink)`
      : `${input} is outside the workspace ${ctx.workspace}`;
    return { ...base, decision: 'deny', resolved, reason: why, rule: boundary(ctx.workspace) };
  }
  if (op === 'write') {
    const guarded = ctx.writeProtected.find(
      (e) => isInside(resolved, e.path) || isInside(lexical, e.path),
    );
    if (guarded) {
      const why = `${guarded.path} holds the agent's own policy and cannot be written by a tool`;
      return { ...base, decision: 'deny', resolved, reason: why, rule: guarded.ref };
    }
  }
  return {
    ...base,
    decision: 'allow',
    resolved,
    reason: `inside the workspace ${ctx.workspace}`,
    rule: null,
  };
}
