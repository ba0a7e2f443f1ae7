import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredentials, type Credentials } from '../credentials/credentials';
import { memoryKeychain } from '../credentials/memory-keychain';
import { resolveAppPaths } from '../platform/paths';
import { RunnerService } from '../runner/runner-service';
import { trustForTests } from '../workspace/trust-testing';
import { guardedMcpFetch } from './mcp-fetch';
import type { McpManager } from './mcp-manager';
import { managerFor, testServerBlock } from './testing/manager-fixture';
import { startHttpTestServer, TEST_SERVER } from './testing/test-server-path';

/*
 * Servers a repository's vtcode.toml declares: never started in an untrusted folder, started in a
 * trusted one only after the user approved their exact line, and asked again when it changes.
 * HTTP servers: reached under the network policy, at their own origin only, with their secrets.
 */

let root: string;
let credentials: Credentials;
let runner: RunnerService;
let http: ChildProcess;
let httpPort: number;
const managers: McpManager[] = [];

const env = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: join(root, 'home'),
  VTCODE_DESKTOP_HOME: join(root, 'app'),
});

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mcp-ws-'));
  credentials = createCredentials({ env: env(), backend: memoryKeychain() });
  runner = new RunnerService({ appPaths: resolveAppPaths(env()), hostEnv: env() });
  ({ process: http, port: httpPort } = await startHttpTestServer());
}, 30_000);

afterAll(async () => {
  await Promise.all(managers.map((m) => m.dispose()));
  await runner.dispose();
  http.kill();
  await rm(root, { recursive: true, force: true });
});

async function open(ws: string, userToml = '') {
  const { manager } = await managerFor({
    env: env(),
    workspace: ws,
    userToml,
    runner,
    credentials,
  });
  managers.push(manager);
  return manager;
}

describe('a server a workspace file declares', () => {
  it('never starts in an untrusted folder, even approved', async () => {
    const ws = join(root, 'untrusted');
    await mkdir(ws, { recursive: true });
    await writeFile(join(ws, 'vtcode.toml'), testServerBlock('repo'));
    const m = await open(ws);
    const s = (await m.list()).servers[0]!;
    expect(s).toMatchObject({ name: 'repo', status: 'untrusted', tools: [] });
    await expect(m.approve('repo', s.commandLine)).rejects.toThrow(/trust this folder/);
    await expect(m.start('repo')).rejects.toThrow(/not trusted/);
    expect(m.tools().size).toBe(0);
  });

  it('waits for the exact line to be approved in a trusted folder; a changed line asks again', async () => {
    const ws = join(root, 'trusted');
    await mkdir(ws, { recursive: true });
    trustForTests(env(), ws);
    await writeFile(join(ws, 'vtcode.toml'), testServerBlock('repo'));
    const m = await open(ws);
    const s = (await m.list()).servers[0]!;
    expect(s.status).toBe('needs-approval');
    expect(s.commandLine).toContain(TEST_SERVER);
    expect(s.commandLine).toContain('network: none');
    await expect(m.approve('repo', `${s.commandLine} --evil`)).rejects.toThrow(/changed since/);
    await m.approve('repo', s.commandLine);
    expect((await m.list()).servers[0]!.status).toBe('running');
    expect(m.tools().has('mcp__repo__echo')).toBe(true);

    // Approved once: a new app run starts it without asking.
    expect((await (await open(ws)).list()).servers[0]!.status).toBe('running');

    // The repository changes the server's own script: asked again.
    await writeFile(join(ws, 'server.mjs'), `import ${JSON.stringify(TEST_SERVER)};\n`);
    const script = `[[mcp.providers]]\nname = "repo"\ncommand = ${JSON.stringify(process.execPath)}\nargs = ["server.mjs"]\n`;
    await writeFile(join(ws, 'vtcode.toml'), script);
    const own = await open(ws);
    await own.approve('repo', (await own.list()).servers[0]!.commandLine);
    expect((await own.list()).servers[0]!.status).toBe('running');
    await writeFile(join(ws, 'server.mjs'), `// changed\nimport ${JSON.stringify(TEST_SERVER)};\n`);
    expect((await (await open(ws)).list()).servers[0]!.status).toBe('needs-approval');

    // The repository changes what the server is given: asked again.
    await writeFile(join(ws, 'vtcode.toml'), testServerBlock('repo', 'network = true'));
    const again = await open(ws);
    expect((await again.list()).servers[0]!.status).toBe('needs-approval');
  }, 60_000);

  it.each([
    ['a file an option names', ['--import=./pre.mjs', 'srv.mjs'], 'pre.mjs', ''],
    [
      'what its script imports from its own folder',
      ['tools/srv/main.mjs'],
      'tools/srv/helper.mjs',
      '',
    ],
    [
      'a program found on the PATH the file sets',
      [],
      'bin/mcpsrv',
      'env = { PATH = "bin:/usr/bin:/bin" }',
    ],
  ])(
    'asks again when %s changes',
    async (_what, args, changed, extra) => {
      const ws = join(root, `code-${changed.replace(/\W/g, '-')}`);
      await mkdir(join(ws, 'tools', 'srv'), { recursive: true });
      await mkdir(join(ws, 'bin'), { recursive: true });
      for (const f of [
        'pre.mjs',
        'srv.mjs',
        'tools/srv/main.mjs',
        'tools/srv/helper.mjs',
        'bin/mcpsrv',
      ])
        await writeFile(join(ws, f), '// v1\n');
      trustForTests(env(), ws);
      const program = changed === 'bin/mcpsrv' ? 'mcpsrv' : process.execPath;
      await writeFile(
        join(ws, 'vtcode.toml'),
        `[mcp]\nenabled = true\n\n[[mcp.providers]]\nname = "repo"\ncommand = ${JSON.stringify(program)}\nargs = ${JSON.stringify(args)}\n${extra}\n`,
      );
      const first = await open(ws);
      // Approved, whether or not it then starts (these scripts are not servers).
      await first
        .approve('repo', (await first.list()).servers[0]!.commandLine)
        .catch(() => undefined);
      expect((await (await open(ws)).list()).servers[0]!.status).not.toBe('needs-approval');
      await writeFile(join(ws, changed), '// v2: something else runs now\n');
      expect((await (await open(ws)).list()).servers[0]!.status).toBe('needs-approval');
    },
    60_000,
  );

  it('a user file server needs no approval and [mcp] enabled = false turns all off', async () => {
    const ws = join(root, 'plain');
    await mkdir(ws, { recursive: true });
    const on = await open(ws, testServerBlock('mine'));
    expect((await on.list()).servers[0]!.status).toBe('running');
    const off = await open(ws, `[mcp]\nenabled = false\n\n${testServerBlock('mine')}`);
    expect(await off.list()).toMatchObject({ enabled: false, servers: [{ status: 'disabled' }] });
    await expect(off.start('mine')).rejects.toThrow(/enabled = false/);
  }, 60_000);
});

describe('an HTTP server', () => {
  const block = (extra = '') =>
    `[[mcp.providers]]\nname = "h"\nurl = "http://127.0.0.1:${httpPort}/mcp"\n${extra}`;

  it('is reached under the network policy: listed, called; refused when the host is denied', async () => {
    const ws = join(root, 'http');
    await mkdir(ws, { recursive: true });
    const m = await open(ws, block());
    expect((await m.list()).servers[0]!.status).toBe('running');
    const echo = m.tools().get('mcp__h__echo')!;
    expect(
      await echo.execute({ text: 'x' }, { signal: new AbortController().signal } as never),
    ).toEqual({
      status: 'ok',
      text: 'echo: x',
    });
    const denied = await open(
      ws,
      `[sandbox.network]\ndenylist = [{ domain = "127.0.0.1" }]\n\n${block()}`,
    );
    const s = (await denied.list()).servers[0]!;
    expect(s.status).toBe('error');
    expect(s.lastError).toMatch(/denylist/);
    // A name that resolves to a denied address is denied too (the connection uses that lookup).
    const byName = await open(
      ws,
      `[sandbox.network]\ndenylist = [{ domain = "127.0.0.1" }]\n\n[[mcp.providers]]\nname = "h"\nurl = "http://localhost:${httpPort}/mcp"\n`,
    );
    const n = (await byName.list()).servers[0]!;
    expect(n.status).toBe('error');
    expect(n.lastError).toMatch(/denylist/);
  }, 60_000);

  it('its fetch reaches only its own origin, with its secrets as headers, and no redirect', async () => {
    const seen: { url: string; headers: Headers; redirect: RequestInit['redirect'] }[] = [];
    const base = ((url: URL, init: RequestInit) => {
      seen.push({ url: String(url), headers: new Headers(init.headers), redirect: init.redirect });
      return Promise.resolve(new Response('ok'));
    }) as unknown as typeof fetch;
    const { loadConfig, configFiles } = await import('../config/config-loader');
    const { config } = await loadConfig(configFiles({ workspace: root, env: env() }));
    const f = guardedMcpFetch(
      'https://mcp.example.com/mcp',
      () => config,
      base,
      () => Promise.resolve({ X_API_KEY: 'secret-value-123456' }),
    );
    await f('https://mcp.example.com/mcp', { method: 'POST' });
    expect(seen[0]).toMatchObject({ url: 'https://mcp.example.com/mcp', redirect: 'error' });
    expect(seen[0]!.headers.get('x-api-key')).toBe('secret-value-123456');
    await expect(f('https://other.example.com/mcp')).rejects.toThrow(
      /may only reach https:\/\/mcp.example.com/,
    );
    await expect(f('http://mcp.example.com/mcp')).rejects.toThrow(/may only reach/);
    expect(seen).toHaveLength(1);
  });
});
