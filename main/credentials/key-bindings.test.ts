import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredentials } from './credentials';
import { fileKeyBindings, KeyBindingsError, normalizeBaseUrl } from './key-bindings';
import type { KeychainBackend } from './keychain';

describe('normalizeBaseUrl', () => {
  it.each([
    ['https://api.openai.com/v1', 'https://api.openai.com/v1'],
    ['https://API.OpenAI.com/v1/', 'https://api.openai.com/v1'],
    ['https://api.openai.com:443/v1//', 'https://api.openai.com/v1'],
    ['  http://127.0.0.1:8080/v1?x=1#y ', 'http://127.0.0.1:8080/v1'],
    ['https://gateway.test/', 'https://gateway.test'],
    ['http://[::1]:11434/v1', 'http://[::1]:11434/v1'],
  ])('%j -> %s', (raw, normal) => {
    expect(normalizeBaseUrl(raw)).toBe(normal);
  });

  it.each(['', 'api.openai.com', 'ftp://x.test/v1', 'https://user:pw@x.test/v1', 'file:///etc'])(
    'refuses %j',
    (raw) => {
      expect(normalizeBaseUrl(raw)).toBeNull();
    },
  );

  it('keeps the path: two tenants of one gateway are two URLs', () => {
    expect(normalizeBaseUrl('https://gw.test/acct-a/v1')).not.toBe(
      normalizeBaseUrl('https://gw.test/acct-b/v1'),
    );
  });
});

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'key-bindings-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('fileKeyBindings', () => {
  it('records, replaces and forgets a URL per provider, in a private file without keys', async () => {
    const path = join(root, 'a', 'key-bindings.json');
    const bindings = fileKeyBindings(path);
    expect(await bindings.get('openai')).toBeNull();
    await Promise.all([
      bindings.set('openai', 'https://proxy.test/v1/'),
      bindings.set('custom:corp', 'http://127.0.0.1:8080/v1'),
    ]);
    expect(await bindings.get('openai')).toBe('https://proxy.test/v1');
    expect(await bindings.get('custom:corp')).toBe('http://127.0.0.1:8080/v1');
    await bindings.set('openai', null);
    expect(await bindings.get('openai')).toBeNull();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({
      version: 1,
      keys: { 'custom:corp': { baseUrl: 'http://127.0.0.1:8080/v1' } },
    });
  });

  it('fails closed on an unreadable record, and a new save rewrites it', async () => {
    const path = join(root, 'broken.json');
    await writeFile(path, '{not json');
    const bindings = fileKeyBindings(path);
    await expect(bindings.get('openai')).rejects.toBeInstanceOf(KeyBindingsError);
    await bindings.set('openai', 'https://api.openai.com/v1');
    expect(await bindings.get('openai')).toBe('https://api.openai.com/v1');
  });
});

describe('the key resolver with bindings', () => {
  const secrets = new Map<string, string>();
  const backend: KeychainBackend = {
    get: (a) => Promise.resolve(secrets.get(a) ?? null),
    set: (a, s) => Promise.resolve(void secrets.set(a, s)),
    delete: (a) => Promise.resolve(secrets.delete(a)),
    findAll: () =>
      Promise.resolve([...secrets].map(([account, password]) => ({ account, password }))),
  };
  const key = 'sk-proj-bound0123456789abcdefBOUND';

  it('sends a stored key only to the URL it was saved for; an env key anywhere', async () => {
    const env = {
      VTCODE_DESKTOP_HOME: join(root, 'app'),
      DEEPSEEK_API_KEY: 'sk-env-0123456789abcdef',
    };
    const { store, keys } = createCredentials({ env, backend });
    const at = (baseUrl: string) => ({ baseUrl, catalog: {} });
    await store.set('openai', key);
    expect(await keys.resolveKeyForRequest('openai', at('https://api.openai.com/v1/'))).toEqual({
      key,
      source: 'keychain',
    });
    const refused: unknown = await keys
      .resolveKeyForRequest('openai', at('https://proxy.test/v1'))
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ reason: 'url-not-allowed', code: 'forbidden' });
    expect((refused as Error).message).toBe(
      'The OpenAI key in the keychain was saved for https://api.openai.com/v1, so it is not sent to https://proxy.test/v1. To use it there, save it again for that URL: `vtcode-desktop keys set openai --base-url https://proxy.test/v1`.',
    );
    expect((refused as Error).message).not.toContain(key.slice(-6));

    // Saved again for the proxy: it goes there, and no longer to the default URL.
    const saved = await store.set('openai', key, { baseUrl: 'https://proxy.test/v1/' });
    expect(saved.baseUrl).toBe('https://proxy.test/v1');
    await expect(
      keys.resolveKeyForRequest('openai', at('https://proxy.test/v1')),
    ).resolves.toBeTruthy();
    await expect(
      keys.resolveKeyForRequest('openai', at('https://api.openai.com/v1')),
    ).rejects.toMatchObject({ reason: 'url-not-allowed' });
    expect((await store.list()).providers.find((p) => p.provider === 'openai')?.baseUrl).toBe(
      'https://proxy.test/v1',
    );

    // Deleting the key forgets its URL; an environment key is not bound.
    await store.delete('openai');
    expect(await keys.resolveKeyForRequest('deepseek', at('http://127.0.0.1:9/v1'))).toEqual({
      key: env.DEEPSEEK_API_KEY,
      source: 'environment',
    });
    await expect(store.set('openai', key, { baseUrl: 'ftp://x' })).rejects.toMatchObject({
      reason: 'invalid-url',
    });
  });
});
