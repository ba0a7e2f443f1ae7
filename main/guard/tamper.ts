import { randomBytes } from 'node:crypto';
import {
  lstatSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gitConfigEntries, scanWorkspace, type WorkspaceLayout } from './layout';
import type { ProtectionModel } from './model';
import { userGitConfigs } from './model';
import { AUTO_RUN_ENTRIES } from './protected';

/**
 * What the sandbox cannot keep out with a mount, checked when a run ends and moved aside before
 * the user's own git, shell or editor reads it:
 * - `commondir` and `config.worktree` where they were absent (a placeholder there would be
 *   unreadable inside the sandbox and break every git command);
 * - auto-run files and `.git` files or links created during the run (bubblewrap can only mount
 *   over what exists);
 * - in a repository the run created, configuration that runs programs, and its hooks.
 * Protected files are also given an inode of their own before a run, so a hard link made earlier
 * cannot write them past their read-only mount.
 */
export interface TamperWatch {
  readonly model: ProtectionModel;
  readonly mustStayAbsent: readonly { readonly path: string; readonly why: string }[];
  readonly before: WorkspaceLayout;
  /** Auto-run entries absent at the workspace root before the run. */
  readonly absentAtRoot: readonly string[];
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** What to check after a run in this workspace (taken before the run starts). */
export function watchForTampering(model: ProtectionModel): TamperWatch {
  const mustStayAbsent: { path: string; why: string }[] = [];
  const watch = (path: string, why: string): void => {
    if (!exists(path)) mustStayAbsent.push({ path, why });
  };
  for (const gitDir of model.layout.gitDirs) {
    // A linked worktree's git directory has its own commondir (mounted read-only where present).
    const isWorktree = relative(model.workspaceReal, gitDir).split('/').includes('worktrees');
    if (!isWorktree)
      watch(join(gitDir, 'commondir'), 'git would read another configuration through it');
    watch(join(gitDir, 'config.worktree'), 'git may read it as configuration');
    for (const wt of subdirectories(join(gitDir, 'worktrees')))
      watch(join(wt, 'config.worktree'), 'git may read it as the configuration of a worktree');
  }
  const absentAtRoot = Object.keys(AUTO_RUN_ENTRIES)
    .map((name) => join(model.workspaceReal, name))
    .filter((path) => !exists(path));
  return { model, mustStayAbsent, before: model.layout, absentAtRoot };
}

function subdirectories(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(dir, e.name));
  } catch {
    return [];
  }
}

/** Config keys with which git runs a program (`[core] fsmonitor`, `[diff "x"] textconv` ...). */
const RUNS_PROGRAMS =
  /^(fsmonitor|hookspath|sshcommand|pager|editor|askpass|gitproxy|textconv|command|driver|clean|smudge|process|helper|path|external|program|cmd|uploadpack|receivepack|worktree|worktreeconfig)$/;

/** The keys of a git config that make git run a program or read more configuration. */
export function dangerousGitConfig(text: string): string[] {
  const found: string[] = [];
  for (const e of gitConfigEntries(text)) {
    const alias = e.section === 'alias' && e.value.startsWith('!');
    const include = e.section === 'include' || e.section === 'includeif';
    if (RUNS_PROGRAMS.test(e.key) || alias || include || e.section === 'pager')
      found.push(`${e.section}.${e.key}`);
  }
  return found;
}

/**
 * Move a planted file aside under a name nobody can guess; if that fails, remove it. Either way
 * it is gone from where it would be read.
 */
function removeFromPlace(watch: TamperWatch, path: string, why: string): string {
  const rel = relative(watch.model.workspaceReal, path);
  const aside = `${path}.vtcode-blocked-${randomBytes(6).toString('hex')}`;
  try {
    renameSync(path, aside);
    return `guard: ${rel} was created by the command (${why}); moved to ${relative(watch.model.workspaceReal, aside)}`;
  } catch {
    try {
      rmSync(path, { recursive: true, force: true });
      return `guard: ${rel} was created by the command (${why}); removed`;
    } catch (error) {
      return `guard: ${rel} was created by the command (${why}) and could not be removed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Give each existing protected file an inode of its own (copy, then rename over it), so no hard
 * link elsewhere in the workspace writes it. Returns the files it separated.
 */
export function isolateHardLinks(paths: readonly string[]): string[] {
  const separated: string[] = [];
  for (const path of paths) {
    let info;
    try {
      info = statSync(path);
    } catch {
      continue;
    }
    if (!info.isFile() || info.nlink < 2) continue;
    const temp = join(dirname(path), `.vtcode-unlink-${randomBytes(6).toString('hex')}`);
    try {
      writeFileSync(temp, readFileSync(path), { mode: info.mode & 0o777, flag: 'wx' });
      renameSync(temp, path);
      separated.push(path);
    } catch {
      rmSync(temp, { force: true });
    }
  }
  return separated;
}

/** Move aside what a run planted; one line per repair, for the run's violation report. */
export function repairTampering(watch: TamperWatch): string[] {
  const lines: string[] = [];
  for (const { path, why } of watch.mustStayAbsent)
    if (exists(path)) lines.push(removeFromPlace(watch, path, why));
  const model = watch.model;
  const after = scanWorkspace(
    model.workspaceReal,
    model.caseInsensitive,
    model.inputs.globalGitConfigs ?? userGitConfigs(model.home),
  );
  const before = watch.before;
  for (const path of watch.absentAtRoot)
    if (exists(path)) lines.push(removeFromPlace(watch, path, 'another program runs or loads it'));
  for (const path of after.autoRun)
    if (!before.autoRun.includes(path) && exists(path))
      lines.push(removeFromPlace(watch, path, 'another program runs or loads it'));
  for (const path of after.gitPointers)
    if (!before.gitPointers.includes(path) && exists(path))
      lines.push(
        removeFromPlace(watch, path, 'a .git file or link chooses which configuration git runs'),
      );
  // A repository the run made (git init, git clone) keeps its objects; what would run programs
  // when the user's git works in it is moved aside.
  for (const gitDir of after.gitDirs) {
    if (before.gitDirs.includes(gitDir)) continue;
    const config = join(gitDir, 'config');
    isolateHardLinks([config]);
    const bad = dangerousGitConfig(readText(config));
    if (bad.length > 0) lines.push(removeFromPlace(watch, config, `it sets ${bad.join(', ')}`));
    for (const name of ['config.worktree', 'commondir'])
      if (exists(join(gitDir, name)))
        lines.push(
          removeFromPlace(
            watch,
            join(gitDir, name),
            'git may read another configuration through it',
          ),
        );
    let hooks: string[] = [];
    try {
      hooks = readdirSync(join(gitDir, 'hooks')).filter((h) => !h.endsWith('.sample'));
    } catch {
      // No hooks folder: nothing to run.
    }
    for (const hook of hooks)
      lines.push(removeFromPlace(watch, join(gitDir, 'hooks', hook), 'git runs it as a hook'));
  }
  return lines;
}
