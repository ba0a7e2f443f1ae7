import type { StateCreator } from 'zustand';
import type { SessionSummary } from '../../shared/domain/agent';
import type { ExportSessionResult, SessionSearchResult } from '../../shared/domain/agent-bridge';
import type { BridgeApi } from '../../shared/ipc/api';
import { BridgeError } from '../../shared/ipc/errors';
import { errorMessage } from './app-slice';
import type { RootState } from './root-store';

export type SessionsLoad =
  | { readonly state: 'idle' }
  | { readonly state: 'loading'; readonly list: readonly SessionSummary[] }
  | { readonly state: 'ready'; readonly list: readonly SessionSummary[] }
  | { readonly state: 'error'; readonly message: string };

/** The full-text search of the sessions for what is typed in the search box. */
export type SessionSearch =
  | { readonly state: 'idle' }
  | { readonly state: 'searching'; readonly query: string }
  | { readonly state: 'ready'; readonly result: SessionSearchResult }
  | { readonly state: 'error'; readonly query: string; readonly message: string };

/** How long typing must pause before the host is asked (one search per pause, not per key). */
export const SEARCH_DEBOUNCE_MS = 200;
/** The most sessions a search lists. */
export const SEARCH_LIMIT = 50;

/** The open workspace's sessions: the list, its search, and rename/delete/export. */
export interface SessionsSlice {
  sessions: SessionsLoad;
  sessionFilter: string;
  sessionSearch: SessionSearch;
  sessionsError: string | null;
  /** What the last action did (an export's file), shown until dismissed or replaced. */
  sessionsNotice: string | null;
  loadSessions: () => Promise<void>;
  /** Set the search text; the host is asked once typing pauses. */
  setSessionFilter: (filter: string) => void;
  /** Ask the host now for the current search text (after the pause, or after a list change). */
  runSessionSearch: () => Promise<void>;
  /** The host wrote a session (its first message names it): list it first, update the view. */
  noteSessionWritten: (summary: SessionSummary) => void;
  dismissSessionsNotice: () => void;
  renameSession: (sessionId: string, title: string) => Promise<boolean>;
  deleteSession: (sessionId: string) => Promise<boolean>;
  /**
   * Export a session as Markdown: the desktop app asks where to save it; a page downloads it with
   * `download`. The notice says what was written where; null when the host refused (error shown).
   */
  exportSession: (
    sessionId: string,
    download: (markdown: string, fileName: string) => void,
  ) => Promise<ExportSessionResult | null>;
  dismissSessionsError: () => void;
  /**
   * A turn ended: move the session to the top, without asking the host (the turn was counted when
   * it started, in the summary the send replied with).
   */
  noteTurnFinished: (sessionId: string, at: string) => void;
}

function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}

const listOf = (load: SessionsLoad): readonly SessionSummary[] =>
  load.state === 'ready' || load.state === 'loading' ? load.list : [];

export const createSessionsSlice =
  (api: BridgeApi): StateCreator<RootState, [], [], SessionsSlice> =>
  (set, get) => {
    let searchTimer: ReturnType<typeof setTimeout> | null = null;
    let searchTicket = 0;
    /** Sessions written while a list read was under way: that read may predate them. */
    let writtenDuringLoad: SessionSummary[] = [];
    const scheduleSearch = () => {
      if (searchTimer) clearTimeout(searchTimer);
      searchTimer = setTimeout(() => {
        searchTimer = null;
        void get().runSessionSearch();
      }, SEARCH_DEBOUNCE_MS);
    };
    return {
      sessions: { state: 'idle' },
      sessionFilter: '',
      sessionSearch: { state: 'idle' },
      sessionsError: null,
      sessionsNotice: null,

      loadSessions: async () => {
        if (!get().workspace) {
          set({ sessions: { state: 'idle' } });
          return;
        }
        set((s) => ({ sessions: { state: 'loading', list: listOf(s.sessions) } }));
        writtenDuringLoad = [];
        try {
          const read = await api.agent.listSessions();
          // A session written while the host read the list may be missing from it, or older.
          const late = writtenDuringLoad.filter((w) => !read.some((x) => x.id === w.id));
          const list = [
            ...late,
            ...read.map((x) => writtenDuringLoad.find((w) => w.id === x.id) ?? x),
          ];
          set({ sessions: { state: 'ready', list } });
          // The list changed: what the search shows may have too.
          if (get().sessionFilter.trim()) scheduleSearch();
        } catch (error) {
          // A lost connection is shown once, by the connection banner.
          if (error instanceof BridgeError && error.code === 'unavailable') {
            set((s) => ({ sessions: { state: 'ready', list: listOf(s.sessions) } }));
          } else set({ sessions: { state: 'error', message: errorMessage(error) } });
        }
      },

      setSessionFilter: (sessionFilter) => {
        const query = sessionFilter.trim();
        if (!query) {
          if (searchTimer) clearTimeout(searchTimer);
          searchTimer = null;
          searchTicket += 1;
          set({ sessionFilter, sessionSearch: { state: 'idle' } });
          return;
        }
        set({ sessionFilter, sessionSearch: { state: 'searching', query } });
        scheduleSearch();
      },

      runSessionSearch: async () => {
        const query = get().sessionFilter.trim();
        const ticket = ++searchTicket;
        if (!query || !get().workspace) return;
        set({ sessionSearch: { state: 'searching', query } });
        try {
          const result = await api.agent.searchSessions({ query, limit: SEARCH_LIMIT });
          // Only the answer to the latest search counts; an overtaken one is partial anyway.
          if (ticket !== searchTicket || result.superseded) return;
          set({ sessionSearch: { state: 'ready', result } });
        } catch (error) {
          if (ticket !== searchTicket) return;
          set({ sessionSearch: { state: 'error', query, message: errorMessage(error) } });
        }
      },

      noteSessionWritten: (summary) => {
        writtenDuringLoad = [...writtenDuringLoad.filter((w) => w.id !== summary.id), summary];
        set((s) => ({
          ...(s.sessions.state === 'ready' || s.sessions.state === 'loading'
            ? {
                sessions: {
                  state: s.sessions.state,
                  list: [summary, ...s.sessions.list.filter((x) => x.id !== summary.id)],
                },
              }
            : {}),
          ...(s.activeSession?.id === summary.id ? { activeSession: summary } : {}),
        }));
      },

      dismissSessionsNotice: () => set({ sessionsNotice: null }),

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
            sessions: {
              state: 'ready',
              list: listOf(s.sessions).filter((x) => x.id !== sessionId),
            },
            sessionsError: null,
          }));
          return true;
        } catch (error) {
          set({ sessionsError: errorMessage(error) });
          return false;
        }
      },

      exportSession: async (sessionId, download) => {
        const title =
          listOf(get().sessions).find((x) => x.id === sessionId)?.title ?? 'The session';
        try {
          // The desktop app has a save dialog; a browser tab downloads.
          const to = get().info?.host === 'electron' ? 'file' : 'reply';
          const result = await api.agent.exportSession({ sessionId, to });
          switch (result.kind) {
            case 'markdown':
              download(result.markdown, result.fileName);
              set({
                sessionsNotice: `Exported “${title}” as ${result.fileName} (Markdown), into this browser’s downloads folder.`,
                sessionsError: null,
              });
              break;
            case 'saved':
              set({
                sessionsNotice: `Exported “${title}” as Markdown to ${result.path}.`,
                sessionsError: null,
              });
              break;
            case 'cancelled':
              set({ sessionsNotice: 'Export cancelled: nothing was saved.', sessionsError: null });
              break;
            default:
              assertNever(result);
          }
          return result;
        } catch (error) {
          set({ sessionsError: errorMessage(error), sessionsNotice: null });
          return null;
        }
      },

      dismissSessionsError: () => set({ sessionsError: null }),

      noteTurnFinished: (sessionId, at) =>
        set((s) => {
          const list = listOf(s.sessions);
          const found = list.find((x) => x.id === sessionId);
          if (s.sessions.state !== 'ready' || !found) return {};
          const bumped = { ...found, updatedAt: at };
          return {
            sessions: { state: 'ready', list: [bumped, ...list.filter((x) => x.id !== sessionId)] },
            ...(s.activeSession?.id === sessionId ? { activeSession: bumped } : {}),
          };
        }),
    };
  };

/** Sessions whose title contains the filter (any case), newest first as the host lists them. */
export function filterSessions(
  list: readonly SessionSummary[],
  filter: string,
): readonly SessionSummary[] {
  const needle = filter.trim().toLowerCase();
  return needle ? list.filter((s) => s.title.toLowerCase().includes(needle)) : list;
}

export const selectSessionList = (s: RootState) => listOf(s.sessions);
