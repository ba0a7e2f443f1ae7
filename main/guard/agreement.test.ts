import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PathDecision } from '../../shared/domain/policy';
import type { PolicyEngine } from '../policy/engine';
import { engineFromToml, tempDir } from '../policy/test-helpers';
import { resolveAppPaths, type AppPaths } from '../platform/paths';
import { RunnerService } from '../runner/runner-service';
import { runnerSettingsFromConfig } from '../runner/settings-from-config';
import { withSettings } from '../runner/settings';

/*
 * The table test of the one protection model: for every generated path, the file tools' decision
 * (the policy engine) and what the real sandbox lets a command do agree. Both are derived from the
 * same config; if either layer kept its own list, a row here would split.
 */

let root: string;
let ws: string;
let home: string;
let app: AppPaths;
let engine: PolicyEngine;
let runner: RunnerService;

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, GIT_CONFIG_NOSYSTEM: '1' },
  });

function put(path: string, text = 'original\n'): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

beforeAll(async () => {
  root = tempDir('guard-agree-');
  ws = join(root, 'ws');
  home = join(root, 'home');
  app = resolveAppPaths({ VTCODE_DESKTOP_HOME: join(root, 'app') }, 'linux', home);
  mkdirSync(ws, { recursive: true });
  // The user's credentials, in the places the one sensitive list names.
  for (const rel of [
    '.ssh/id_rsa',
    '.aws/credentials',
    '.npmrc',
    '.pypirc',
    '.config/gh/hosts.yml',
    '.cargo/credentials.toml',
    '.password-store/bank.gpg',
    '.vtcode/key',
    '.config/vtcode/key',
    '.docker/config.json',
    '.git-credentials',
  ])
    put(join(home, rel), `SECRET ${rel}\n`);
  put(join(home, 'notes.txt'));
  put(join(home, '.cargo', 'config.toml'));
  put(join(home, 'code', 'other-project', '.env'), 'OTHER=secret\n');
  put(join(app.configDir, 'settings.json'), 'APP-SECRET\n');
  put(join(app.dataDir, 'session-seal.key'), 'APP-SECRET\n');
  put(join(root, 'outside', 'secret.txt'));
  // A workspace with a real repository, a worktree, a deep nested repository and a hooks folder.
  put(join(ws, 'src', 'a.ts'));
  git(ws, 'init', '-q');
  git(ws, 'config', 'core.hooksPath', 'tools/hooks');
  git(ws, 'commit', '-q', '--allow-empty', '-m', 'init');
  git(ws, 'worktree', 'add', '-q', 'wt');
  mkdirSync(join(ws, 'a', 'b', 'c', 'd', 'e'), { recursive: true });
  git(join(ws, 'a', 'b', 'c', 'd', 'e'), 'init', '-q');
  put(join(ws, 'tools', 'hooks', 'pre-commit'));
  put(join(ws, '.husky', 'pre-commit'));
  put(join(ws, '.vscode', 'tasks.json'));
  put(join(ws, '.claude', 'settings.json'));
  put(join(ws, 'sub', '.envrc'));
  put(join(ws, 'VTCODE.TOML'));
  put(join(ws, '.env'), 'TOKEN=workspace-secret\n');
  put(join(ws, '.env.example'), 'TOKEN=\n');
  symlinkSync(join(home, '.ssh'), join(ws, 'keys'));
  symlinkSync(join(root, 'outside'), join(ws, 'link-out'));
  symlinkSync(join(ws, 'src'), join(ws, 'lib'));
  const toml = '[tools.policies]\nread_file = "allow"\nwrite_file = "allow"\n';
  engine = await engineFromToml(toml, ws, home, [app.configDir, app.dataDir]);
  runner = new RunnerService({ appPaths: app, hostEnv: { PATH: process.env.PATH ?? '' } });
});

afterAll(async () => {
  await runner.dispose();
  await rm(root, { recursive: true, force: true });
});

/** Run one script in the real sandbox (workspace_write, the engine's own config) and return its output. */
async function sandboxed(script: string): Promise<string> {
  const settings = withSettings(
    { mode: 'workspace_write' },
    runnerSettingsFromConfig(engine.config),
  );
  const runId = await runner.start({ request: { command: script }, workspace: ws, settings });
  const result = await runner.wait(runId);
  return result.text;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'"'"'`)}'`;

/** Paths to write, with whether the file tools may write them without asking. */
const WRITES: readonly (readonly [string, boolean])[] = [
  ['src/a.ts', true],
  ['src/new.ts', true],
  ['lib/via-link.ts', true],
  ['.env', false],
  ['.env.new', true],
  ['.git/description', true],
  ['.git/objects/guard-test', true],
  ['.git/config', false],
  ['.git/hooks/pre-commit', false],
  ['.git/commondir', false],
  ['.git/config.worktree', false],
  ['.git/worktrees/wt/commondir', false],
  ['.git/worktrees/wt/gitdir', false],
  ['wt/.git', false],
  ['a/b/c/d/e/.git/config', false],
  ['a/b/c/d/e/.git/hooks/post-checkout', false],
  ['tools/hooks/pre-commit', false],
  ['tools/hooks/pre-push', false],
  ['.husky/pre-commit', false],
  ['.vscode/tasks.json', false],
  ['.vscode/settings.json', false],
  ['.claude/settings.json', false],
  ['.claude/settings.local.json', false],
  ['.cursor/hooks.json', false],
  ['.gemini/settings.json', false],
  ['.devcontainer/devcontainer.json', false],
  ['.pre-commit-config.yaml', false],
  ['sub/.envrc', false],
  ['src/.envrc', false],
  ['a/.git', false],
  ['src/.pre-commit-config.yaml', false],
  ['.envrc', false],
  ['.bashrc', false],
  ['vtcode.toml', false],
  ['.vtcode/evil', false],
  ['VTCODE.TOML', false],
  ['keys/id_rsa', false],
  ['link-out/secret.txt', false],
  ['../outside/new.txt', false],
];

/** Paths to read, with whether they are sensitive (file tools refuse or ask; the sandbox hides them). */
const READS: readonly (readonly [string, boolean])[] = [
  ['src/a.ts', false],
  ['.env.example', false],
  ['.env', true],
  ['keys/id_rsa', true],
  ['~/.ssh/id_rsa', true],
  ['~/.aws/credentials', true],
  ['~/.npmrc', true],
  ['~/.pypirc', true],
  ['~/.config/gh/hosts.yml', true],
  ['~/.cargo/credentials.toml', true],
  ['~/.password-store/bank.gpg', true],
  ['~/.vtcode/key', true],
  ['~/.config/vtcode/key', true],
  ['~/.docker/config.json', true],
  ['~/.git-credentials', true],
  ['~/.cargo/config.toml', false],
];

const abs = (p: string): string => (p.startsWith('~/') ? join(home, p.slice(2)) : join(ws, p));

describe('the file tools and the real sandbox agree on every path', () => {
  it('writes: allowed for tools exactly where a sandboxed command can write', async () => {
    const decisions = new Map<string, PathDecision>();
    for (const [path] of WRITES) decisions.set(path, engine.decidePath(path, 'write'));
    const script = WRITES.map(
      ([path]) =>
        `if (printf 'PWNED' >> ${quote(abs(path))}) 2>/dev/null; then echo "W:ok:${path}"; else echo "W:no:${path}"; fi`,
    ).join('\n');
    await sandboxed(script);
    // Judged on the host, by what landed: a write the sandbox swallowed (a tmpfs over a denied
    // folder) changed nothing real.
    const landed = (path: string): boolean => {
      try {
        return readFileSync(abs(path), 'utf8').includes('PWNED');
      } catch {
        return false;
      }
    };
    const rows = WRITES.map(([path, expected]) => {
      const tool = decisions.get(path)?.decision === 'allow';
      return { path, expected, tool, sandbox: landed(path) };
    });
    const split = rows.filter((r) => r.tool !== r.sandbox || r.tool !== r.expected);
    expect(split).toEqual([]);
    // What the model could not write is untouched.
    expect(readFileSync(join(ws, '.git', 'config'), 'utf8')).not.toContain('PWNED');
  });

  it('reads: sensitive for tools exactly where the sandbox hides the file', async () => {
    const script = READS.map(
      ([path]) =>
        `if grep -q . ${quote(abs(path))} 2>/dev/null; then echo "R:ok:${path}"; else echo "R:no:${path}"; fi`,
    ).join('\n');
    const out = await sandboxed(script);
    const rows = READS.map(([path, expected]) => {
      const d = engine.decidePath(path, 'read');
      const sensitive = d.rule?.kind === 'sensitive_path';
      const hidden = !out.split(/\r?\n/).includes(`R:ok:${path}`);
      return { path, expected, sensitive, hidden, decision: d.decision };
    });
    const split = rows.filter((r) => r.sensitive !== r.hidden || r.sensitive !== r.expected);
    expect(split).toEqual([]);
    // Sensitive reads are never silently allowed to the tools either.
    for (const r of rows) if (r.expected) expect(r.decision).not.toBe('allow');
  });

  it('the rest of the home folder (notes, other projects) is hidden from commands, and outside for tools', async () => {
    const others = ['~/notes.txt', '~/code/other-project/.env'];
    const out = await sandboxed(
      others.map((p) => `grep -q . ${quote(abs(p))} 2>/dev/null && echo "R:ok:${p}"`).join('\n'),
    );
    for (const p of others) {
      expect(out).not.toContain(`R:ok:${p}`);
      expect(engine.decidePath(p, 'read').decision).toBe('deny');
    }
  });

  it("compares the app's own names case-insensitively for the tools", () => {
    for (const path of [
      'VTCODE.TOML',
      'VtCode.Toml',
      '.VTCODE/x',
      '.Vtcode/sessions/s/events.jsonl',
    ])
      expect(engine.decidePath(path, 'write').decision).toBe('deny');
  });
});
