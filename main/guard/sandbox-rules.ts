import { join, relative } from 'node:path';
import { isInside, lexists, readRegularText, subdirectories } from './paths';
import { APP_OWN_NAMES, AUTO_RUN_ENTRIES } from './protected';
import type { ProtectionModel } from './model';

/** The sandbox's filesystem rules for one run, generated from the protection model. */
export interface SandboxFsRules {
  readonly denyRead: string[];
  readonly allowRead: string[];
  /** Paths inside the writable workspace that stay read-only (absent ones cannot be created). */
  readonly denyWrite: string[];
}

/**
 * What git keeps in a git directory that it runs or trusts (see protected.ts). `commondir` and
 * `config.worktree` are denied only where they exist: a placeholder for an absent one would be
 * unreadable in the sandbox and break git there (an absent commondir is watched in tamper.ts;
 * config.worktree is read only when the protected config enables it).
 */
const GIT_DIR_DENIES = ['config', 'hooks'];
const GIT_DIR_DENIES_IF_PRESENT = ['commondir', 'config.worktree'];

/**
 * What commands may read in the home folder, which is otherwise hidden: toolchains and caches, and
 * the configuration they need. Secrets inside them stay hidden (a deny inside a carve-out wins).
 */
export const HOME_READABLE: readonly string[] = [
  '.gitconfig',
  '.gitignore_global',
  '.config/git',
  '.cargo',
  '.rustup',
  '.npm',
  '.node-gyp',
  '.cache',
  '.local/bin',
  '.local/lib',
  '.local/share/pnpm',
  '.local/share/uv',
  '.local/share/virtualenvs',
  '.local/share/mise',
  '.local/share/fnm',
  '.nvm',
  '.volta',
  '.fnm',
  '.bun',
  '.deno',
  '.pyenv',
  '.rbenv',
  '.rvm',
  '.gem',
  '.bundle',
  'go',
  '.sdkman',
  '.gradle',
  '.m2',
  '.ivy2',
  '.sbt',
  '.cabal',
  '.ghcup',
  '.stack',
  '.opam',
  '.elan',
  '.nimble',
  '.dotnet',
  '.nuget',
  '.julia',
  '.conda',
  '.condarc',
  'miniconda3',
  'anaconda3',
  '.yarn',
  '.config/yarn',
  '.pnpm-store',
  '.asdf',
  '.tool-versions',
  '.config/mise',
  '.editorconfig',
  '.linuxbrew',
  '.local/pipx',
  '.local/share/pipx',
  '.local/share/gem',
  '.local/share/pypoetry',
  '.poetry',
  '.swiftpm',
  '.platformio',
  '.arduino15',
  '.terraform.d/plugins',
  '.terraform.d/plugin-cache',
];

/** Toolchain config files that usually hold settings, sometimes a token: hidden when they do. */
const TOKEN_BEARING_CONFIGS = ['.cargo/config.toml', '.cargo/config', '.config/git/config'];

/**
 * Whether a config file holds a credential: a registry token, an auth header, a URL with a user
 * and password, a credential section. Git and cargo can work without what such a file holds.
 */
export function holdsToken(path: string): boolean {
  const text = readRegularText(path, 256 * 1024);
  if (text === null) return false;
  return /^\s*token\s*=|extraheader|\[credential|:\/\/[^/\s:@]+:[^@\s/]+@|insteadof\s*=\s*\S*:\/\/[^/\s]*@/im.test(
    text,
  );
}

/**
 * Read denies: the home folder as a whole (other projects, unknown credential files) except the
 * workspace and the toolchains, the sensitive set inside what stays readable, and the workspace's
 * .env files; `exceptions` lift a deny.
 */
function readRules(model: ProtectionModel): { denyRead: string[]; allowRead: string[] } {
  const deny = new Set<string>(model.sensitive.map((e) => e.path));
  for (const env of model.layout.envFiles) deny.add(env);
  const exceptions = model.exceptions;
  const allow = new Set<string>();
  const home = model.home;
  const hideHome =
    model.inputs.sensitive.useDefaults &&
    home !== '/' &&
    !isInside(home, model.workspaceReal) &&
    !isInside(home, model.workspace);
  if (hideHome) {
    deny.add(home);
    for (const rel of HOME_READABLE) {
      const path = join(home, rel);
      if (!lexists(path)) continue;
      // A config file that holds a token stays hidden, though its folder is readable.
      if (holdsToken(path)) deny.add(path);
      else allow.add(path);
    }
    for (const rel of TOKEN_BEARING_CONFIGS) {
      const path = join(home, rel);
      if (holdsToken(path)) deny.add(path);
    }
    for (const ws of [model.workspace, model.workspaceReal]) if (isInside(ws, home)) allow.add(ws);
  }
  const denyRead = [...deny].filter((d) => !exceptions.includes(d));
  for (const e of exceptions) if (denyRead.some((d) => isInside(e, d) && e !== d)) allow.add(e);
  const allowRead = [...allow];
  return { denyRead: denyRead.filter((d) => !allowRead.includes(d)), allowRead };
}

/**
 * Write denies: every protected entry the model names, present or (at the workspace root) absent,
 * so the sandbox refuses exactly what the file tools refuse or ask about.
 */
function writeDenies(model: ProtectionModel): string[] {
  const root = model.workspaceReal;
  const out = new Set<string>();
  // The app's own files are kept out even when absent: the app watches vtcode.toml.
  for (const name of Object.keys(APP_OWN_NAMES)) out.add(join(root, name));
  // Other auto-run files are mounted read-only where they exist; one a command creates is moved
  // aside when the run ends (tamper.ts), so the sandbox shows no phantom files for them.
  // `[dotfile_protection] whitelist` (user file only) lifts auto-run entries, never git's or ours.
  const whitelisted = (path: string): boolean =>
    (model.inputs.dotfiles?.whitelist ?? []).some((w) => isInside(path, join(root, w)));
  for (const name of Object.keys(AUTO_RUN_ENTRIES))
    if (lexists(join(root, name)) && !whitelisted(join(root, name))) out.add(join(root, name));
  for (const extra of model.inputs.dotfiles?.additional ?? []) out.add(join(root, extra));
  for (const variant of model.layout.caseVariants) out.add(variant);
  // Inside a parent repository, a new .git at the root would replace the parent's configuration
  // for the user's git in this folder: kept out. Elsewhere `git init` works and what it makes is
  // checked when the run ends.
  const rootGit = join(root, '.git');
  const hasRoot =
    model.layout.gitDirs.includes(rootGit) || model.layout.gitPointers.includes(rootGit);
  if (!hasRoot && model.layout.insideParentRepo) out.add(rootGit);
  for (const pointer of model.layout.gitPointers) out.add(pointer);
  for (const gitDir of model.layout.gitDirs) {
    for (const name of GIT_DIR_DENIES) out.add(join(gitDir, name));
    for (const name of GIT_DIR_DENIES_IF_PRESENT)
      if (lexists(join(gitDir, name))) out.add(join(gitDir, name));
    // Worktrees' pointers back to the repository choose its configuration too.
    for (const wt of subdirectories(join(gitDir, 'worktrees')))
      for (const name of ['commondir', 'gitdir', 'config.worktree'])
        if (lexists(join(wt, name))) out.add(join(wt, name));
  }
  for (const hooks of model.layout.hooksPaths) out.add(hooks);
  for (const entry of model.layout.autoRun) if (!whitelisted(entry)) out.add(entry);
  return [...out].filter((p) => isInside(p, root));
}

/** The sandbox rules of a run in this workspace; `writable`: workspace_write mode. */
export function sandboxFsRules(model: ProtectionModel, writable: boolean): SandboxFsRules {
  return { ...readRules(model), denyWrite: writable ? writeDenies(model) : [] };
}

/** For messages: a denied path relative to the workspace. */
export function describeDeny(model: ProtectionModel, path: string): string {
  return relative(model.workspaceReal, path) || '.';
}
