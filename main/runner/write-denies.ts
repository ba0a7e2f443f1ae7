import { statSync } from 'node:fs';
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

/** Paths under `workspace` to keep read-only for a run (absent ones cannot be created either). */
export function workspaceWriteDenies(workspace: string): string[] {
  const denies = [...FILES, ...DIRECTORIES].map((name) => join(workspace, name));
  let gitIsDirectory = false;
  try {
    gitIsDirectory = statSync(join(workspace, '.git')).isDirectory();
  } catch {
    // No .git here: nothing of git's to protect, and `git init` must stay possible.
  }
  if (gitIsDirectory)
    denies.push(join(workspace, '.git', 'hooks'), join(workspace, '.git', 'config'));
  return denies;
}
