import type { StateCreator } from 'zustand';
import {
  tokenEnvVarSchema,
  tokenHostsSchema,
  tokenNameSchema,
  tokenTestPathSchema,
  type SetTokenResult,
  type TokenList,
  type TokenTestResult,
} from '../../shared/domain/tokens';
import type { BridgeApi } from '../../shared/ipc/api';
import { errorMessage } from './app-slice';
import type { RootState } from './root-store';

/** The last thing that happened to a token, shown beside it. Never holds a token. */
export type TokenNote =
  | { readonly kind: 'busy'; readonly action: 'saving' | 'testing' | 'deleting' }
  | { readonly kind: 'saved'; readonly result: SetTokenResult }
  | { readonly kind: 'tested'; readonly result: TokenTestResult }
  | { readonly kind: 'deleted'; readonly removed: boolean }
  | { readonly kind: 'error'; readonly message: string };

/** The Add form as typed; `value` goes to main and is never put in state. */
export interface TokenDraft {
  readonly name: string;
  readonly envVar: string;
  /** Hosts separated by spaces or commas. */
  readonly hosts: string;
  readonly testPath: string;
  readonly value: string;
}

/** Per field, why the draft cannot be sent; empty when it can. */
export type TokenDraftErrors = Partial<Record<keyof TokenDraft, string>>;

/** Check a draft with the schemas main uses; the token itself only for being there. */
export function checkTokenDraft(draft: TokenDraft): TokenDraftErrors {
  const errors: TokenDraftErrors = {};
  const first = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
    r.success ? undefined : (r.error?.issues[0]?.message ?? 'invalid');
  const name = first(tokenNameSchema.safeParse(draft.name.trim()));
  if (name) errors.name = name;
  const envVar = first(tokenEnvVarSchema.safeParse(draft.envVar.trim()));
  if (envVar) errors.envVar = envVar;
  const hosts = first(tokenHostsSchema.safeParse(splitHosts(draft.hosts)));
  if (hosts) errors.hosts = hosts;
  if (draft.testPath.trim() !== '') {
    const path = first(tokenTestPathSchema.safeParse(draft.testPath.trim()));
    if (path) errors.testPath = path;
  }
  if (draft.value.trim() === '') errors.value = 'Paste the token.';
  return errors;
}

/** `a.example.com, b.example.com c.example.com` -> three hosts. */
export function splitHosts(text: string): string[] {
  return text.split(/[\s,]+/).filter((h) => h !== '');
}

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
