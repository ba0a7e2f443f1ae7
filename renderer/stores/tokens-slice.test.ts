import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand';
import type { TokenBinding, TokenList } from '../../shared/domain/tokens';
import { BridgeError } from '../../shared/ipc/errors';
import { fakeBridge } from '../test-support/fake-bridge';
import type { RootState } from './root-store';
import type { TokenDraft } from './token-draft';
import { createTokensSlice } from './tokens-slice';

const TOKEN = 'ghp_rendererNeverKeeps0123456789abcdJKLM';

const github: TokenBinding = {
  name: 'github',
  envVar: 'GH_TOKEN',
  hosts: ['api.github.com'],
  testPath: '/user',
  hint: '…JKLM',
  savedAt: '2026-01-01T00:00:00.000Z',
};
const list = (...tokens: TokenBinding[]): TokenList => ({ keychain: { available: true }, tokens });
const draft: TokenDraft = {
  name: 'github',
  envVar: 'GH_TOKEN',
  hosts: 'api.github.com, uploads.github.com',
  testPath: '/user',
  value: TOKEN,
};

function setup(handlers: Parameters<typeof fakeBridge>[0]) {
  const bridge = fakeBridge(handlers);
  const store = createStore<RootState>()(
    (...a) => createTokensSlice(bridge.api)(...a) as RootState,
  );
  return { bridge, store };
}

describe('tokens slice', () => {
  it('hands the token to main once, keeps no copy, and shows the new binding', async () => {
    let stored = false;
    const { bridge, store } = setup({
      'tokens:list': () => list(...(stored ? [github] : [])),
      'tokens:set': () => {
        stored = true;
        return {
          name: 'github',
          envVar: 'GH_TOKEN',
          hosts: ['api.github.com', 'uploads.github.com'],
          hint: '…JKLM',
          replaced: false,
          warnings: [],
        };
      },
    });
    await store.getState().loadTokens();
    expect(store.getState().tokens).toEqual({ state: 'loaded', list: list() });
    expect(await store.getState().saveToken(draft)).toBe(true);
    expect(bridge.calls.filter((c) => c.channel === 'tokens:set')).toEqual([
      {
        channel: 'tokens:set',
        request: {
          name: 'github',
          envVar: 'GH_TOKEN',
          hosts: ['api.github.com', 'uploads.github.com'],
          value: TOKEN,
          testPath: '/user',
        },
      },
    ]);
    expect(JSON.stringify(store.getState())).not.toContain(TOKEN);
    expect(store.getState().tokenNotes['']).toMatchObject({ kind: 'saved' });
    const loaded = store.getState().tokens;
    expect(loaded.state === 'loaded' && loaded.list.tokens).toEqual([github]);
  });

  it.each<[string, Partial<TokenDraft>]>([
    ['no name', { name: '' }],
    ['a reserved variable', { envVar: 'HTTPS_PROXY' }],
    ['no hosts', { hosts: ' , ' }],
    ['no token', { value: '  ' }],
  ])('refuses a draft with %s before any call', async (_name, change) => {
    const { bridge, store } = setup({});
    expect(await store.getState().saveToken({ ...draft, ...change })).toBe(false);
    expect(bridge.calls).toEqual([]);
    expect(store.getState().tokenNotes['']).toMatchObject({ kind: 'error' });
    expect(JSON.stringify(store.getState())).not.toContain(TOKEN);
  });

  it('shows what main refused as an error note', async () => {
    const { store } = setup({
      'tokens:set': () => {
        throw new BridgeError('invalid-argument', 'GH_TOKEN is already the variable of "gh".');
      },
    });
    expect(await store.getState().saveToken(draft)).toBe(false);
    expect(store.getState().tokenNotes['']).toEqual({
      kind: 'error',
      message: 'GH_TOKEN is already the variable of "gh".',
    });
  });

  it('tests and deletes, each leaving its outcome', async () => {
    const { bridge, store } = setup({
      'tokens:list': () => list(),
      'tokens:test': () => ({
        name: 'github',
        outcome: 'blocked',
        message: 'Commands cannot reach api.github.com.',
        httpStatus: null,
        url: 'https://api.github.com/user',
      }),
      'tokens:delete': () => ({ name: 'github', removed: true }),
    });
    await store.getState().testToken('github');
    expect(store.getState().tokenNotes.github).toMatchObject({
      kind: 'tested',
      result: { outcome: 'blocked' },
    });
    await store.getState().deleteToken('github');
    expect(store.getState().tokenNotes.github).toEqual({ kind: 'deleted', removed: true });
    expect(bridge.calls.map((c) => c.channel)).toEqual([
      'tokens:test',
      'tokens:delete',
      'tokens:list',
    ]);
  });
});
