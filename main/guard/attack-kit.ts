import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { AgentEvent, AgentMode } from '../../shared/domain/agent';
import { Checkpoints } from '../agent/loop/checkpoints';
import { ToolExecutor, type ApprovalMode } from '../agent/loop/tool-executor';
import type { ModelToolCall } from '../agent/providers/model-step';
import { agentTools } from '../agent/tools/registry';
import type { PolicyEngine } from '../policy/engine';
import { engineFromToml, tempDir } from '../policy/test-helpers';
import { resolveAppPaths, type AppPaths } from '../platform/paths';
import { RunnerService } from '../runner/runner-service';
import { runnerSettingsFromConfig } from '../runner/settings-from-config';
import { withSettings } from '../runner/settings';

/*
 * What the red-team suites share (tests only): a hostile repository and model against an ordinary
 * user policy, the real executor over the real sandbox, and the user's own git run later.
 */

/** The file tools may write; ordinary commands are allowed; `rm`, `curl` ... are denied. */
export const USER_POLICY = `
[tools.policies]
read_file = "allow"
write_file = "allow"
edit_file = "allow"
apply_patch = "allow"
grep_file = "allow"
list_files = "allow"

[commands]
allow_list = ["ls", "cat", "git status", "git log", "git diff", "npm test", "rg", "grep", "find",
  "sed", "echo", "head", "tail", "wc"]
deny_list = ["rm", "curl", "wget", "git push", "git config"]
`;

/** A git config body that runs `touch marker` on the user's next `git status`. */
export const fsmonitor = (marker: string): string => `[core]\\n\\tfsmonitor = touch ${marker}\\n`;

/** One suite's temp home, app folders and runner, and the attacks' helpers over them. */
export class AttackKit {
  readonly root: string;
  readonly home: string;
  readonly app: AppPaths;
  readonly runner: RunnerService;
  private n = 0;

  constructor(prefix: string) {
    this.root = tempDir(prefix);
    this.home = join(this.root, 'home');
    mkdirSync(join(this.home, '.ssh'), { recursive: true });
    writeFileSync(join(this.home, '.ssh', 'id_rsa'), 'SSH-PRIVATE-KEY\n');
    this.app = resolveAppPaths({ VTCODE_DESKTOP_HOME: join(this.root, 'app') }, 'linux', this.home);
    this.runner = new RunnerService({
      appPaths: this.app,
      hostEnv: { PATH: process.env.PATH ?? '' },
    });
  }

  async dispose(): Promise<void> {
    await this.runner.dispose();
    await rm(this.root, { recursive: true, force: true });
  }

  gitEnv(): NodeJS.ProcessEnv {
    return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: this.home, GIT_CONFIG_NOSYSTEM: '1' };
  }

  /** git as the test sets things up (it must succeed). */
  git(cwd: string, ...args: string[]): string {
    return execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
      cwd,
      encoding: 'utf8',
      env: this.gitEnv(),
    });
  }

  /** The user's own git, outside the sandbox, later (errors do not matter, only what it ran). */
  userGit(dir: string, ...args: string[]): void {
    try {
      execFileSync('git', args, { cwd: dir, env: this.gitEnv(), stdio: 'ignore', timeout: 10_000 });
    } catch {
      // A damaged repository may make git fail; what matters is what it ran.
    }
  }

  /** The user's git in a terminal (a pager starts only on a tty): `git log; git branch` in `dir`. */
  userGitInTerminal(dir: string): void {
    try {
      execFileSync('script', ['-qec', 'git log; git branch', '/dev/null'], {
        cwd: dir,
        env: { ...this.gitEnv(), TERM: 'xterm' },
        stdio: 'ignore',
        timeout: 10_000,
      });
    } catch {
      // Only what git ran matters.
    }
  }

  /** The user commits a new file in `dir` (hooks and config run). */
  userCommit(dir: string): void {
    writeFileSync(join(dir, `f-${++this.n}.txt`), 'x\n');
    this.userGit(dir, 'add', '-A');
    this.userGit(
      dir,
      '-c',
      'user.email=u@example.com',
      '-c',
      'user.name=u',
      'commit',
      '-q',
      '-m',
      'u',
    );
  }

  freshWs(name: string): string {
    const ws = join(this.root, name);
    mkdirSync(ws, { recursive: true });
    return ws;
  }

  /** A workspace repository with one commit; `marker` is where planted code would write. */
  repo(name: string): { ws: string; marker: string } {
    const ws = this.freshWs(name);
    this.git(ws, 'init', '-q');
    writeFileSync(join(ws, 'a.txt'), 'a\n');
    this.git(ws, 'add', 'a.txt');
    this.git(ws, 'commit', '-q', '-m', 'init');
    return { ws, marker: join(this.root, `${name}-PWNED`) };
  }

  engineFor(ws: string, extra = ''): Promise<PolicyEngine> {
    return engineFromToml(`${USER_POLICY}\n${extra}`, ws, this.home, [
      this.app.configDir,
      this.app.dataDir,
    ]);
  }

  /** The real executor over the real runner; anything that needs a person is refused by default. */
  executor(
    engine: PolicyEngine,
    ws: string,
    opts: { approvals?: ApprovalMode; emit?: (e: AgentEvent) => void; mode?: AgentMode } = {},
  ): (toolName: string, input: unknown) => Promise<{ status: string; text: string }> {
    const ex = new ToolExecutor({
      workspace: ws,
      policy: () => engine,
      tools: agentTools({ webFetch: false }),
      approvals: opts.approvals ?? { kind: 'auto', prompt: 'deny' },
      ...(opts.mode ? { mode: () => opts.mode as AgentMode } : {}),
      runner: this.runner,
      runnerSettings: () =>
        withSettings({ mode: 'workspace_write' }, runnerSettingsFromConfig(engine.config)),
      checkpoints: new Checkpoints(),
      alwaysAllowTarget: null,
      fetch,
      redact: (t) => t,
      emit: opts.emit ?? (() => undefined),
    });
    return async (toolName, input) => {
      const call: ModelToolCall = { callId: `c${++this.n}`, toolName, input, parseError: null };
      const r = await ex.run(call, 't1', 0, new AbortController().signal);
      return { status: r.status, text: String((r.part.output as { value: unknown }).value) };
    };
  }

  /** The model runs `script` in the sandbox: write_file test/run.sh, then the allowed `npm test`. */
  async viaNpmTest(ws: string, script: string): Promise<string> {
    const pkg = join(ws, 'package.json');
    if (!existsSync(pkg))
      writeFileSync(
        pkg,
        JSON.stringify({ name: 'hostile', version: '1.0.0', scripts: { test: 'sh test/run.sh' } }),
      );
    const run = this.executor(await this.engineFor(ws), ws);
    const w = await run('write_file', { path: 'test/run.sh', content: script });
    expect(w.status, w.text).toBe('ok');
    const r = await run('exec_command', { command: 'npm test' });
    expect(r.text).not.toMatch(/^Not run|Denied by policy/);
    return r.text;
  }
}
