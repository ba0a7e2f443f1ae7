import type { StateCreator } from 'zustand';
import type { SessionSummary } from '../../shared/domain/agent';
import type { BridgeApi } from '../../shared/ipc/api';
import { BridgeError } from '../../shared/ipc/errors';
import { errorMessage } from './app-slice';
import type { RootState } from './root-store';

export type SessionsLoad =
  | { readonly state: 'idle' }
  | { readonly state: 'loading'; readonly list: readonly SessionSummary[] }
  | { readonly state: 'ready'; readonly list: readonly SessionSummary[] }
  | { readonly state: 'error'; readonly message: string };

/** The open workspace's sessions: the list, its filter, and rename/delete/export. */
export interface SessionsSlice {
  sessions: SessionsLoad;
  sessionFilter: string;
  sessionsError: string | null;
  loadSessions: () => Promise<void>;
  setSessionFilter: (filter: string) => void;
  renameSession: (sessionId: string, title: string) => Promise<boolean>;
  deleteSession: (sessionId: string) => Promise<boolean>;
  /** The session as Markdown, or null when the host refused (the error is shown). */
  exportSession: (sessionId: string) => Promise<string | null>;
  dismissSessionsError: () => void;
  /** A turn ended: count it and move the session to the top, without asking the host. */
  noteTurnFinished: (sessionId: string, at: string) => void;
}

const listOf = (load: SessionsLoad): readonly SessionSummary[] =>
  load.state === 'ready' || load.state === 'loading' ? load.list : [];

export const createSessionsSlice =
  (api: BridgeApi): StateCreator<RootState, [], [], SessionsSlice> =>
  (set, get) => ({
    sessions: { state: 'idle' },
    sessionFilter: '',
    sessionsError: null,

    loadSessions: async () => {
      if (!get().workspace) {
        set({ sessions: { state: 'idle' } });
        return;
      }
      set((s) => ({ sessions: { state: 'loading', list: listOf(s.sessions) } }));
      try {
        const list = await api.agent.listSessions();
        set({ sessions: { state: 'ready', list } });
      } catch (error) {
        // A lost connection is shown once, by the connection banner.
        if (error instanceof BridgeError && error.code === 'unavailable') {
          set((s) => ({ sessions: { state: 'ready', list: listOf(s.sessions) } }));
        } else set({ sessions: { state: 'error', message: errorMessage(error) } });
      }
    },

    setSessionFilter: (sessionFilter) => set({ sessionFilter }),

    renameSession: async (sessionId, title) => {
      if (!title.trim()) {
        set({ sessionsError: 'A session needs a title.' });
        return false;
      }
      try {
        const summary = await api.agent.renameSession({ sessionId, title: title.trim() });
        set((s) => ({
          sessions: {
            state: 'ready',
            list: listOf(s.sessions).map((x) => (x.id === sessionId ? summary : x)),
          },
          sessionsError: null,
          ...(s.activeSession?.id === sessionId ? { activeSession: summary } : {}),
        }));
        return true;
      } catch (error) {
        set({ sessionsError: errorMessage(error) });
        return false;
      }
    },

    deleteSession: async (sessionId) => {
      try {
        await api.agent.deleteSession({ sessionId });
        if (get().activeSession?.id === sessionId) get().closeSession();
        set((s) => ({
          sessions: { state: 'ready', list: listOf(s.sessions).filter((x) => x.id !== sessionId) },
          sessionsError: null,
        }));
        return true;
      } catch (error) {
        set({ sessionsError: errorMessage(error) });
        return false;
      }
    },

    exportSession: async (sessionId) => {
      try {
        const { markdown } = await api.agent.exportSession({ sessionId });
        return markdown;
      } catch (error) {
        set({ sessionsError: errorMessage(error) });
        return null;
      }
    },

    dismissSessionsError: () => set({ sessionsError: null }),

    noteTurnFinished: (sessionId, at) =>
      set((s) => {
        const list = listOf(s.sessions);
        const found = list.find((x) => x.id === sessionId);
        if (s.sessions.state !== 'ready' || !found) return {};
        const bumped = { ...found, turns: found.turns + 1, updatedAt: at };
        return {
          sessions: { state: 'ready', list: [bumped, ...list.filter((x) => x.id !== sessionId)] },
          ...(s.activeSession?.id === sessionId ? { activeSession: bumped } : {}),
        };
      }),
  });

/** Sessions whose title contains the filter (any case), newest first as the host lists them. */
export function filterSessions(
  list: readonly SessionSummary[],
  filter: string,
): readonly SessionSummary[] {
  const needle = filter.trim().toLowerCase();
  return needle ? list.filter((s) => s.title.toLowerCase().includes(needle)) : list;
}

export const selectSessionList = (s: RootState) => listOf(s.sessions);
