import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenList, TokenTestResult } from '../../../shared/domain/tokens';
import { createServices, type Services } from '../../core/services';
import { createCredentials } from '../../credentials/credentials';
import type { KeychainBackend } from '../../credentials/keychain';
import { memoryKeychain } from '../../credentials/memory-keychain';
import { tokenBindingsPath } from '../../credentials/token-bindings';
import { createLogger } from '../../log/logger';
import { resolveAppPaths, type AppPaths } from '../../platform/paths';
import { trustForTests } from '../../workspace/trust-testing';
import { createRouter, newClientState, type BridgeClient, type Router } from '../router';
import { createHandlers } from './index';

const TOKEN = 'npm_ipcTokenNeverBack0123456789abcdLMNO';

let root: string;
let workspace: string;
let paths: AppPaths;
let keychain: KeychainBackend;
let services: Services;
let router: Router;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tokens-ipc-'));
  workspace = join(root, 'home', 'project');
  await mkdir(workspace, { recursive: true });
  const env = {
    HOME: join(root, 'home'),
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    VTCODE_DESKTOP_HOME: join(root, 'app'),
  };
  trustForTests(env, workspace);
  // A workspace file cannot bind a token, whatever it writes.
  await writeFile(
    join(workspace, 'vtcode.toml'),
    '[[tokens]]\nname = "npm"\nenv_var = "NPM_TOKEN"\nhosts = ["evil.example"]\n',
  );
  await writeFile(
    join(workspace, 'token-bindings.json'),
    JSON.stringify({
      version: 1,
      tokens: { npm: { envVar: 'NPM_TOKEN', hosts: ['evil.example'], savedAt: 'x' } },
    }),
  );
  paths = resolveAppPaths(env, 'linux');
  keychain = memoryKeychain();
  const logger = createLogger({ level: 'error' });
  services = createServices({
    paths,
    logger,
    env,
    host: { kind: 'browser', electronVersion: null },
    credentials: createCredentials({ env, backend: keychain }),
  });
  router = createRouter(createHandlers(services), logger);
});

afterAll(async () => {
  await services.close();
  await rm(root, { recursive: true, force: true });
});

function client(id: string): BridgeClient {
  return { id, state: newClientState(), emit: () => undefined };
}

async function ok<T>(c: BridgeClient, channel: string, payload: unknown): Promise<T> {
  const result = await router.dispatch(channel, payload, c);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

const good = { name: 'npm', envVar: 'NPM_TOKEN', hosts: ['registry.npmjs.org'], value: TOKEN };

describe('tokens channels', () => {
  it('set a token, list it masked, delete it; the token never comes back', async () => {
    const c = client('t');
    const set = await ok(c, 'tokens:set', { ...good, testPath: '/-/whoami' });
    expect(set).toMatchObject({ name: 'npm', envVar: 'NPM_TOKEN', hint: '…LMNO', replaced: false });
    const list = await ok<TokenList>(c, 'tokens:list', {});
    expect(list.tokens).toEqual([
      {
        name: 'npm',
        envVar: 'NPM_TOKEN',
        hosts: ['registry.npmjs.org'],
        testPath: '/-/whoami',
        hint: '…LMNO',
        savedAt: expect.any(String) as string,
      },
    ]);
    expect(JSON.stringify([set, list])).not.toContain(TOKEN);
    // Bound in the app's data folder, never from the workspace's files.
    expect(await readFile(tokenBindingsPath(paths.dataDir), 'utf8')).toContain(
      'registry.npmjs.org',
    );
    expect(JSON.stringify(list)).not.toContain('evil.example');
    expect(await ok(c, 'tokens:delete', { name: 'npm' })).toEqual({ name: 'npm', removed: true });
    expect((await ok<TokenList>(c, 'tokens:list', {})).tokens).toEqual([]);
  });

  it.each<[string, string, unknown]>([
    ['set', 'tokens:set', {}],
    ['set', 'tokens:set', { ...good, name: 'NPM' }],
    ['set', 'tokens:set', { ...good, envVar: 'PATH' }],
    ['set', 'tokens:set', { ...good, envVar: 'HTTPS_PROXY' }],
    ['set', 'tokens:set', { ...good, hosts: [] }],
    ['set', 'tokens:set', { ...good, hosts: ['*'] }],
    ['set', 'tokens:set', { ...good, hosts: 'registry.npmjs.org' }],
    ['set', 'tokens:set', { ...good, hosts: ['https://registry.npmjs.org/'] }],
    [
      'set',
      'tokens:set',
      { ...good, hosts: Array.from({ length: 21 }, (_, i) => `h${i}.example.com`) },
    ],
    ['set', 'tokens:set', { ...good, value: 42 }],
    ['set', 'tokens:set', { ...good, value: 'x'.repeat(9000) }],
    ['set', 'tokens:set', { ...good, value: 'short' }],
    ['set', 'tokens:set', { ...good, value: `Bearer ${TOKEN}` }],
    ['set', 'tokens:set', { ...good, testPath: 'whoami' }],
    ['set', 'tokens:set', { ...good, extra: true }],
    ['set', 'tokens:set', null],
    ['delete', 'tokens:delete', {}],
    ['delete', 'tokens:delete', { name: '../etc' }],
    ['delete', 'tokens:delete', { name: 'npm', extra: 1 }],
    ['test', 'tokens:test', { name: 7 }],
    ['test', 'tokens:test', { name: 'a b' }],
    ['list', 'tokens:list', { all: true }],
  ])(
    'refuses a malformed %s request with a clear error, never echoing a token',
    async (_k, channel, payload) => {
      const result = await router.dispatch(channel, payload, client('bad'));
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('invalid-argument');
        expect(result.error.message.length).toBeGreaterThan(0);
      }
      expect(JSON.stringify(result)).not.toContain(TOKEN);
      expect(await keychain.findAll()).toEqual([]);
    },
  );

  it('test: says what is missing, and what the network policy would need', async () => {
    const c = client('tt');
    expect(await ok<TokenTestResult>(c, 'tokens:test', { name: 'nothing' })).toMatchObject({
      outcome: 'no-token',
    });
    await ok(c, 'tokens:set', good);
    expect(await ok<TokenTestResult>(c, 'tokens:test', { name: 'npm' })).toMatchObject({
      outcome: 'unavailable',
      message: expect.stringContaining('Open a workspace') as string,
    });
    await ok(c, 'workspace:open', { path: workspace });
    // The default network policy is block_all: nothing is requested, and the answer says why.
    const blocked = await ok<TokenTestResult>(c, 'tokens:test', { name: 'npm' });
    expect(blocked).toMatchObject({ outcome: 'blocked', httpStatus: null });
    expect(blocked.message).toContain('domain = "registry.npmjs.org", port = 443');
    expect(JSON.stringify(blocked)).not.toContain(TOKEN);
    await ok(c, 'tokens:delete', { name: 'npm' });
  });
});
