import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SetTokenRequest } from '../../shared/domain/tokens';
import { CredentialError } from './errors';
import type { KeychainBackend } from './keychain';
import { memoryKeychain } from './memory-keychain';
import { REDACTED, createSecretRedactor, type SecretRedactor } from './redact';
import { fileTokenBindings, tokenBindingsPath } from './token-bindings';
import { TokenStore, tokenAccount } from './token-store';

const TOKEN = 'ghp_tokenStoreTest0123456789abcdefABCD';

let dir: string;
let backend: KeychainBackend;
let redactor: SecretRedactor;
let store: TokenStore;

const good: SetTokenRequest = {
  name: 'github',
  envVar: 'GH_TOKEN',
  hosts: ['api.github.com'],
  value: TOKEN,
};

function storeOver(keychain: KeychainBackend): TokenStore {
  return new TokenStore({
    backend: keychain,
    bindings: fileTokenBindings(tokenBindingsPath(dir)),
    redactor,
  });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'token-store-'));
  backend = memoryKeychain();
  redactor = createSecretRedactor();
  store = storeOver(backend);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('TokenStore', () => {
  it('stores, lists masked, hands the sandbox the value, and deletes', async () => {
    const set = await store.set({ ...good, hosts: ['API.GitHub.com.', 'uploads.github.com'] });
    expect(set).toEqual({
      name: 'github',
      envVar: 'GH_TOKEN',
      hosts: ['api.github.com', 'uploads.github.com'],
      hint: '…ABCD',
      replaced: false,
      warnings: [],
    });
    expect(await backend.get(tokenAccount('github'))).toBe(TOKEN);
    const list = await store.list();
    expect(list.keychain).toEqual({ available: true });
    expect(list.tokens).toEqual([
      expect.objectContaining({ name: 'github', envVar: 'GH_TOKEN', hint: '…ABCD', testPath: '/' }),
    ]);
    expect(JSON.stringify([set, list])).not.toContain(TOKEN);
    // The record beside the app's data holds no secret.
    expect(await readFile(tokenBindingsPath(dir), 'utf8')).not.toContain(TOKEN);
    const sandbox = await store.forSandbox();
    expect(sandbox.tokens).toEqual([
      {
        name: 'github',
        envVar: 'GH_TOKEN',
        hosts: ['api.github.com', 'uploads.github.com'],
        value: TOKEN,
      },
    ]);
    expect(await store.delete('github')).toEqual({ name: 'github', removed: true });
    expect((await store.list()).tokens).toEqual([]);
    expect((await store.forSandbox()).tokens).toEqual([]);
    expect(await backend.get(tokenAccount('github'))).toBeNull();
    expect(await store.delete('github')).toEqual({ name: 'github', removed: false });
  });

  it('teaches the redactor every token it sees', async () => {
    await store.set(good);
    expect(redactor.redact(`echo ${TOKEN}`)).toBe(`echo ${REDACTED}`);
    // A fresh process (the CLI, a restart) learns it when it reads the tokens.
    const fresh = createSecretRedactor();
    const other = new TokenStore({
      backend,
      bindings: fileTokenBindings(tokenBindingsPath(dir)),
      redactor: fresh,
    });
    await other.forSandbox();
    expect(fresh.redact(TOKEN)).toBe(REDACTED);
  });

  it('changes the revision on every save, replaced tokens included', async () => {
    const none = await store.revision();
    await store.set(good);
    const first = await store.revision();
    const replaced = await store.set({ ...good, value: `${TOKEN}2` });
    expect(replaced.replaced).toBe(true);
    expect(new Set([none, first, await store.revision()]).size).toBe(3);
  });

  it.each<[string, Partial<SetTokenRequest> & Record<string, unknown>]>([
    ['a name with capitals', { name: 'GitHub' }],
    ['a name with a slash', { name: 'a/b' }],
    ['an empty name', { name: '' }],
    ['PATH', { envVar: 'PATH' }],
    ['a proxy variable', { envVar: 'HTTPS_PROXY' }],
    ['a lowercase proxy variable', { envVar: 'https_proxy' }],
    ['a trust-store variable', { envVar: 'SSL_CERT_FILE' }],
    ['a loader variable', { envVar: 'LD_PRELOAD' }],
    ["the app's own variable", { envVar: 'VTCODE_RUN_COMMAND' }],
    ['a variable starting with a digit', { envVar: '1TOKEN' }],
    ['a variable with a dash', { envVar: 'GH-TOKEN' }],
    ['no hosts', { hosts: [] }],
    ['every host', { hosts: ['*'] }],
    ['a whole top-level domain', { hosts: ['*.com'] }],
    ['a URL', { hosts: ['https://api.github.com'] }],
    ['a host with a port', { hosts: ['api.github.com:443'] }],
    ['a host with a path', { hosts: ['api.github.com/user'] }],
    ['a host with a space', { hosts: ['api github.com'] }],
    ['an unbracketed IPv6 address', { hosts: ['::1'] }],
    ['an empty token', { value: '   ' }],
    ['a short token', { value: 'abc1234' }],
    ['a token with a space', { value: 'ghp_abc def0123456789' }],
    ['a token with its scheme', { value: `Bearer ${TOKEN}` }],
    ['a token with a control character', { value: `${TOKEN}\u0007x` }],
    ['a test path without a slash', { testPath: 'user' }],
    ['a test path with a space', { testPath: '/a b' }],
    ['an unknown field', { extra: 1 }],
  ])('refuses %s, without quoting the token', async (_name, change) => {
    const request: SetTokenRequest = { ...good, ...change };
    const error = await store.set(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialError);
    expect(String((error as Error).message)).not.toContain(TOKEN);
    expect((await store.list()).tokens).toEqual([]);
    expect(await backend.get(tokenAccount(String(request.name)))).toBeNull();
  });

  it('refuses a variable another token already has', async () => {
    await store.set(good);
    await expect(store.set({ ...good, name: 'other' })).rejects.toThrow(/already the variable/);
  });

  it('does not count a token the keychain dropped as stored', async () => {
    const forgetful: KeychainBackend = { ...backend, set: () => Promise.resolve() };
    await expect(storeOver(forgetful).set(good)).rejects.toThrow(/did not return it/);
    expect((await store.list()).tokens).toEqual([]);
  });

  it('says why the keychain cannot be read, and still lists the bindings', async () => {
    await store.set(good);
    const locked: KeychainBackend = {
      ...backend,
      findAll: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
      get: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
    };
    const list = await storeOver(locked).list();
    expect(list.keychain).toMatchObject({ available: false, problem: 'no-secret-service' });
    expect(list.tokens).toEqual([expect.objectContaining({ name: 'github', hint: null })]);
    // Commands then get no token, rather than the run failing.
    expect((await storeOver(locked).forSandbox()).tokens).toEqual([]);
  });

  it('asks the keychain once per bindings revision, not once per command', async () => {
    let reads = 0;
    const counting: KeychainBackend = {
      ...backend,
      get: (account) => {
        reads++;
        return backend.get(account);
      },
    };
    const counted = storeOver(counting);
    await counted.set(good);
    reads = 0;
    for (let n = 0; n < 5; n++) expect((await counted.forSandbox()).tokens).toHaveLength(1);
    expect(reads).toBe(1);
    await counted.set({ ...good, value: `${TOKEN}-new` });
    reads = 0;
    expect((await counted.forSandbox()).tokens[0]?.value).toBe(`${TOKEN}-new`);
    expect(reads).toBe(1);
    // Another process (the CLI) changes the bindings: the next run reads them afresh.
    await store.delete('github');
    expect((await counted.forSandbox()).tokens).toEqual([]);
  });

  it('skips entries of the record it cannot vouch for, and hands nothing when it is unreadable', async () => {
    await backend.set(tokenAccount('github'), TOKEN);
    await backend.set(tokenAccount('evil'), TOKEN);
    await writeFile(
      tokenBindingsPath(dir),
      JSON.stringify({
        version: 1,
        tokens: {
          github: { envVar: 'GH_TOKEN', hosts: ['api.github.com'], savedAt: 'x' },
          evil: { envVar: 'LD_PRELOAD', hosts: ['*'], savedAt: 'x' },
          'Bad Name': { envVar: 'X_TOKEN', hosts: ['a.example.com'], savedAt: 'x' },
        },
      }),
    );
    expect((await store.forSandbox()).tokens.map((t) => t.name)).toEqual(['github']);
    await writeFile(tokenBindingsPath(dir), '{ not json');
    expect((await store.forSandbox()).tokens).toEqual([]);
    await expect(store.list()).rejects.toThrow(/cannot be read/);
  });
});
