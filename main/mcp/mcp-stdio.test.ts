import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpList } from '../../shared/domain/mcp';
import { createCredentials, type Credentials } from '../credentials/credentials';
import { memoryKeychain } from '../credentials/memory-keychain';
import { resolveAppPaths } from '../platform/paths';
import { RunnerService } from '../runner/runner-service';
import { trustForTests } from '../workspace/trust-testing';
import type { McpManager } from './mcp-manager';
import { managerFor, testServerBlock } from './testing/manager-fixture';

/*
 * A real MCP server (built on the SDK) run by the manager inside the real sandbox: its tools are
 * listed; it cannot write outside the folders its config names, nor reach a host, unless its
 * config gives it the network, and then only the hosts the network policy allows.
 */

let root: string;
let ws: string;
let allowed: Server;
let other: Server;
let allowedPort: number;
let otherPort: number;
let credentials: Credentials;
let runner: RunnerService;
const managers: McpManager[] = [];

const env = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: join(root, 'home'),
  VTCODE_DESKTOP_HOME: join(root, 'app'),
});

async function listen(server: Server): Promise<number> {
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port)),
  );
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mcp-stdio-'));
  ws = join(root, 'ws');
  await mkdir(join(ws, 'out'), { recursive: true });
  trustForTests(env(), ws);
  allowed = createServer((_req, res) => res.end('hello from the allowed host'));
  other = createServer((_req, res) => res.end('hello from another host'));
  allowedPort = await listen(allowed);
  otherPort = await listen(other);
  credentials = createCredentials({ env: env(), backend: memoryKeychain() });
  runner = new RunnerService({ appPaths: resolveAppPaths(env()), hostEnv: env() });
}, 30_000);

afterAll(async () => {
  await Promise.all(managers.map((m) => m.dispose()));
  await runner.dispose();
  allowed.close();
  other.close();
  await rm(root, { recursive: true, force: true });
});

const server = testServerBlock;

/** A manager over a user file with `servers`, its servers started. */
async function managerWith(servers: string): Promise<{ m: McpManager; lists: McpList[] }> {
  const { manager, lists } = await managerFor({
    env: env(),
    workspace: ws,
    userToml: `[sandbox.network]\npolicy = "allowlist_only"\nallowlist = [{ domain = "127.0.0.1", port = ${allowedPort} }]\n\n${servers}`,
    runner,
    credentials,
  });
  managers.push(manager);
  return { m: manager, lists };
}

async function call(m: McpManager, name: string, args: Record<string, unknown>) {
  const tool = m.tools().get(name);
  if (!tool) throw new Error(`no tool ${name}: ${[...m.tools().keys()].join(', ')}`);
  return tool.execute(args, { signal: new AbortController().signal } as never);
}

describe('a stdio MCP server in the sandbox', () => {
  it('starts, and its tools are listed under mcp__server__tool', async () => {
    const { m } = await managerWith(server('t'));
    const list = await m.list();
    expect(list.servers[0]).toMatchObject({ name: 't', status: 'running', transport: 'stdio' });
    expect([...m.tools().keys()]).toEqual(
      expect.arrayContaining(['mcp__t__echo', 'mcp__t__add', 'mcp__t__write_file']),
    );
    expect(list.servers[0]!.tools.find((t) => t.tool === 'echo')?.decision).toBe('prompt');
    expect(await call(m, 'mcp__t__echo', { text: 'hi' })).toEqual({
      status: 'ok',
      text: 'echo: hi',
    });
  }, 60_000);

  it('cannot write outside its writable folders (by default: anywhere)', async () => {
    const { m } = await managerWith(server('ro') + server('rw', 'writable = ["out"]'));
    const outside = join(root, 'outside.txt');
    const inside = join(ws, 'inside.txt');
    for (const [tool, path] of [
      ['mcp__ro__write_file', outside],
      ['mcp__ro__write_file', inside],
      ['mcp__rw__write_file', outside],
      ['mcp__rw__write_file', inside],
    ] as const) {
      const out = await call(m, tool, { path, content: 'x' });
      expect(out.status, `${tool} ${path}`).toBe('error');
      expect(existsSync(path)).toBe(false);
    }
    const ok = await call(m, 'mcp__rw__write_file', {
      path: join(ws, 'out', 'f.txt'),
      content: 'ok',
    });
    expect(ok.status).toBe('ok');
    expect(await readFile(join(ws, 'out', 'f.txt'), 'utf8')).toBe('ok');
  }, 60_000);

  it('has no network unless its config gives it, then only what the network policy allows', async () => {
    const { m } = await managerWith(server('offline') + server('online', 'network = true'));
    const allowedUrl = `http://127.0.0.1:${allowedPort}/`;
    const otherUrl = `http://127.0.0.1:${otherPort}/`;
    expect((await call(m, 'mcp__offline__fetch_url', { url: allowedUrl })).status).toBe('error');
    const online = await call(m, 'mcp__online__fetch_url', { url: allowedUrl });
    expect(online).toMatchObject({ status: 'ok' });
    expect(online.text).toContain('hello from the allowed host');
    const refused = await call(m, 'mcp__online__fetch_url', { url: otherUrl });
    expect(refused.text).not.toContain('hello from another host');
    expect(refused.text).toMatch(/status 403|could not fetch/);
  }, 60_000);

  it('is not given secret-looking variables from its file, and its log says which', async () => {
    const { m } = await managerWith(
      server('envy', 'env = { GITHUB_TOKEN = "ghp_x", PLAIN = "ok" }'),
    );
    expect((await call(m, 'mcp__envy__read_env', { name: 'GITHUB_TOKEN' })).text).toBe('(unset)');
    expect((await call(m, 'mcp__envy__read_env', { name: 'PLAIN' })).text).toBe('ok');
    expect(m.stderr('envy').join('\n')).toMatch(/not passed to the server .*: GITHUB_TOKEN$/m);
  }, 60_000);

  it('gets its keychain secrets, and no other server does', async () => {
    const paths = resolveAppPaths(env());
    const file = join(paths.configDir, 'vtcode.toml');
    await credentials.mcpSecrets.set(
      { name: 'sec', file },
      'SERVICE_KEY',
      'mcp-secret-value-0123456789',
    );
    const { m } = await managerWith(server('sec') + server('nosec'));
    expect((await m.list()).servers.find((s) => s.name === 'sec')?.secrets).toEqual([
      'SERVICE_KEY',
    ]);
    expect((await call(m, 'mcp__sec__read_env', { name: 'SERVICE_KEY' })).text).toBe(
      'mcp-secret-value-0123456789',
    );
    expect((await call(m, 'mcp__nosec__read_env', { name: 'SERVICE_KEY' })).text).toBe('(unset)');
  }, 60_000);

  it('cannot read a secret file created or replaced after it started', async () => {
    const { m } = await managerWith(server('reader'));
    const read = async (name: string) =>
      (await call(m, 'mcp__reader__read_file', { path: join(ws, name) })).text;
    await writeFile(join(ws, '.env.local'), 'CREATED_AFTER=secret-1\n');
    expect(await read('.env.local')).not.toContain('secret-1');
    await writeFile(join(ws, '.env.next'), 'REPLACED=secret-2\n');
    await rename(join(ws, '.env.next'), join(ws, '.env.local'));
    expect(await read('.env.local')).not.toContain('secret-2');
    expect(m.stderr('reader').join('\n')).toMatch(/started again: what it must not read changed/);
    // An ordinary file is still read as ever.
    await writeFile(join(ws, 'notes.txt'), 'plain');
    expect(await read('notes.txt')).toBe('plain');
  }, 60_000);

  it('refreshes its tools when the server announces a change', async () => {
    const { m } = await managerWith(server('dyn'));
    expect(m.tools().has('mcp__dyn__late')).toBe(false);
    await call(m, 'mcp__dyn__add_tool', {});
    for (let i = 0; i < 100 && !m.tools().has('mcp__dyn__late'); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect((await call(m, 'mcp__dyn__late', {})).text).toBe('late tool ran');
  }, 60_000);

  it('says why a server did not start, with what it wrote to stderr', async () => {
    const { m } = await managerWith(
      `[[mcp.providers]]\nname = "broken"\ncommand = ${JSON.stringify(process.execPath)}\nargs = ["-e", "console.error('no config found'); process.exit(3)"]\n`,
    );
    const s = (await m.list()).servers[0]!;
    expect(s.status).toBe('error');
    expect(s.lastError).toMatch(/could not start/);
    expect(m.stderr('broken').join('\n')).toContain('no config found');
  }, 60_000);
});
