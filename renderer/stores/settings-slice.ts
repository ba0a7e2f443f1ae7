import type { StateCreator } from 'zustand';
import type {
  CredentialList,
  KeyTestResult,
  ProviderId,
  SetKeyResult,
  StorageKind,
} from '../../shared/domain/credentials';
import type { AgentSettingsView } from '../../shared/domain/agent-settings';
import type { PolicyEdit } from '../../shared/domain/policy-edit';
import type { BridgeApi } from '../../shared/ipc/api';
import {
  applyThemeChoice,
  readThemeChoice,
  resolveTheme,
  writeThemeChoice,
  type ResolvedTheme,
  type ThemeChoice,
} from '../features/settings/theme';
import { errorMessage } from './app-slice';
import type { RootState } from './root-store';

/** The last thing that happened to a provider's key, shown beside it. Never holds a key. */
export type ProviderNote =
  | { readonly kind: 'busy'; readonly action: 'saving' | 'testing' | 'deleting' | 'importing' }
  | { readonly kind: 'saved'; readonly result: SetKeyResult; readonly imported: boolean }
  | { readonly kind: 'tested'; readonly result: KeyTestResult }
  | { readonly kind: 'deleted'; readonly removedFrom: readonly StorageKind[] }
  | { readonly kind: 'error'; readonly message: string };

/** Where the Settings view is and what it shows: providers' key statuses and the theme. */
export interface SettingsSlice {
  settingsOpen: boolean;
  credentials:
    | { readonly state: 'idle' }
    | { readonly state: 'loading' }
    | { readonly state: 'loaded'; readonly list: CredentialList }
    | { readonly state: 'error'; readonly message: string };
  providerNotes: Readonly<Partial<Record<ProviderId, ProviderNote>>>;
  themeChoice: ThemeChoice;
  resolvedTheme: ResolvedTheme;
  /** `[agent]` and `[[custom_providers]]` of the open workspace's files, for the Model section. */
  agentSettings:
    | { readonly state: 'idle' }
    | { readonly state: 'loading' }
    | { readonly state: 'loaded'; readonly view: AgentSettingsView }
    | { readonly state: 'error'; readonly message: string };
  loadAgentSettings: () => Promise<void>;
  /** Write model edits to one file; resolves to null when saved, else why not (nothing written). */
  saveAgentSettings: (
    target: 'workspace' | 'user',
    edits: readonly PolicyEdit[],
  ) => Promise<string | null>;
  openSettings: () => void;
  closeSettings: () => void;
  loadCredentials: () => Promise<void>;
  /** Hand a typed key to main; the caller clears its input whatever happens. */
  saveKey: (provider: ProviderId, key: string, sessionOnly: boolean) => Promise<boolean>;
  testKey: (provider: ProviderId) => Promise<void>;
  deleteKey: (provider: ProviderId) => Promise<void>;
  importKey: (provider: ProviderId) => Promise<void>;
  setThemeChoice: (choice: ThemeChoice) => void;
  /** Read the stored theme, apply it, and follow the OS; returns the unsubscribe. */
  initTheme: (env: ThemeEnv) => () => void;
}

/** The browser pieces the theme needs, passed in so tests can fake them. */
export interface ThemeEnv {
  readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  readonly root: HTMLElement;
  readonly media: Pick<MediaQueryList, 'matches' | 'addEventListener' | 'removeEventListener'>;
}

export const createSettingsSlice =
  (api: BridgeApi): StateCreator<RootState, [], [], SettingsSlice> =>
  (set, get) => {
    let themeEnv: ThemeEnv | null = null;
    const note = (provider: ProviderId, value: ProviderNote) =>
      set((s) => ({ providerNotes: { ...s.providerNotes, [provider]: value } }));
    const refresh = async () => {
      try {
        set({ credentials: { state: 'loaded', list: await api.keys.list() } });
      } catch (error) {
        set({ credentials: { state: 'error', message: errorMessage(error) } });
      }
    };

    return {
      settingsOpen: false,
      credentials: { state: 'idle' },
      providerNotes: {},
      themeChoice: 'system',
      resolvedTheme: 'light',
      agentSettings: { state: 'idle' },

      loadAgentSettings: async () => {
        if (get().agentSettings.state === 'idle') set({ agentSettings: { state: 'loading' } });
        try {
          set({ agentSettings: { state: 'loaded', view: await api.policy.getAgentSettings() } });
        } catch (error) {
          set({ agentSettings: { state: 'error', message: errorMessage(error) } });
        }
      },

      saveAgentSettings: async (target, edits) => {
        try {
          await api.policy.save({ target, edits: [...edits] });
        } catch (error) {
          return errorMessage(error);
        }
        // New custom providers get a key row; the model section shows what the file now says.
        await Promise.all([get().loadAgentSettings(), refresh()]);
        return null;
      },

      openSettings: () => {
        set({ settingsOpen: true });
        void get().loadCredentials();
      },
      closeSettings: () => set({ settingsOpen: false }),

      loadCredentials: async () => {
        if (get().credentials.state !== 'loaded') set({ credentials: { state: 'loading' } });
        await refresh();
      },

      saveKey: async (provider, key, sessionOnly) => {
        if (key.trim() === '') {
          note(provider, { kind: 'error', message: 'Paste a key first.' });
          return false;
        }
        note(provider, { kind: 'busy', action: 'saving' });
        try {
          const result = await api.keys.set({ provider, key, sessionOnly });
          note(provider, { kind: 'saved', result, imported: false });
          await refresh();
          return true;
        } catch (error) {
          // Main redacts keys from its errors; the message is safe to show.
          note(provider, { kind: 'error', message: errorMessage(error) });
          return false;
        }
      },

      testKey: async (provider) => {
        note(provider, { kind: 'busy', action: 'testing' });
        try {
          note(provider, { kind: 'tested', result: await api.keys.test({ provider }) });
        } catch (error) {
          note(provider, { kind: 'error', message: errorMessage(error) });
        }
      },

      deleteKey: async (provider) => {
        note(provider, { kind: 'busy', action: 'deleting' });
        try {
          const result = await api.keys.delete({ provider });
          note(provider, { kind: 'deleted', removedFrom: result.removedFrom });
          await refresh();
        } catch (error) {
          note(provider, { kind: 'error', message: errorMessage(error) });
        }
      },

      importKey: async (provider) => {
        note(provider, { kind: 'busy', action: 'importing' });
        try {
          const result = await api.keys.importEnv({ provider });
          note(provider, { kind: 'saved', result, imported: true });
          await refresh();
        } catch (error) {
          note(provider, { kind: 'error', message: errorMessage(error) });
        }
      },

      setThemeChoice: (choice) => {
        if (themeEnv) {
          writeThemeChoice(themeEnv.storage, choice);
          applyThemeChoice(themeEnv.root, choice);
        }
        const dark = themeEnv?.media.matches ?? false;
        set({ themeChoice: choice, resolvedTheme: resolveTheme(choice, dark) });
      },

      initTheme: (env) => {
        themeEnv = env;
        get().setThemeChoice(readThemeChoice(env.storage));
        const onChange = () =>
          set((s) => ({ resolvedTheme: resolveTheme(s.themeChoice, env.media.matches) }));
        env.media.addEventListener('change', onChange);
        return () => env.media.removeEventListener('change', onChange);
      },
    };
  };

/** One provider's note, or undefined. */
export const selectProviderNote = (provider: ProviderId) => (s: RootState) =>
  s.providerNotes[provider];
