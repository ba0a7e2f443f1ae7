import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  credentialListSchema,
  deleteKeyResultSchema,
  setKeyResultSchema,
} from '../../shared/domain/credentials';
import { createLogger } from '../log/logger';
import { resolveAppPaths } from '../platform/paths';
import { createCredentials, type Credentials } from './credentials';
import { CredentialError } from './errors';
import { createKeytarBackend } from './keytar-backend';

/*
 * Integration tests against a real Secret Service. Run them under a private session bus:
 *   dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run main/credentials main/cli/commands/keys.test.ts'
 * Keys go under a test-only service name, so a real user's keys are never read or touched.
 */
const HAS_BUS = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);
if (!HAS_BUS) {
  console.warn(
    'SKIPPED keychain integration tests: DBUS_SESSION_BUS_ADDRESS is unset (no D-Bus session bus). Run them under dbus-run-session with gnome-keyring, see the comment in this file.',
  );
}

const run = promisify(execFile);
const SERVICE = `vtcode-desktop-test-store-${process.pid}-${Date.now()}`;
// Requests to each provider's own URL, as the agent makes them.
const ANTHROPIC = { baseUrl: 'https://api.anthropic.com/v1', catalog: {} };
const XAI = { baseUrl: 'https://api.x.ai/v1', catalog: {} };

async function secretToolLookup(account: string): Promise<string | null> {
  try {
    const { stdout } = await run('secret-tool', ['lookup', 'service', SERVICE, 'account', account]);
    return stdout;
  } catch {
    return null; // exit status 1: no such item
  }
}

async function secretToolAccounts(): Promise<string[]> {
  const { stdout, stderr } = await run('secret-tool', ['search', '--all', 'service', SERVICE]);
  return [...`${stdout}\n${stderr}`.matchAll(/attribute\.account = (.+)/g)].map((m) =>
    (m[1] ?? '').trim(),
  );
}

async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path)).includes(needle)) hits.push(path);
  }
  return hits;
}

describe.skipIf(!HAS_BUS)('CredentialStore on a real gnome-keyring', () => {
  let home: string;
  let credentials: Credentials;
  let logFile: string;
  const env: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'vtcode-keys-'));
    env.HOME = home;
    env.VTCODE_DESKTOP_HOME = join(home, 'app');
    const paths = resolveAppPaths(env);
    logFile = join(paths.logDir, 'main.log');
    const logger = createLogger({ file: logFile, level: 'debug' });
    credentials = createCredentials({
      env,
      logger,
      backend: createKeytarBackend({ service: SERVICE, timeoutMs: 5000 }),
    });
  });

  afterAll(async () => {
    for (const account of await secretToolAccounts()) {
      await run('secret-tool', ['clear', 'service', SERVICE, 'account', account]);
    }
    await rm(home, { recursive: true, force: true });
  });

  it('set, list, replace and delete round-trip through the keyring', async () => {
    const { store } = credentials;
    const first = 'sk-proj-first0123456789abcdefWXYZ';
    const second = 'sk-proj-second0123456789abcdef9876';

    const set = await store.set('openai', `  ${first}\n`);
    expect(set).toEqual({
      provider: 'openai',
      storage: 'keychain',
      hint: '…WXYZ',
      baseUrl: 'https://api.openai.com/v1',
      replaced: false,
      warnings: [],
    });
    expect(await secretToolLookup('openai')).toBe(first);
    expect(setKeyResultSchema.parse(set)).toEqual(set);

    let list = await store.list();
    // What the bridge will send is exactly what the shared schemas describe.
    expect(credentialListSchema.parse(list)).toEqual(list);
    expect(list.keychain).toEqual({ available: true });
    expect(list.providers.find((p) => p.provider === 'openai')).toMatchObject({
      status: 'stored',
      storage: 'keychain',
      hint: '…WXYZ',
      canImport: false,
    });
    expect(JSON.stringify(list)).not.toContain(first);

    const replaced = await store.set('OpenAI', second);
    expect(replaced).toMatchObject({ replaced: true, hint: '…9876' });
    expect(await secretToolLookup('openai')).toBe(second);
    expect((await secretToolAccounts()).filter((a) => a === 'openai')).toHaveLength(1);

    const deleted = await store.delete('openai');
    expect(deleteKeyResultSchema.parse(deleted)).toEqual({
      provider: 'openai',
      removedFrom: ['keychain'],
    });
    expect(await secretToolLookup('openai')).toBeNull();
    expect(await store.delete('openai')).toEqual({ provider: 'openai', removedFrom: [] });
    list = await store.list();
    expect(list.providers.find((p) => p.provider === 'openai')).toMatchObject({
      status: 'missing',
      hint: null,
    });

    // Neither key is in any file under the app's config, data and log dirs, or the temp home,
    // although the log saw both keys inside error messages.
    const logger = createLogger({ file: logFile });
    logger.addRedactor(credentials.redactor.redact);
    logger.error('provider said', { error: new Error(`bad key ${first} / ${second}`) });
    expect(await readFile(logFile, 'utf8')).toContain('[REDACTED]');
    for (const key of [first, second]) {
      expect(await filesContaining(home, key)).toEqual([]);
      expect(await filesContaining(home, key.slice(-12))).toEqual([]);
    }
  });

  it('uses the keychain first, then the environment, and imports on request', async () => {
    const { store, keys } = credentials;
    const envKey = 'sk-ant-api03-fromenv0123456789abcdEnvK';
    env.ANTHROPIC_API_KEY = envKey;
    try {
      let entry = (await store.list()).providers.find((p) => p.provider === 'anthropic');
      expect(entry).toMatchObject({
        status: 'from-environment',
        storage: null,
        hint: '…EnvK',
        envVarFound: 'ANTHROPIC_API_KEY',
        canImport: true,
      });
      expect(await keys.resolveKeyForRequest('anthropic', ANTHROPIC)).toEqual({
        key: envKey,
        source: 'environment',
      });

      const stored = 'sk-ant-api03-stored0123456789abcdStoR';
      await store.set('anthropic', stored);
      expect(await keys.resolveKeyForRequest('anthropic', ANTHROPIC)).toEqual({
        key: stored,
        source: 'keychain',
      });
      entry = (await store.list()).providers.find((p) => p.provider === 'anthropic');
      expect(entry).toMatchObject({ status: 'stored', hint: '…StoR', canImport: true });

      const imported = await store.importFromEnvironment('anthropic');
      expect(imported).toMatchObject({ storage: 'keychain', replaced: true, hint: '…EnvK' });
      expect(await secretToolLookup('anthropic')).toBe(envKey);
      entry = (await store.list()).providers.find((p) => p.provider === 'anthropic');
      expect(entry?.canImport).toBe(false);
    } finally {
      delete env.ANTHROPIC_API_KEY;
    }
    await expect(store.importFromEnvironment('anthropic')).rejects.toMatchObject({
      reason: 'no-key',
    });
  });

  it('keeps a session-only key in memory, never in the keyring, and labels it', async () => {
    const { store, keys } = credentials;
    const key = 'xai-sessiononly0123456789abcdSeSs';
    const result = await store.set('xai', key, { sessionOnly: true });
    expect(result).toMatchObject({ storage: 'session-only', hint: '…SeSs' });
    expect(await secretToolLookup('xai')).toBeNull();
    const entry = (await store.list()).providers.find((p) => p.provider === 'xai');
    expect(entry).toMatchObject({ status: 'stored', storage: 'session-only' });
    expect(await keys.resolveKeyForRequest('xai', XAI)).toEqual({ key, source: 'session-only' });
    expect(await store.delete('xai')).toEqual({ provider: 'xai', removedFrom: ['session-only'] });
    await expect(keys.resolveKeyForRequest('xai', XAI)).rejects.toMatchObject({ reason: 'no-key' });
  });

  it('stores custom endpoints by name and lists them', async () => {
    const { store } = credentials;
    await store.set('custom:local-llm', 'local-token-0123456789');
    expect(await secretToolLookup('custom:local-llm')).toBe('local-token-0123456789');
    const entry = (await store.list()).providers.find((p) => p.provider === 'custom:local-llm');
    expect(entry).toMatchObject({ custom: true, status: 'stored', envVars: ['LOCAL_LLM_API_KEY'] });
    await store.delete('custom:local-llm');
  });

  it('refuses invalid keys and unknown providers without storing anything', async () => {
    const { store } = credentials;
    const before = await secretToolAccounts();
    const error: unknown = await store
      .set('openai', 'sk-has space-0123456789')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialError);
    expect(error).toMatchObject({ reason: 'invalid-key', code: 'invalid-argument' });
    expect((error as Error).message).not.toContain('space-0123456789');
    await expect(store.set('mistral', 'sk-proj-0123456789abcdef')).rejects.toMatchObject({
      reason: 'unknown-provider',
    });
    await expect(store.set('openai', '')).rejects.toMatchObject({ reason: 'invalid-key' });
    expect(await secretToolAccounts()).toEqual(before);
  });
});
