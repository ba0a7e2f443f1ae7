import { basename, dirname, join } from 'node:path';
import type { PathDecision, PathOp, RuleRef } from '../../shared/domain/policy';
import { scanWorkspace, relParts, type WorkspaceLayout } from './layout';
import {
  isCaseInsensitiveAt,
  isInside,
  lexicalPath,
  realOrSelf,
  resolveReal,
  absoluteUnnormalised,
  lexists,
  LIVE_FS,
  memoisedFs,
  type FsLookups,
} from './paths';
import { classifyWrite, type Protection } from './protected';
import {
  compileSensitive,
  isEnvFileName,
  type SensitiveEntry,
  type SensitiveInputs,
} from './sensitive';

/** What the protection model is compiled from: the effective config and the real workspace. */
export interface ProtectionInputs {
  readonly workspace: string;
  readonly home: string;
  readonly sensitive: SensitiveInputs;
  /** `[dotfile_protection]`: auto-run files commands may write (whitelist), more protected paths. */
  readonly dotfiles?: {
    readonly whitelist: readonly string[];
    readonly additional: readonly string[];
  };
  /** The user's git config files (their core.hooksPath applies to the workspace's repos). */
  readonly globalGitConfigs?: readonly string[];
}

/**
 * The one protection model: the workspace boundary (real paths), the sensitive-read set and the
 * protected-write set. The path policy, the shell checks, the sandbox's rules, revert, resume and
 * instruction loading all ask it; nothing else keeps a list.
 */
export interface ProtectionModel {
  readonly workspace: string;
  readonly workspaceReal: string;
  readonly home: string;
  readonly sensitive: readonly SensitiveEntry[];
  /** Paths under a sensitive entry that the user file explicitly re-allows. */
  readonly exceptions: readonly string[];
  /** Whether names in the workspace compare case-insensitively. */
  readonly caseInsensitive: boolean;
  readonly layout: WorkspaceLayout;
  readonly inputs: ProtectionInputs;
  /** How this model looks at the file system: live, unless it was built to replay the past. */
  readonly fs: FsLookups;
  /** Built for replays only (file lookups remembered): never to permit a side effect. */
  readonly replayOnly: boolean;
}

/** How a model is compiled. */
export interface ProtectionOptions {
  /**
   * Remember file lookups (lstat, readlink) for the model's lifetime. Only for replaying recorded
   * decisions (backtest, what-if), where nothing decided is executed: a live decision must look
   * at the file system when it is made.
   */
  readonly replayOnly?: boolean;
}

/** Refuse a replay-only model where a decision permits a side effect. */
export function assertLive(model: ProtectionModel, what: string): void {
  if (model.replayOnly)
    throw new Error(`${what}: a replay-only protection model cannot permit a side effect`);
}

/** The user's git config files, where git looks for them. */
export function userGitConfigs(home: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return [
    join(home, '.gitconfig'),
    join(env.XDG_CONFIG_HOME || join(home, '.config'), 'git', 'config'),
  ];
}

/** Compile the model for a workspace as it is now (call again after the layout changes). */
export function compileProtection(
  inputs: ProtectionInputs,
  options: ProtectionOptions = {},
): ProtectionModel {
  const replayOnly = options.replayOnly === true;
  const fs = replayOnly ? memoisedFs() : LIVE_FS;
  const workspace = lexicalPath(inputs.workspace, '/', inputs.home);
  const workspaceReal = realOrSelf(workspace, fs);
  const caseInsensitive = isCaseInsensitiveAt(workspaceReal);
  const { sensitive, exceptions } = compileSensitive(inputs.sensitive, workspace, inputs.home, fs);
  const layout = scanWorkspace(
    workspaceReal,
    caseInsensitive,
    inputs.globalGitConfigs ?? userGitConfigs(inputs.home),
  );
  return {
    workspace,
    workspaceReal,
    home: inputs.home,
    sensitive,
    exceptions,
    caseInsensitive,
    layout,
    inputs,
    fs,
    replayOnly,
  };
}

/** The sensitive entry covering a path, if any (exceptions re-allow). */
export function sensitiveMatch(
  model: Pick<ProtectionModel, 'sensitive' | 'exceptions'>,
  paths: readonly string[],
): SensitiveEntry | null {
  for (const entry of model.sensitive) {
    if (!paths.some((p) => isInside(p, entry.path))) continue;
    if (model.exceptions.some((ex) => paths.every((p) => isInside(p, ex)))) continue;
    return entry;
  }
  return null;
}

const BUILTIN = { layer: 'default' as const, file: null };

const ENV_RULE: RuleRef = {
  kind: 'sensitive_path',
  entry: '.env*',
  section: 'builtin',
  source: BUILTIN,
};

const boundary = (entry: string): RuleRef => ({
  kind: 'workspace_boundary',
  entry,
  section: 'workspace',
  source: BUILTIN,
});

const protectedRef = (p: Protection): RuleRef => ({
  kind: 'builtin',
  entry: `protected: ${p.entry}`,
  section: 'builtin',
  source: BUILTIN,
});

/** The protection of a real path inside the workspace (checked under both of its names). */
export function writeProtection(model: ProtectionModel, ...paths: string[]): Protection | null {
  const folded = model.caseInsensitive;
  const gitDirs = model.layout.gitDirs.map((d) => relParts(d, model.workspaceReal));
  const hooks = model.layout.hooksPaths;
  let worst: Protection | null = null;
  for (const path of paths) {
    const root = isInside(path, model.workspaceReal) ? model.workspaceReal : model.workspace;
    if (!isInside(path, root)) continue;
    const parts = relParts(path, root);
    const exists = (i: number): boolean => {
      try {
        model.fs.lstat(join(root, ...parts.slice(0, i + 1)));
        return true;
      } catch {
        return false;
      }
    };
    const listed = (model.inputs.dotfiles?.additional ?? []).find((entry) =>
      isInside(path, join(root, entry)),
    );
    const bare = bareRepoRisk(model, path);
    if (bare) {
      worst = bare;
      continue;
    }
    const hook = hooks.find((h) => isInside(path, h));
    const found: Protection | null = hook
      ? {
          level: 'deny',
          entry: hook,
          why: `${hook} is named by a git config (core.hooksPath or include.path); git runs or reads it outside the sandbox`,
        }
      : (classifyWrite(parts, folded, gitDirs, exists) ??
        (listed
          ? {
              level: 'prompt',
              entry: listed,
              why: `${listed} is listed in [dotfile_protection] additional_protected_patterns`,
            }
          : null));
    if (found && (!worst || (found.level === 'deny' && worst.level === 'prompt'))) worst = found;
  }
  return worst;
}

function existsAt(fs: FsLookups, path: string, dir = false): boolean {
  try {
    const st = fs.stat(path);
    return dir ? st.isDirectory() : true;
  } catch {
    return false;
  }
}

/**
 * A write that would complete a bare git repository (HEAD, objects/, refs/ and a config or hooks in
 * one folder): git run in that folder would take it as the repository and run its config.
 * Known git directories are decided by gitDirProtection instead.
 */
function bareRepoRisk(model: ProtectionModel, path: string): Protection | null {
  const candidates = new Set<string>([dirname(path)]);
  for (let dir = dirname(path); isInside(dir, model.workspaceReal); dir = dirname(dir)) {
    const name = basename(dir);
    if (name === 'objects' || name === 'refs' || name === 'hooks') candidates.add(dirname(dir));
    if (dir === model.workspaceReal) break;
  }
  const name = basename(path);
  if (name === 'commondir' || name === 'gitdir')
    return {
      level: 'deny',
      entry: relParts(path, model.workspaceReal).join('/'),
      why: `${path}: git reads a ${name} file to find a repository and its configuration`,
    };
  for (const repo of candidates) {
    if (basename(repo) === '.git' || model.layout.gitDirs.includes(repo)) continue;
    const under = (sub: string): boolean => isInside(path, join(repo, sub));
    const fs = model.fs;
    const head = lexists(join(repo, 'HEAD'), fs) || path === join(repo, 'HEAD');
    // Objects and refs may live elsewhere, named by a commondir file.
    const common = lexists(join(repo, 'commondir'), fs);
    const objects = common || existsAt(fs, join(repo, 'objects'), true) || under('objects');
    const refs = common || existsAt(fs, join(repo, 'refs'), true) || under('refs');
    const runs =
      existsAt(fs, join(repo, 'config')) || path === join(repo, 'config') || under('hooks');
    if (head && objects && refs && runs)
      return {
        level: 'deny',
        entry: relParts(repo, model.workspaceReal).join('/') || '.',
        why: `${path} would make ${repo} a bare git repository, whose config and hooks git runs there`,
      };
  }
  return null;
}

/**
 * Decide access to one path for a tool or a host action: inside the workspace after symlinks,
 * not sensitive, and (for writes) not protected. `.env` files are read only after a prompt.
 */
export function decideAccess(model: ProtectionModel, input: string, op: PathOp): PathDecision {
  const base = { kind: 'path' as const, op, path: input };
  if (typeof input !== 'string' || input === '' || input.length > 4096 || input.includes('\0')) {
    const why = input.includes?.('\0')
      ? 'the path contains a NUL byte'
      : 'the path is empty or too long';
    return { ...base, decision: 'deny', resolved: null, reason: why, rule: null };
  }
  const lexical = lexicalPath(input, model.workspace, model.home);
  let resolved: string;
  try {
    resolved = resolveReal(
      absoluteUnnormalised(input, model.workspace, model.home),
      undefined,
      model.fs,
    );
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
  const sensitive = sensitiveMatch(model, [lexical, resolved]);
  if (sensitive) {
    const reason = `${sensitive.path} is a sensitive path`;
    return { ...base, decision: 'deny', resolved, reason, rule: sensitive.ref };
  }
  const inside = isInside(lexical, model.workspace) || isInside(lexical, model.workspaceReal);
  if (!inside || !isInside(resolved, model.workspaceReal)) {
    const why = inside
      ? `${input} resolves to ${resolved}, outside the workspace (through a symlink)`
      : `${input} is outside the workspace ${model.workspace}`;
    return { ...base, decision: 'deny', resolved, reason: why, rule: boundary(model.workspace) };
  }
  const name = resolved.slice(resolved.lastIndexOf('/') + 1);
  const lexName = lexical.slice(lexical.lastIndexOf('/') + 1);
  const excepted = model.exceptions.some((ex) => isInside(resolved, ex) || isInside(lexical, ex));
  const envFile = (isEnvFileName(name) || isEnvFileName(lexName)) && !excepted;
  if (op === 'write') {
    const p = writeProtection(model, lexical, resolved);
    if (p) {
      const reason = p.level === 'deny' ? p.why : `${p.why}; writing it needs a person's approval`;
      return { ...base, decision: p.level, resolved, reason, rule: protectedRef(p) };
    }
    // An existing .env is hidden from commands (read and write); the tools ask before changing it.
    if (envFile && existsAt(model.fs, resolved)) {
      const reason = `${input} may hold secrets; changing it needs a person's approval`;
      return { ...base, decision: 'prompt', resolved, reason, rule: ENV_RULE };
    }
  } else {
    if (envFile) {
      const reason = `${input} may hold secrets (.env files are read only with approval, or list it in [sandbox.sensitive_paths] exceptions)`;
      return { ...base, decision: 'prompt', resolved, reason, rule: ENV_RULE };
    }
  }
  return {
    ...base,
    decision: 'allow',
    resolved,
    reason: `inside the workspace ${model.workspace}`,
    rule: null,
  };
}
