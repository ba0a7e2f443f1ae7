import { sep } from 'node:path';

/*
 * What a write must never silently touch inside the workspace, because something outside the
 * sandbox later runs or trusts it. One table, read by the file tools' path decisions and by the
 * sandbox's write denies (sandbox-rules.ts), so the two cannot disagree.
 */

/** How a protected write is decided: never, or only when a person says yes. */
export type ProtectionLevel = 'deny' | 'prompt';

/** Why a path is protected, in words a person understands. */
export interface Protection {
  readonly level: ProtectionLevel;
  /** The protected entry (workspace-relative, `/`-separated), for the rule reference. */
  readonly entry: string;
  readonly why: string;
}

/** The app's own files at the workspace root: compared case-insensitively everywhere. */
export const APP_OWN_NAMES: Readonly<Record<string, string>> = {
  'vtcode.toml': "holds this workspace's agent policy",
  '.vtcode': "holds this app's sessions and workspace state",
};

/** Files and folders (at any depth) that other programs run or load as code or configuration. */
export const AUTO_RUN_ENTRIES: Readonly<Record<string, string>> = {
  '.envrc': 'direnv runs it when a shell enters the folder',
  '.bashrc': 'a shell runs it at start-up',
  '.bash_profile': 'a shell runs it at start-up',
  '.bash_login': 'a shell runs it at start-up',
  '.bash_logout': 'a shell runs it at exit',
  '.zshrc': 'a shell runs it at start-up',
  '.zshenv': 'a shell runs it at start-up',
  '.zprofile': 'a shell runs it at start-up',
  '.zlogin': 'a shell runs it at start-up',
  '.profile': 'a shell runs it at start-up',
  '.gitconfig': 'git reads it as configuration (which can run programs)',
  '.gitmodules': 'git reads it to fetch and check out submodules',
  '.ripgreprc': 'ripgrep reads its options from it (which can run programs)',
  '.mcp.json': 'agents start the MCP servers it names',
  '.vscode': 'VS Code runs its tasks and applies its settings',
  '.idea': 'JetBrains IDEs run its run configurations',
  '.cursor': 'Cursor loads its rules, hooks and MCP servers',
  '.devcontainer': 'dev container tools build and run what it describes',
  '.husky': 'husky installs these files as git hooks',
  '.pre-commit-config.yaml': 'pre-commit installs and runs the hooks it names',
  'lefthook.yml': 'lefthook runs the git hooks it names',
  '.lefthook.yml': 'lefthook runs the git hooks it names',
  '.claude/settings.json': 'Claude Code runs the hooks it defines',
  '.claude/settings.local.json': 'Claude Code runs the hooks it defines',
  '.claude/commands': 'Claude Code loads these as commands',
  '.claude/agents': 'Claude Code loads these as agents',
  '.claude/hooks': 'Claude Code runs these as hooks',
  '.gemini/settings.json': 'Gemini CLI runs the tools and servers it names',
  '.zed/settings.json': 'Zed applies these settings (tasks, language servers)',
  '.zed/tasks.json': 'Zed runs these tasks',
  '.pdbrc': 'pdb runs it when a breakpoint or pytest --pdb starts the debugger',
  '.yarnrc.yml': 'every yarn command runs the yarnPath it names',
  '.yarnrc': 'Yarn 1 runs the yarn-path it names for every command',
  '.tool-versions': 'asdf runs the path: versions it names behind its shims',
  'mise.toml': 'mise runs its [hooks] when a shell enters the folder',
  '.mise.toml': 'mise runs its [hooks] when a shell enters the folder',
  '.irbrc': 'irb runs it at start-up',
  '.pryrc': 'pry runs it at start-up',
  '.gdbinit': 'gdb runs it at start-up',
  '.lldbinit': 'lldb runs it at start-up',
  '.Rprofile': 'R runs it at start-up',
  '.pnpmfile.cjs': 'pnpm runs it on every install',
  '.npmrc': 'npm reads its script-shell and hooks for every npm run',
  'bunfig.toml': 'bun runs the preload scripts it names',
  '.hg': 'Mercurial runs the hooks in its hgrc',
  '.pythonrc': 'the Python shell runs it at start-up (PYTHONSTARTUP)',
  '.nanorc': 'nano runs the formatters it names',
  '.ghci': 'ghci runs it at start-up',
  '.iex.exs': 'iex runs it at start-up',
  '.octaverc': 'Octave runs it at start-up',
  '.ocamlinit': 'the OCaml toplevel runs it at start-up',
  '.perldb': 'the Perl debugger runs it',
  '.Renviron': 'R reads it at start-up (it can point R at code to run)',
  '.latexmkrc': 'latexmk runs it as Perl',
  latexmkrc: 'latexmk runs it as Perl',
  'opencode.json': 'opencode starts the MCP servers and commands it names',
  '.amazonq/mcp.json': 'Amazon Q starts the MCP servers it names',
  '.roo/mcp.json': 'Roo Code starts the MCP servers it names',
  '.kilocode/mcp.json': 'Kilo Code starts the MCP servers it names',
  '.codex/config.toml': 'Codex starts the MCP servers and commands it names',
  '.aider.conf.yml': 'aider runs the lint and test commands it names',
  '.continue': 'Continue loads its configuration and MCP servers',
};

/** What git writes while it works: left writable inside any git directory. */
const GIT_CONTROL = new Set(['config', 'config.worktree', 'hooks', 'commondir', 'gitdir']);

/** Compare names the way the file system does (and always folded for the app's own names). */
export function nameEquals(a: string, b: string, folded: boolean): boolean {
  return folded ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/**
 * Within a git directory (`rest` is the path below it): git's configuration, hooks and the
 * pointers that choose another configuration are protected; objects, refs, the index, logs and
 * the rest of git's working data stay writable.
 */
export function gitDirProtection(rest: readonly string[], folded: boolean): string | null {
  const [first = '', second, third] = rest;
  const isControl = (n: string | undefined): boolean =>
    n !== undefined && [...GIT_CONTROL].some((c) => nameEquals(n, c, folded));
  if (rest.length === 0) return 'the git directory itself';
  if (isControl(first)) return `git's ${first}`;
  if (nameEquals(first, 'worktrees', folded) && second !== undefined && isControl(third))
    return `the ${third} of git worktree ${second}`;
  if (nameEquals(first, 'modules', folded)) {
    // A submodule's git directory: .git/modules/<name>[/modules/<name>...]/<control>.
    for (let i = 2; i < rest.length; i++) {
      if (isControl(rest[i]) && !nameEquals(rest[i - 1] ?? '', 'modules', folded))
        return `the ${rest[i]} of a submodule's git directory`;
    }
  }
  return null;
}

/**
 * The protection of a workspace-relative path (`parts`: its components), or null. `gitDirs`
 * are further git directories (as relative component lists): `.git` symlinks' and `.git` files'
 * targets inside the workspace. `isNewGit` tells whether a `.git` named by the path is absent.
 */
export function classifyWrite(
  parts: readonly string[],
  folded: boolean,
  gitDirs: readonly (readonly string[])[],
  /** Whether the path's first `index + 1` components exist. */
  gitEntryExists: (index: number) => boolean,
): Protection | null {
  const rel = parts.join('/');
  const first = parts[0] ?? '';
  for (const [name, why] of Object.entries(APP_OWN_NAMES)) {
    if (nameEquals(first, name, true))
      return { level: 'deny', entry: name, why: `${name} ${why}; tools never write it` };
  }
  for (let i = 0; i < parts.length; i++) {
    if (!nameEquals(parts[i] ?? '', '.git', folded)) continue;
    const entry = parts.slice(0, i + 1).join('/');
    if (i === parts.length - 1) {
      const why = gitEntryExists(i)
        ? `${entry} tells git where the repository and its configuration are`
        : `a new ${entry} would be a repository whose configuration git runs`;
      return { level: 'deny', entry, why };
    }
    const what = gitDirProtection(parts.slice(i + 1), folded);
    if (what)
      return {
        level: 'deny',
        entry: parts.slice(0, i + 2).join('/'),
        why: `${rel} is ${what}, which git runs or trusts outside the sandbox`,
      };
  }
  for (const dir of gitDirs) {
    if (dir.length > parts.length || !dir.every((d, i) => nameEquals(d, parts[i] ?? '', folded)))
      continue;
    const what = gitDirProtection(parts.slice(dir.length), folded);
    if (what)
      return {
        level: 'deny',
        entry: dir.join('/'),
        why: `${rel} is ${what}, which git runs or trusts outside the sandbox`,
      };
  }
  for (const [name, why] of Object.entries(AUTO_RUN_ENTRIES)) {
    const words = name.split('/');
    // At the root, an absent `.claude` is kept whole (the sandbox cannot mount inside a folder
    // that is not there), so the file tools ask about all of it too.
    if (words.length > 1 && nameEquals(first, words[0] ?? '', folded) && !gitEntryExists(0)) {
      const entry = first;
      return { level: 'prompt', entry, why: `${entry}/${words.slice(1).join('/')}: ${why}` };
    }
    for (let i = 0; i + words.length <= parts.length; i++) {
      if (words.every((w, j) => nameEquals(parts[i + j] ?? '', w, folded))) {
        const entry = parts.slice(0, i + words.length).join('/');
        return { level: 'prompt', entry, why: `${entry}: ${why}` };
      }
    }
  }
  return null;
}

/** Split a workspace-relative path into components. */
export function components(relative: string): string[] {
  return relative.split(sep).filter((p) => p !== '' && p !== '.');
}
