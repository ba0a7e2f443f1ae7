import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand';
import type { CredentialList, ProviderCredential } from '../../shared/domain/credentials';
import { BridgeError } from '../../shared/ipc/errors';
import { fakeBridge } from '../test-support/fake-bridge';
import type { RootState } from './root-store';
import { createSettingsSlice } from './settings-slice';

const openai = (extra: Partial<ProviderCredential> = {}): ProviderCredential => ({
  provider: 'openai',
  label: 'OpenAI',
  custom: false,
  status: 'missing',
  storage: null,
  hint: null,
  baseUrl: null,
  envVars: ['OPENAI_API_KEY'],
  envVarFound: null,
  canImport: false,
  ...extra,
});

const list = (...providers: ProviderCredential[]): CredentialList => ({
  keychain: { available: true },
  providers,
});

function setup(handlers: Parameters<typeof fakeBridge>[0]) {
  const bridge = fakeBridge(handlers);
  const store = createStore<RootState>()(
    (...a) => createSettingsSlice(bridge.api)(...a) as RootState,
  );
  return { bridge, store };
}

describe('settings slice: keys', () => {
  it('opens and loads the providers', async () => {
    const { store } = setup({ 'keys:list': () => list(openai()) });
    store.getState().openSettings();
    expect(store.getState().settingsOpen).toBe(true);
    await store.getState().loadCredentials();
    expect(store.getState().credentials).toEqual({ state: 'loaded', list: list(openai()) });
    store.getState().closeSettings();
    expect(store.getState().settingsOpen).toBe(false);
  });

  it('hands the key to main once, keeps no copy, and shows the warnings and the new status', async () => {
    let stored = false;
    const key = 'zz-test-not-a-real-key-1234';
    const { bridge, store } = setup({
      'keys:list': () =>
        list(openai(stored ? { status: 'stored', storage: 'keychain', hint: '…1234' } : {})),
      'keys:set': () => {
        stored = true;
        return {
          provider: 'openai',
          storage: 'keychain',
          hint: '…1234',
          baseUrl: 'https://api.openai.com/v1',
          replaced: false,
          warnings: ['OpenAI keys usually start with "sk-"'],
        };
      },
    });
    expect(await store.getState().saveKey('openai', key, false)).toBe(true);
    expect(bridge.calls.filter((c) => c.channel === 'keys:set')).toEqual([
      { channel: 'keys:set', request: { provider: 'openai', key, sessionOnly: false } },
    ]);
    expect(JSON.stringify(store.getState())).not.toContain(key);
    expect(store.getState().providerNotes.openai).toMatchObject({
      kind: 'saved',
      result: { warnings: ['OpenAI keys usually start with "sk-"'] },
    });
    const loaded = store.getState().credentials;
    expect(loaded.state === 'loaded' && loaded.list.providers[0]?.status).toBe('stored');
  });

  it('refuses an empty key without a call', async () => {
    const { bridge, store } = setup({});
    expect(await store.getState().saveKey('openai', '   ', false)).toBe(false);
    expect(bridge.calls).toEqual([]);
    expect(store.getState().providerNotes.openai).toEqual({
      kind: 'error',
      message: 'Paste a key first.',
    });
  });

  it('shows a rejected key as an error note', async () => {
    const { store } = setup({
      'keys:set': () => {
        throw new BridgeError('invalid-argument', 'The key contains whitespace.');
      },
    });
    expect(await store.getState().saveKey('openai', 'a b', true)).toBe(false);
    expect(store.getState().providerNotes.openai).toEqual({
      kind: 'error',
      message: 'The key contains whitespace.',
    });
  });

  it('tests, deletes and imports, each leaving its outcome', async () => {
    const { bridge, store } = setup({
      'keys:list': () => list(openai()),
      'keys:test': () => ({
        provider: 'openai',
        outcome: 'rejected',
        message: 'OpenAI rejected the key.',
        httpStatus: 401,
        source: 'keychain',
        endpoint: 'https://api.openai.com/v1/models',
      }),
      'keys:delete': () => ({ provider: 'openai', removedFrom: ['keychain'] }),
      'keys:import-env': () => ({
        provider: 'openai',
        storage: 'keychain',
        hint: '…9f9f',
        baseUrl: 'https://api.openai.com/v1',
        replaced: false,
        warnings: [],
      }),
    });
    await store.getState().testKey('openai');
    expect(store.getState().providerNotes.openai).toMatchObject({
      kind: 'tested',
      result: { outcome: 'rejected' },
    });
    await store.getState().deleteKey('openai');
    expect(store.getState().providerNotes.openai).toEqual({
      kind: 'deleted',
      removedFrom: ['keychain'],
    });
    await store.getState().importKey('openai');
    expect(store.getState().providerNotes.openai).toMatchObject({ kind: 'saved', imported: true });
    expect(bridge.calls.map((c) => c.channel)).toEqual([
      'keys:test',
      'keys:delete',
      'keys:list',
      'keys:import-env',
      'keys:list',
    ]);
  });

  it('shows why the list could not be read', async () => {
    const { store } = setup({
      'keys:list': () => {
        throw new BridgeError('unavailable', 'The host is gone.');
      },
    });
    await store.getState().loadCredentials();
    expect(store.getState().credentials).toEqual({ state: 'error', message: 'The host is gone.' });
  });
});

describe('settings slice: theme', () => {
  function env(stored: string | null, dark: boolean) {
    const map = new Map<string, string>(stored ? [['vtcode-desktop:theme', stored]] : []);
    const listeners = new Set<() => void>();
    const media = {
      matches: dark,
      addEventListener: (_: string, l: () => void) => listeners.add(l),
      removeEventListener: (_: string, l: () => void) => listeners.delete(l),
    };
    return {
      storage: {
        getItem: (k: string) => map.get(k) ?? null,
        setItem: (k: string, v: string) => void map.set(k, v),
        removeItem: (k: string) => void map.delete(k),
      },
      root: { dataset: {} as Record<string, string> } as unknown as HTMLElement,
      media: media as unknown as MediaQueryList,
      map,
      flip(next: boolean) {
        media.matches = next;
        for (const l of listeners) l();
      },
      listeners,
    };
  }

  it('applies the stored choice at start and stores a new one', () => {
    const e = env('dark', false);
    const { store } = setup({});
    store.getState().initTheme(e);
    expect(e.root.dataset.theme).toBe('dark');
    expect(store.getState().resolvedTheme).toBe('dark');
    store.getState().setThemeChoice('light');
    expect(e.map.get('vtcode-desktop:theme')).toBe('light');
    expect(e.root.dataset.theme).toBe('light');
    expect(store.getState().resolvedTheme).toBe('light');
  });

  it('follows the OS while the choice is system, and stops listening when asked', () => {
    const e = env(null, false);
    const { store } = setup({});
    const stop = store.getState().initTheme(e);
    expect(store.getState().themeChoice).toBe('system');
    expect(e.root.dataset.theme).toBeUndefined();
    e.flip(true);
    expect(store.getState().resolvedTheme).toBe('dark');
    store.getState().setThemeChoice('light');
    e.flip(true);
    expect(store.getState().resolvedTheme).toBe('light');
    stop();
    expect(e.listeners.size).toBe(0);
  });
});
