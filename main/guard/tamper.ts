import { lstatSync, renameSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ProtectionModel } from './model';

/**
 * Protected paths that the sandbox cannot keep absent with a mount: a placeholder at
 * `.git/commondir` would be unreadable inside the sandbox and break every git command there. They
 * are checked after each run instead, and anything a command planted is moved aside before the
 * user's own git can read it.
 */
export interface TamperWatch {
  readonly workspace: string;
  readonly mustStayAbsent: readonly { readonly path: string; readonly why: string }[];
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
    // Only a linked worktree's git directory has a commondir (watched once it exists, by the
    // sandbox's mounts); in any other it redirects git to another repository's configuration.
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
  return { workspace: model.workspaceReal, mustStayAbsent };
}

/** Move aside what a run planted; one line per repair, for the run's violation report. */
export function repairTampering(watch: TamperWatch, now = Date.now()): string[] {
  const lines: string[] = [];
  for (const { path, why } of watch.mustStayAbsent) {
    if (!exists(path)) continue;
    const aside = `${path}.vtcode-blocked-${now}`;
    const rel = relative(watch.workspace, path);
    try {
      renameSync(path, aside);
      lines.push(
        `guard: ${rel} was created by the command (${why}); moved to ${relative(watch.workspace, aside)}`,
      );
    } catch (error) {
      lines.push(
        `guard: ${rel} was created by the command (${why}) and could not be moved aside: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return lines;
}
