import type { StateCreator } from 'zustand';
import type { SetTokenResult, TokenList, TokenTestResult } from '../../shared/domain/tokens';
import type { BridgeApi } from '../../shared/ipc/api';
import { errorMessage } from './app-slice';
import type { RootState } from './root-store';
import type { TokenDraft } from './token-draft';

/** The last thing that happened to a token, shown beside it. Never holds a token. */
export type TokenNote =
  | { readonly kind: 'busy'; readonly action: 'saving' | 'testing' | 'deleting' }
  | { readonly kind: 'saved'; readonly result: SetTokenResult }
  | { readonly kind: 'tested'; readonly result: TokenTestResult }
  | { readonly kind: 'deleted'; readonly removed: boolean }
  | { readonly kind: 'error'; readonly message: string };

/** Tokens commands use but never see: the bindings (masked) and what was last done to each. */
export interface TokensSlice {
  tokens:
    | { readonly state: 'idle' }
    | { readonly state: 'loading' }
    | { readonly state: 'loaded'; readonly list: TokenList }
    | { readonly state: 'error'; readonly message: string };
  /** By token name; `''` is the Add form's. */
  tokenNotes: Readonly<Record<string, TokenNote>>;
  loadTokens: () => Promise<void>;
  /** Hand a draft to main; resolves true when stored. The caller clears the token input. */
  saveToken: (draft: TokenDraft) => Promise<boolean>;
  testToken: (name: string) => Promise<void>;
  deleteToken: (name: string) => Promise<void>;
}

export const createTokensSlice =
  (api: BridgeApi): StateCreator<RootState, [], [], TokensSlice> =>
  (set, get) => {
    const note = (name: string, value: TokenNote) =>
      set((s) => ({ tokenNotes: { ...s.tokenNotes, [name]: value } }));
    const refresh = async () => {
      try {
        set({ tokens: { state: 'loaded', list: await api.tokens.list() } });
      } catch (error) {
        set({ tokens: { state: 'error', message: errorMessage(error) } });
      }
    };
    return {
      tokens: { state: 'idle' },
      tokenNotes: {},

      loadTokens: async () => {
        if (get().tokens.state !== 'loaded') set({ tokens: { state: 'loading' } });
        await refresh();
      },

      saveToken: async (draft) => {
        // The draft's checks need the token schemas (and zod): loaded when first used (issue 18).
        const { checkTokenDraft, splitHosts } = await import('./token-draft');
        const errors = checkTokenDraft(draft);
        const problem = Object.values(errors)[0];
        if (problem) {
          note('', { kind: 'error', message: problem });
          return false;
        }
        note('', { kind: 'busy', action: 'saving' });
        try {
          const result = await api.tokens.set({
            name: draft.name.trim(),
            envVar: draft.envVar.trim(),
            hosts: splitHosts(draft.hosts),
            value: draft.value,
            ...(draft.testPath.trim() === '' ? {} : { testPath: draft.testPath.trim() }),
          });
          note('', { kind: 'saved', result });
          await refresh();
          return true;
        } catch (error) {
          // Main never quotes a token in its errors; the message is safe to show.
          note('', { kind: 'error', message: errorMessage(error) });
          return false;
        }
      },

      testToken: async (name) => {
        note(name, { kind: 'busy', action: 'testing' });
        try {
          note(name, { kind: 'tested', result: await api.tokens.test({ name }) });
        } catch (error) {
          note(name, { kind: 'error', message: errorMessage(error) });
        }
      },

      deleteToken: async (name) => {
        note(name, { kind: 'busy', action: 'deleting' });
        try {
          const result = await api.tokens.delete({ name });
          note(name, { kind: 'deleted', removed: result.removed });
          await refresh();
        } catch (error) {
          note(name, { kind: 'error', message: errorMessage(error) });
        }
      },
    };
  };

/** One token's note (`''`: the Add form's), or undefined. */
export const selectTokenNote = (name: string) => (s: RootState) => s.tokenNotes[name];
