import type { StateCreator } from 'zustand';
import type {
  ConnectModelRequest,
  ModelSetup,
  ModelTestRequest,
  ModelTestResult,
  SettingsField,
} from '../../shared/domain/model-setup';
import type { BridgeApi } from '../../shared/ipc/api';
import { errorMessage } from './app-slice';
import type { RootState } from './root-store';

/** A place in Settings to open at: a field of the Model section, or a provider's key row. */
export interface SettingsTarget {
  readonly field: SettingsField;
  readonly provider: string | null;
}

/** What the next conversation will use, as main resolves it, and the first-run form's calls. */
export interface ModelSetupSlice {
  modelSetup:
    | { readonly state: 'idle' }
    | { readonly state: 'ready'; readonly setup: ModelSetup }
    | { readonly state: 'error'; readonly message: string };
  /** Where Settings was asked to open (focused once, then cleared). */
  settingsTarget: SettingsTarget | null;
  /** Bumped to ask the Connect-a-model form on screen to take focus (no workspace yet). */
  connectFocus: number;
  refreshModelSetup: () => Promise<void>;
  testModel: (request: ModelTestRequest) => Promise<ModelTestResult | string>;
  /** Save the first-run form; resolves to null when connected, else why not. */
  connectModel: (request: ConnectModelRequest) => Promise<string | null>;
  openSettingsAt: (target: SettingsTarget) => void;
  clearSettingsTarget: () => void;
}

export const createModelSetupSlice =
  (api: BridgeApi): StateCreator<RootState, [], [], ModelSetupSlice> =>
  (set, get) => {
    // Answers can arrive out of order (typing in the header): only the latest request counts.
    let latest = 0;
    return {
      modelSetup: { state: 'idle' },
      settingsTarget: null,
      connectFocus: 0,

      refreshModelSetup: async () => {
        const ticket = ++latest;
        const { provider, model, baseUrl } = get().sessionChoice;
        const choice = {
          ...(provider.trim() ? { provider: provider.trim() } : {}),
          ...(model.trim() ? { model: model.trim() } : {}),
          ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
        };
        try {
          const setup = await api.model.describe(choice);
          if (ticket === latest) set({ modelSetup: { state: 'ready', setup } });
        } catch (error) {
          if (ticket === latest)
            set({ modelSetup: { state: 'error', message: errorMessage(error) } });
        }
      },

      testModel: async (request) => {
        try {
          return await api.model.test(request);
        } catch (error) {
          return errorMessage(error);
        }
      },

      connectModel: async (request) => {
        try {
          const setup = await api.model.connect(request);
          latest++;
          set({ modelSetup: { state: 'ready', setup } });
        } catch (error) {
          return errorMessage(error);
        }
        // Settings › API keys and Health show the new key and model too.
        void get().loadCredentials();
        void get().checkHealth();
        if (get().settingsOpen) void get().loadAgentSettings();
        return null;
      },

      openSettingsAt: (target) => {
        // Without a workspace, Settings › Model has nothing to edit: the welcome screen's form does.
        if (!get().workspace && target.field !== 'key') {
          set((s) => ({ connectFocus: s.connectFocus + 1 }));
          return;
        }
        set({ settingsTarget: target });
        get().openSettings();
      },
      clearSettingsTarget: () => set({ settingsTarget: null }),
    };
  };
