import type { StateCreator } from 'zustand';
import type {
  DirectoryListing,
  RecentWorkspace,
  Workspace,
  WorkspaceTrust,
} from '../../shared/domain/workspace';
import type { BridgeApi } from '../../shared/ipc/api';
import { BridgeError } from '../../shared/ipc/errors';
import { errorMessage } from './app-slice';
import type { RootState } from './root-store';

const LAST_WORKSPACE_KEY = 'vtcode-desktop:last-workspace';

/** The open workspace, the recent list and the folder browser. */
export interface WorkspaceSlice {
  workspace: Workspace | null;
  recent: readonly RecentWorkspace[];
  opening: boolean;
  workspaceError: string | null;
  browser: { listing: DirectoryListing | null; loading: boolean; error: string | null } | null;
  restoreWorkspace: (storage: Storage) => Promise<void>;
  openWorkspace: (path: string, storage?: Storage) => Promise<boolean>;
  closeWorkspace: (storage?: Storage) => Promise<void>;
  loadRecent: () => Promise<void>;
  forgetRecent: (path: string) => Promise<void>;
  pickNativeFolder: (storage?: Storage) => Promise<void>;
  openBrowser: (path?: string) => Promise<void>;
  closeBrowser: () => void;
  workspaceChanged: (workspace: Workspace | null) => void;
  /** The trust dialog: open on a folder never asked about, or when the top bar's badge is used. */
  trustDialogOpen: boolean;
  openTrustDialog: () => void;
  closeTrustDialog: () => void;
  setTrust: (trust: WorkspaceTrust) => Promise<boolean>;
}

export const createWorkspaceSlice =
  (api: BridgeApi): StateCreator<RootState, [], [], WorkspaceSlice> =>
  (set, get) => ({
    workspace: null,
    recent: [],
    opening: false,
    workspaceError: null,
    browser: null,
    trustDialogOpen: false,

    openTrustDialog: () => set({ trustDialogOpen: true }),
    closeTrustDialog: () => set({ trustDialogOpen: false }),
    setTrust: async (trust) => {
      try {
        const workspace = await api.workspace.setTrust({ trust });
        set({ workspace, trustDialogOpen: false, workspaceError: null });
        return true;
      } catch (error) {
        set({ workspaceError: errorMessage(error) });
        return false;
      }
    },

    restoreWorkspace: async (storage) => {
      // The host remembers a window's workspace; a browser tab re-opens the one it had.
      const current = await api.workspace.getCurrent().catch(() => null);
      if (current) {
        set({ workspace: current, trustDialogOpen: current.trust === null });
        return;
      }
      const last = storage.getItem(LAST_WORKSPACE_KEY);
      if (last) await get().openWorkspace(last, storage);
    },

    openWorkspace: async (path, storage) => {
      const trimmed = path.trim();
      if (!trimmed) {
        set({ workspaceError: 'Type the path of a folder to open.' });
        return false;
      }
      set({ opening: true, workspaceError: null });
      try {
        const workspace = await api.workspace.open({ path: trimmed });
        storage?.setItem(LAST_WORKSPACE_KEY, workspace.path);
        // A folder never asked about asks now, before anything runs in it.
        set({
          workspace,
          opening: false,
          browser: null,
          trustDialogOpen: workspace.trust === null,
        });
        await get().loadRecent();
        return true;
      } catch (error) {
        set({ opening: false, workspaceError: errorMessage(error) });
        return false;
      }
    },

    closeWorkspace: async (storage) => {
      await api.workspace.close();
      storage?.removeItem(LAST_WORKSPACE_KEY);
      set({ workspace: null });
    },

    loadRecent: async () => {
      try {
        set({ recent: await api.workspace.listRecent() });
      } catch (error) {
        // A lost connection is shown once, by the connection banner, not again here.
        if (!(error instanceof BridgeError && error.code === 'unavailable')) {
          set({ workspaceError: errorMessage(error) });
        }
      }
    },

    forgetRecent: async (path) => {
      try {
        set({ recent: await api.workspace.forgetRecent({ path }) });
      } catch (error) {
        set({ workspaceError: errorMessage(error) });
      }
    },

    pickNativeFolder: async (storage) => {
      try {
        const picked = await api.workspace.pickFolder();
        if (picked) await get().openWorkspace(picked, storage);
      } catch (error) {
        set({ workspaceError: errorMessage(error) });
      }
    },

    openBrowser: async (path) => {
      set((s) => ({
        browser: { listing: s.browser?.listing ?? null, loading: true, error: null },
      }));
      try {
        const listing = await api.workspace.listDirectory(path === undefined ? {} : { path });
        set({ browser: { listing, loading: false, error: null } });
      } catch (error) {
        set((s) => ({
          browser: {
            listing: s.browser?.listing ?? null,
            loading: false,
            error: errorMessage(error),
          },
        }));
      }
    },

    closeBrowser: () => set({ browser: null }),
    workspaceChanged: (workspace) => set({ workspace }),
  });
