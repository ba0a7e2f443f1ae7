import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyEngine } from '../policy/engine';
import { engineFromToml, tempDir } from '../policy/test-helpers';
import { resolveAppPaths, type AppPaths } from '../platform/paths';
import { RunnerService } from '../runner/runner-service';
import { withSettings } from '../runner/settings';

/*
 * Finding 1: git runs planted code outside the sandbox. Each attack below is performed for real by
 * a sandboxed command (and tried by the file tools), then the user's own, unsandboxed `git status`
 * runs in the workspace: the planted program must never run.
 */

let root: string;
let home: string;
let app: AppPaths;
let runner: RunnerService;
const settings = withSettings({ mode: 'workspace_write' });

const gitEnv = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  GIT_CONFIG_NOSYSTEM: '1',
});
const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd,
    encoding: 'utf8',
    env: gitEnv(),
  });

beforeAll(() => {
  root = tempDir('guard-git-');
  home = join(root, 'home');
  mkdirSync(home, { recursive: true });
  app = resolveAppPaths({ VTCODE_DESKTOP_HOME: join(root, 'app') }, 'linux', home);
  runner = new RunnerService({ appPaths: app, hostEnv: { PATH: process.env.PATH ?? '' } });
});

afterAll(async () => {
  await runner.dispose();
  await rm(root, { recursive: true, force: true });
});

async function sandboxed(workspace: string, command: string): Promise<string> {
  const runId = await runner.start({ request: { command }, workspace, settings });
  return (await runner.wait(runId)).text;
}

/** A fresh workspace repository with one commit; `marker` is where planted code would write. */
function repo(name: string): { ws: string; marker: string } {
  const ws = join(root, name);
  mkdirSync(ws, { recursive: true });
  git(ws, 'init', '-q');
  writeFileSync(join(ws, 'a.txt'), 'a\n');
  git(ws, 'add', 'a.txt');
  git(ws, 'commit', '-q', '-m', 'init');
  return { ws, marker: join(root, `${name}-PWNED`) };
}

/** The user's git, outside the sandbox, in `dir` (errors are fine: only planted code matters). */
function userGit(dir: string, ...args: string[]): void {
  try {
    execFileSync('git', args, { cwd: dir, env: gitEnv(), stdio: 'ignore', timeout: 10_000 });
  } catch {
    // A repository the attack damaged may make git fail; what matters is what it ran.
  }
}

async function engineFor(ws: string): Promise<PolicyEngine> {
  return engineFromToml('[tools.policies]\nwrite_file = "allow"\n', ws, home);
}

describe('git cannot be made to run planted code (finding 1)', () => {
  it('core.fsmonitor in .git/config: refused to the file tools and to sandboxed commands', async () => {
    const { ws, marker } = repo('fsmonitor');
    const engine = await engineFor(ws);
    expect(engine.decidePath('.git/config', 'write').decision).toBe('deny');
    expect(engine.decidePath('./.git/../.git/config', 'write').decision).toBe('deny');
    await sandboxed(ws, `git config core.fsmonitor 'touch ${marker}'`);
    await sandboxed(ws, `printf '[core]\\n\\tfsmonitor = touch ${marker}\\n' >> .git/config`);
    await sandboxed(ws, `printf '#!/bin/sh\\ntouch ${marker}\\n' > .git/hooks/post-checkout`);
    userGit(ws, 'status');
    userGit(ws, 'checkout', '-q', '-b', 'x');
    expect(existsSync(marker)).toBe(false);
  });

  it('.git/commondir pointing at a fake git directory with its own config', async () => {
    const { ws, marker } = repo('commondir');
    const engine = await engineFor(ws);
    expect(engine.decidePath('.git/commondir', 'write').decision).toBe('deny');
    await sandboxed(
      ws,
      `mkdir -p fake && cp -r .git/objects .git/refs fake/ && printf '[core]\\n\\tfsmonitor = touch ${marker}\\n' > fake/config && echo ../fake > .git/commondir`,
    );
    userGit(ws, 'status');
    expect(existsSync(marker)).toBe(false);
  });

  it('the .git file of a worktree rewritten to `gitdir: ./fake`', async () => {
    const { ws, marker } = repo('worktree');
    git(ws, 'worktree', 'add', '-q', 'wt');
    const engine = await engineFor(ws);
    expect(engine.decidePath('wt/.git', 'write').decision).toBe('deny');
    await sandboxed(
      ws,
      `mkdir -p wt/fake/objects wt/fake/refs && echo 'ref: refs/heads/main' > wt/fake/HEAD && printf '[core]\\n\\tfsmonitor = touch ${marker}\\n' > wt/fake/config && echo 'gitdir: ./fake' > wt/.git`,
    );
    expect(readFileSync(join(ws, 'wt', '.git'), 'utf8')).not.toContain('./fake');
    userGit(join(ws, 'wt'), 'status');
    expect(existsSync(marker)).toBe(false);
  });

  it('git init in a workspace outside any repository works; what it plants does not survive the run', async () => {
    const ws = join(root, 'loose');
    mkdirSync(ws, { recursive: true });
    const marker = join(root, 'loose-PWNED');
    const out = await sandboxed(
      ws,
      `git init -q && git config core.fsmonitor 'touch ${marker}' && echo made`,
    );
    expect(out).toContain('made');
    expect(existsSync(join(ws, '.git', 'HEAD'))).toBe(true);
    expect(out).toContain('guard: .git/config was created by the command');
    userGit(ws, 'status');
    expect(existsSync(marker)).toBe(false);
  });

  it('git init in a workspace that sits inside a parent repository', async () => {
    const { ws: parent, marker } = repo('parent');
    const ws = join(parent, 'packages', 'app');
    mkdirSync(ws, { recursive: true });
    const engine = await engineFor(ws);
    expect(engine.decidePath('.git/config', 'write').decision).toBe('deny');
    expect(engine.decidePath('.git', 'write').decision).toBe('deny');
    await sandboxed(ws, `git init -q && git config core.fsmonitor 'touch ${marker}'`);
    expect(existsSync(join(ws, '.git', 'HEAD'))).toBe(false);
    userGit(ws, 'status');
    expect(existsSync(marker)).toBe(false);
  });

  it('the core.hooksPath folder (husky) and a nested repository deeper than three levels', async () => {
    const { ws, marker } = repo('hookspath');
    git(ws, 'config', 'core.hooksPath', '.husky/_');
    mkdirSync(join(ws, '.husky', '_'), { recursive: true });
    const deep = join(ws, 'a', 'b', 'c', 'd', 'vendored');
    mkdirSync(deep, { recursive: true });
    git(deep, 'init', '-q');
    const engine = await engineFor(ws);
    expect(engine.decidePath('.husky/_/pre-commit', 'write').decision).not.toBe('allow');
    expect(engine.decidePath('a/b/c/d/vendored/.git/config', 'write').decision).toBe('deny');
    await sandboxed(
      ws,
      [
        `printf '#!/bin/sh\\ntouch ${marker}\\n' > .husky/_/pre-commit; chmod +x .husky/_/pre-commit`,
        `printf '[core]\\n\\tfsmonitor = touch ${marker}\\n' >> a/b/c/d/vendored/.git/config`,
      ].join('\n'),
    );
    writeFileSync(join(ws, 'b.txt'), 'b\n');
    userGit(ws, 'add', 'b.txt');
    userGit(ws, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'b');
    userGit(deep, 'status');
    expect(existsSync(marker)).toBe(false);
  });

  it('a file a git config includes ([include] path) is protected like the config', async () => {
    const { ws, marker } = repo('include');
    writeFileSync(join(ws, 'team.gitconfig'), '[user]\n\tname = team\n');
    git(ws, 'config', 'include.path', '../team.gitconfig');
    const engine = await engineFor(ws);
    expect(engine.decidePath('team.gitconfig', 'write').decision).toBe('deny');
    await sandboxed(ws, `printf '[core]\\n\\tfsmonitor = touch ${marker}\\n' >> team.gitconfig`);
    userGit(ws, 'status');
    expect(existsSync(marker)).toBe(false);
  });

  it('a repository or .git file the command creates below the root cannot carry planted code', async () => {
    const { ws, marker } = repo('nested-new');
    const out = await sandboxed(
      ws,
      [
        `git init -q sub && git -C sub config core.fsmonitor 'touch ${marker}'`,
        `printf '#!/bin/sh\\ntouch ${marker}\\n' > sub/.git/hooks/pre-commit && chmod +x sub/.git/hooks/pre-commit`,
        `mkdir -p other/fake/objects other/fake/refs && echo 'ref: refs/heads/main' > other/fake/HEAD`,
        `printf '[core]\\n\\tfsmonitor = touch ${marker}\\n' > other/fake/config && echo 'gitdir: fake' > other/.git`,
        `mkdir -p deep/er && echo 'touch ${marker}' > deep/er/.envrc && mkdir -p pkg/.vscode && echo '{}' > pkg/.vscode/tasks.json`,
      ].join('\n'),
    );
    expect(out).toMatch(
      /guard: sub\/\.git\/config was created by the command \(it sets core\.fsmonitor\)/,
    );
    expect(existsSync(join(ws, 'sub', '.git', 'HEAD'))).toBe(true);
    expect(existsSync(join(ws, 'sub', '.git', 'hooks', 'pre-commit'))).toBe(false);
    expect(existsSync(join(ws, 'other', '.git'))).toBe(false);
    expect(existsSync(join(ws, 'deep', 'er', '.envrc'))).toBe(false);
    expect(existsSync(join(ws, 'pkg', '.vscode'))).toBe(false);
    userGit(join(ws, 'sub'), 'status');
    writeFileSync(join(ws, 'sub', 'f'), 'f\n');
    userGit(join(ws, 'sub'), 'add', 'f');
    userGit(
      join(ws, 'sub'),
      '-c',
      'user.email=t@example.com',
      '-c',
      'user.name=t',
      'commit',
      '-q',
      '-m',
      'f',
    );
    userGit(join(ws, 'other'), 'status');
    expect(existsSync(marker)).toBe(false);
  });

  it('ordinary git work in the sandbox still writes objects, refs and the index', async () => {
    const { ws } = repo('ordinary');
    // No placeholder files for absent dotfiles; only the app's own policy file and folder are
    // kept out while absent (the app watches them), so a command cannot plant a policy mid-run.
    const listing = await sandboxed(ws, 'ls -A | tr "\\n" " "; echo; git status --porcelain');
    expect(
      listing
        .trim()
        .split(/\r?\n/)
        .map((l) => l.trim()),
    ).toEqual(['.git .vtcode a.txt vtcode.toml', '?? .vtcode', '?? vtcode.toml']);
    const out = await sandboxed(
      ws,
      'echo more >> a.txt && git add a.txt && git -c user.email=a@b -c user.name=n commit -q -m more && git log --oneline | wc -l',
    );
    expect(out).toMatch(/\b2\b/);
  });
});
