import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gitConfigEntries, scanWorkspace, type WorkspaceLayout } from './layout';
import {
  isInside,
  isLink,
  lexists,
  linkFreeTarget,
  readRegularText,
  subdirectories,
} from './paths';
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

/** What to check after a run in this workspace (taken before the run starts). */
export function watchForTampering(model: ProtectionModel): TamperWatch {
  const mustStayAbsent: { path: string; why: string }[] = [];
  const watch = (path: string, why: string): void => {
    if (!lexists(path)) mustStayAbsent.push({ path, why });
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
  const whitelist = (model.inputs.dotfiles?.whitelist ?? []).map((w) =>
    join(model.workspaceReal, w),
  );
  const absentAtRoot = Object.keys(AUTO_RUN_ENTRIES)
    .map((name) => join(model.workspaceReal, name))
    .filter((path) => !lexists(path) && !whitelist.some((w) => isInside(path, w)));
  return { model, mustStayAbsent, before: model.layout, absentAtRoot };
}

/** Keys `git init`, `git clone` and ordinary work write; anything else in a new repository is suspect. */
const SAFE_KEYS = [
  /^core\.(repositoryformatversion|filemode|bare|logallrefupdates|ignorecase|precomposeunicode|symlinks|autocrlf|eol|safecrlf)$/,
  /^remote\.[^.]+(\.[^.]+)*\.(fetch|tagopt|mirror|prune)$/,
  /^branch\.[^.]+(\.[^.]+)*\.(remote|merge|rebase)$/,
  /^submodule\.[^.]+(\.[^.]+)*\.(active|path)$/,
  /^(user\.(name|email)|init\.defaultbranch|extensions\.objectformat|pull\.rebase|fetch\.prune|gc\.auto|advice\..+)$/,
];
/** Keys whose value is a URL: safe only as a plain URL or path (never `ext::` or another helper). */
const URL_KEYS = /^(remote|submodule)\.[^.]+(\.[^.]+)*\.(url|pushurl)$/;

function safeUrl(value: string): boolean {
  return !value.includes('::') && !value.trimStart().startsWith('-');
}

/** The keys of a git config (as `section[.sub].key`, lower case) that are not known to be safe. */
export function unsafeGitConfigKeys(
  entries: readonly { readonly key: string; readonly value: string }[],
): string[] {
  const found: string[] = [];
  for (const { key, value } of entries) {
    if (URL_KEYS.test(key) && safeUrl(value)) continue;
    if (key.startsWith('alias.') && !value.trimStart().startsWith('!')) continue;
    if (SAFE_KEYS.some((re) => re.test(key))) continue;
    found.push(key);
  }
  return found;
}

/** A git config's entries as git itself reads them (`git config --file F --list --null`). */
function gitListConfig(file: string): { key: string; value: string }[] | null {
  try {
    const out = execFileSync('git', ['config', '--file', file, '--list', '--null'], {
      encoding: 'utf8',
      timeout: 5000,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: '/nonexistent',
      },
    });
    return out
      .split('\0')
      .filter(Boolean)
      .map((item) => {
        const at = item.indexOf('\n');
        return at < 0
          ? { key: item.toLowerCase(), value: 'true' }
          : { key: item.slice(0, at).toLowerCase(), value: item.slice(at + 1) };
      });
  } catch {
    return null;
  }
}

/**
 * The keys of a new repository's config that may run programs or read more configuration: read as
 * git reads it when git is there (a file git cannot read counts as unsafe), else by our parser.
 */
export function dangerousGitConfig(text: string, file: string | null = null): string[] {
  const listed = file ? gitListConfig(file) : null;
  if (file && listed === null && text.trim() !== '') return ['(a config git cannot read)'];
  const entries =
    listed ??
    gitConfigEntries(text).map((e) => ({
      // Our parser drops the subsection (`[remote "origin"]`); keep the key's shape.
      key: /^(remote|branch|submodule)$/.test(e.section)
        ? `${e.section}.sub.${e.key}`
        : `${e.section}.${e.key}`,
      value: e.value,
    }));
  return unsafeGitConfigKeys(entries);
}

/**
 * Move a planted file aside under a name nobody can guess; if that fails, remove it. Either way
 * it is gone from where it would be read.
 */
function removeFromPlace(watch: TamperWatch, planted: string, why: string): string {
  // Never through a link: a link the command made is moved aside itself, never what it points at.
  const root = watch.model.workspaceReal;
  const path = isInside(planted, root) ? linkFreeTarget(root, planted) : null;
  if (path === null) return `guard: ${planted} is outside the workspace; left alone`;
  const rel = relative(root, path);
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
  return readRegularText(path, 1024 * 1024) ?? '';
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
      info = lstatSync(path);
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
    if (lexists(path)) lines.push(removeFromPlace(watch, path, why));
  const model = watch.model;
  const after = scanWorkspace(
    model.workspaceReal,
    model.caseInsensitive,
    model.inputs.globalGitConfigs ?? userGitConfigs(model.home),
  );
  const before = watch.before;
  for (const path of watch.absentAtRoot)
    if (lexists(path)) lines.push(removeFromPlace(watch, path, 'another program runs or loads it'));
  const whitelisted = (path: string): boolean =>
    (model.inputs.dotfiles?.whitelist ?? []).some((w) =>
      isInside(path, join(model.workspaceReal, w)),
    );
  for (const path of after.autoRun)
    if (!before.autoRun.includes(path) && lexists(path) && !whitelisted(path))
      lines.push(removeFromPlace(watch, path, 'another program runs or loads it'));
  for (const path of after.gitPointers)
    if (!before.gitPointers.includes(path) && lexists(path))
      lines.push(
        removeFromPlace(watch, path, 'a .git file or link chooses which configuration git runs'),
      );
  // A repository the run made (git init, git clone) keeps its objects; what would run programs
  // when the user's git works in it is moved aside.
  for (const gitDir of after.gitDirs) {
    if (before.gitDirs.includes(gitDir)) continue;
    const config = join(gitDir, 'config');
    if (isLink(config)) lines.push(removeFromPlace(watch, config, 'a config that is a link'));
    else {
      isolateHardLinks([config]);
      const bad = dangerousGitConfig(readText(config), config);
      if (bad.length > 0) lines.push(removeFromPlace(watch, config, `it sets ${bad.join(', ')}`));
    }
    for (const name of ['config.worktree', 'commondir'])
      if (lexists(join(gitDir, name)))
        lines.push(
          removeFromPlace(
            watch,
            join(gitDir, name),
            'git may read another configuration through it',
          ),
        );
    let hooks: string[] = [];
    if (isLink(join(gitDir, 'hooks')))
      lines.push(removeFromPlace(watch, join(gitDir, 'hooks'), 'a hooks folder that is a link'));
    else
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
