import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/*
 * Files inside the workspace that a sandboxed command must not write even in workspace_write mode,
 * because something outside the sandbox later executes or trusts them: git hooks and config (git
 * runs hooks unsandboxed), shell start-up files, direnv's .envrc, editor task folders, and this
 * app's own policy and sessions. The sandbox runtime protects such files only under the process's
 * current folder, which is not the workspace, so the runner names them for each run.
 */
const FILES = [
  '.gitconfig',
  '.gitmodules',
  '.bashrc',
  '.bash_profile',
  '.zshrc',
  '.zprofile',
  '.profile',
  '.envrc',
  '.ripgreprc',
  '.mcp.json',
  'vtcode.toml',
] as const;
const DIRECTORIES = ['.vtcode', '.vscode', '.idea', '.claude/commands', '.claude/agents'] as const;

/**
 * `a/b` when the folder `a` exists, else `a` itself. An absent path is kept out by a placeholder the
 * sandbox mounts on the host; a placeholder for `.claude` made by one run would break the mount of
 * `.claude/agents` by another run at the same time, so absent parents are denied whole instead.
 */
function nearestPresent(workspace: string, name: string): string {
  const [first = name] = name.split('/');
  if (first === name) return name;
  try {
    return statSync(join(workspace, first)).isDirectory() ? name : first;
  } catch {
    return first;
  }
}

/** How deep to look for nested repositories (vendored repos, submodules): as the runtime does. */
const NESTED_REPO_DEPTH = 3;
const SKIP = new Set(['node_modules', '.git']);

/** Folders under `dir` (down to `depth` levels) that hold a `.git` directory. */
function repositories(dir: string, depth: number, found: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    if (entry.name === '.git') {
      found.push(dir);
      continue;
    }
    if (depth > 0 && !SKIP.has(entry.name)) repositories(join(dir, entry.name), depth - 1, found);
  }
}

/** Paths under `workspace` to keep read-only for a run (absent ones cannot be created either). */
export function workspaceWriteDenies(workspace: string): string[] {
  const denies = [...FILES, ...DIRECTORIES.map((name) => nearestPresent(workspace, name))].map(
    (name) => join(workspace, name),
  );
  // No .git directory: nothing of git's to protect there, and `git init` must stay possible.
  const repos: string[] = [];
  repositories(workspace, NESTED_REPO_DEPTH, repos);
  for (const repo of repos) denies.push(join(repo, '.git', 'hooks'), join(repo, '.git', 'config'));
  return denies;
}
