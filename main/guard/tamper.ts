import { lstatSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { join, relative } from 'node:path';
import { scanWorkspace, type WorkspaceLayout } from './layout';
import type { ProtectionModel } from './model';
import { AUTO_RUN_ENTRIES } from './protected';
import { userGitConfigs } from './model';

/**
 * What the sandbox cannot keep out with a mount, checked when a run ends and moved aside before
 * the user's own git, shell or editor reads it:
 * - `.git/commondir` and `config.worktree` where they were absent (a placeholder there would be
 *   unreadable inside the sandbox and break every git command);
 * - auto-run files and `.git` files or links created below the root (bubblewrap can only mount
 *   over folders that exist);
 * - in a repository the run created, configuration keys and hooks that run programs.
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
  for (const gitDir of model.layout.gitDirs) {
    // Only a linked worktree's git directory has a commondir (denied by a mount where it exists).
    if (relative(model.workspaceReal, gitDir).split('/').includes('worktrees')) continue;
    const commondir = join(gitDir, 'commondir');
    if (!exists(commondir))
      mustStayAbsent.push({
        path: commondir,
        why: 'git would read another configuration through it',
      });
    const worktreeConfig = join(gitDir, 'config.worktree');
    if (!exists(worktreeConfig))
      mustStayAbsent.push({ path: worktreeConfig, why: 'git may read it as configuration' });
  }
  const absentAtRoot = Object.keys(AUTO_RUN_ENTRIES)
    .map((name) => join(model.workspaceReal, name))
    .filter((path) => !exists(path));
  return { model, mustStayAbsent, before: model.layout, absentAtRoot };
}

/** Config keys with which git runs a program (`[core] fsmonitor`, `[diff "x"] textconv` ...). */
const RUNS_PROGRAMS =
  /^(fsmonitor|hookspath|sshcommand|pager|editor|askpass|gitproxy|textconv|command|driver|clean|smudge|process|helper|path|external|program|cmd|uploadpack|receivepack|worktree)$/;

/** The lines of a git config that make git run a program, or null when there are none. */
export function dangerousGitConfig(text: string): string[] {
  const found: string[] = [];
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const header = /^\[\s*([A-Za-z0-9.-]+)/.exec(line);
    if (header) {
      section = (header[1] ?? '').toLowerCase();
      continue;
    }
    const kv = /^([A-Za-z][A-Za-z0-9-]*)\s*(=\s*(.*))?$/.exec(line);
    if (!kv) continue;
    const key = (kv[1] ?? '').toLowerCase();
    const value = kv[3] ?? '';
    const alias = section === 'alias' && value.trim().replace(/^"/, '').startsWith('!');
    const include = section === 'include' || section === 'includeif';
    if (RUNS_PROGRAMS.test(key) || alias || include || section === 'pager')
      found.push(`${section}.${key}`);
  }
  return found;
}

function moveAside(watch: TamperWatch, path: string, why: string, now: number): string {
  const aside = `${path}.vtcode-blocked-${now}`;
  const rel = relative(watch.model.workspaceReal, path);
  try {
    renameSync(path, aside);
    return `guard: ${rel} was created by the command (${why}); moved to ${relative(watch.model.workspaceReal, aside)}`;
  } catch (error) {
    return `guard: ${rel} was created by the command (${why}) and could not be moved aside: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Move aside what a run planted; one line per repair, for the run's violation report. */
export function repairTampering(watch: TamperWatch, now = Date.now()): string[] {
  const lines: string[] = [];
  for (const { path, why } of watch.mustStayAbsent)
    if (exists(path)) lines.push(moveAside(watch, path, why, now));
  const model = watch.model;
  const after = scanWorkspace(
    model.workspaceReal,
    model.caseInsensitive,
    model.inputs.globalGitConfigs ?? userGitConfigs(model.home),
  );
  const before = watch.before;
  for (const path of watch.absentAtRoot)
    if (exists(path)) lines.push(moveAside(watch, path, 'another program runs or loads it', now));
  for (const path of after.autoRun)
    if (!before.autoRun.includes(path) && exists(path))
      lines.push(moveAside(watch, path, 'another program runs or loads it', now));
  for (const path of after.gitPointers)
    if (!before.gitPointers.includes(path) && exists(path))
      lines.push(
        moveAside(watch, path, 'a .git file or link chooses which configuration git runs', now),
      );
  // A repository the run made (git init, git clone) keeps its objects; what would run programs
  // when the user's git works in it is moved aside.
  for (const gitDir of after.gitDirs) {
    if (before.gitDirs.includes(gitDir)) continue;
    const config = join(gitDir, 'config');
    const bad = dangerousGitConfig(readText(config));
    if (bad.length > 0) lines.push(moveAside(watch, config, `it sets ${bad.join(', ')}`, now));
    let hooks: string[] = [];
    try {
      hooks = readdirSync(join(gitDir, 'hooks')).filter((h) => !h.endsWith('.sample'));
    } catch {
      // No hooks folder: nothing to run.
    }
    for (const hook of hooks)
      lines.push(moveAside(watch, join(gitDir, 'hooks', hook), 'git runs it as a hook', now));
  }
  return lines;
}
