import type { StateCreator } from 'zustand';
import type { McpActionResult, McpList } from '../../shared/domain/mcp';
import type { BridgeApi } from '../../shared/ipc/api';
import { errorMessage } from './app-slice';
import type { McpDraft, McpDraftErrors } from './mcp-draft';
import type { RootState } from './root-store';

/** What is being done to a server (or by the Add form) while main works on it. */
export type McpAction =
  | 'adding'
  | 'removing'
  | 'enabling'
  | 'disabling'
  | 'starting'
  | 'stopping'
  | 'restarting'
  | 'approving'
  | 'saving secret'
  | 'deleting secret';

/** The last thing that happened to a server, shown beside it; nothing once an action succeeds. */
export type McpNote =
  | { readonly kind: 'busy'; readonly action: McpAction }
  | { readonly kind: 'error'; readonly message: string };

/** A server's stderr, fetched when the person asks for it. */
export type McpLog =
  | { readonly state: 'loading' }
  | { readonly state: 'loaded'; readonly lines: readonly string[] }
  | { readonly state: 'error'; readonly message: string };

/** MCP servers as main runs them: the list (live), per-server notes and logs. */
export interface McpSlice {
  mcp:
    | { readonly state: 'idle' }
    | { readonly state: 'loading' }
    | { readonly state: 'loaded'; readonly list: McpList }
    | { readonly state: 'error'; readonly message: string };
  /** By server name; `''` is the Add form's. */
  mcpNotes: Readonly<Record<string, McpNote>>;
  /** By server name: logs shown (absent: hidden). */
  mcpLogs: Readonly<Record<string, McpLog>>;
  loadMcp: () => Promise<void>;
  /** main's `mcp:changed`: the list as it is now. */
  mcpChanged: (list: McpList) => void;
  /** Listen for `mcp:changed` (once, at startup); returns the unsubscribe. */
  subscribeMcp: () => () => void;
  /**
   * Add a server to the user file. Resolves to null when added, else the draft's problems per
   * field (empty when main refused it: its reason is then the Add form's note, `''`).
   */
  addMcpServer: (draft: McpDraft) => Promise<McpDraftErrors | null>;
  removeMcpServer: (name: string) => Promise<void>;
  setMcpEnabled: (name: string, enabled: boolean) => Promise<void>;
  /** `[mcp] enabled` in the user file (the banner's "Turn MCP on"). */
  setAllMcpEnabled: (enabled: boolean) => Promise<void>;
  startMcpServer: (name: string) => Promise<void>;
  stopMcpServer: (name: string) => Promise<void>;
  restartMcpServer: (name: string) => Promise<void>;
  /** Approve the exact command line shown for a workspace-declared server (main starts it). */
  approveMcpServer: (name: string, commandLine: string) => Promise<void>;
  /** Hand a secret to main for one server; resolves true when stored. The caller clears its input. */
  setMcpSecret: (server: string, name: string, value: string) => Promise<boolean>;
  deleteMcpSecret: (server: string, name: string) => Promise<void>;
  /** Fetch (or fetch again) a server's stderr and show it. */
  loadMcpLog: (name: string) => Promise<void>;
  hideMcpLog: (name: string) => void;
}

export const createMcpSlice =
  (api: BridgeApi): StateCreator<RootState, [], [], McpSlice> =>
  (set, get) => {
    // Bumped by every `mcp:changed`. A reply to a request sent before the latest event may
    // describe an older state; the event is as new or newer, so that reply's list is dropped.
    let changes = 0;
    const note = (name: string, value: McpNote | null) =>
      set((s) => {
        const { [name]: _old, ...rest } = s.mcpNotes;
        return { mcpNotes: value ? { ...rest, [name]: value } : rest };
      });
    const showList = (list: McpList, seen: number) => {
      if (seen === changes) set({ mcp: { state: 'loaded', list } });
    };
    /** Run one action for `name`: busy while it runs, its error beside it, the new list shown. */
    const act = async (
      name: string,
      action: McpAction,
      run: () => Promise<McpActionResult>,
    ): Promise<boolean> => {
      const seen = changes;
      note(name, { kind: 'busy', action });
      try {
        const result = await run();
        if (!result.ok) {
          note(name, { kind: 'error', message: result.error });
          return false;
        }
        showList(result.list, seen);
        note(name, null);
        return true;
      } catch (error) {
        note(name, { kind: 'error', message: errorMessage(error) });
        return false;
      }
    };

    return {
      mcp: { state: 'idle' },
      mcpNotes: {},
      mcpLogs: {},

      loadMcp: async () => {
        if (get().mcp.state !== 'loaded') set({ mcp: { state: 'loading' } });
        const seen = changes;
        try {
          showList(await api.mcp.list(), seen);
        } catch (error) {
          if (get().mcp.state !== 'loaded')
            set({ mcp: { state: 'error', message: errorMessage(error) } });
        }
      },

      mcpChanged: (list) => {
        changes += 1;
        set({ mcp: { state: 'loaded', list } });
      },

      subscribeMcp: () => api.mcp.onChanged((list) => get().mcpChanged(list)),

      addMcpServer: async (draft) => {
        // The draft's checks need the MCP schemas (and zod): loaded when first used (issue 18).
        const { buildMcpAddRequest } = await import('./mcp-draft');
        const built = buildMcpAddRequest(draft);
        if (!built.ok) {
          note('', null);
          return built.errors;
        }
        return (await act('', 'adding', () => api.mcp.add(built.request))) ? null : {};
      },

      removeMcpServer: async (name) => {
        if (await act(name, 'removing', () => api.mcp.remove({ name })))
          set((s) => {
            const { [name]: _gone, ...logs } = s.mcpLogs;
            return { mcpLogs: logs };
          });
      },

      setMcpEnabled: async (name, enabled) => {
        await act(name, enabled ? 'enabling' : 'disabling', () =>
          api.mcp.setEnabled({ name, enabled }),
        );
      },

      setAllMcpEnabled: async (enabled) => {
        await act('', enabled ? 'enabling' : 'disabling', () => api.mcp.setAllEnabled({ enabled }));
      },

      startMcpServer: async (name) => {
        await act(name, 'starting', () => api.mcp.start({ name }));
      },

      stopMcpServer: async (name) => {
        await act(name, 'stopping', () => api.mcp.stop({ name }));
      },

      restartMcpServer: async (name) => {
        await act(name, 'restarting', () => api.mcp.restart({ name }));
      },

      approveMcpServer: async (name, commandLine) => {
        await act(name, 'approving', () => api.mcp.approve({ name, commandLine }));
      },

      setMcpSecret: async (server, name, value) => {
        const variable = name.trim();
        const { isMcpEnvName } = await import('./mcp-draft');
        if (!isMcpEnvName(variable)) {
          note(server, {
            kind: 'error',
            message: `“${variable}” is not a variable name (letters, digits and "_").`,
          });
          return false;
        }
        if (value === '') {
          note(server, { kind: 'error', message: 'Type the secret’s value.' });
          return false;
        }
        // The value goes to main only; nothing here keeps it.
        return act(server, 'saving secret', () =>
          api.mcp.setSecret({ server, name: variable, value }),
        );
      },

      deleteMcpSecret: async (server, name) => {
        await act(server, 'deleting secret', () => api.mcp.deleteSecret({ server, name }));
      },

      loadMcpLog: async (name) => {
        const put = (log: McpLog) => set((s) => ({ mcpLogs: { ...s.mcpLogs, [name]: log } }));
        if (get().mcpLogs[name]?.state !== 'loaded') put({ state: 'loading' });
        try {
          const { lines } = await api.mcp.stderr({ name });
          // Hidden while it loaded: stay hidden.
          if (get().mcpLogs[name]) put({ state: 'loaded', lines });
        } catch (error) {
          if (get().mcpLogs[name]) put({ state: 'error', message: errorMessage(error) });
        }
      },

      hideMcpLog: (name) =>
        set((s) => {
          const { [name]: _hidden, ...logs } = s.mcpLogs;
          return { mcpLogs: logs };
        }),
    };
  };

/** One server's note (`''`: the Add form's), or undefined. */
export const selectMcpNote = (name: string) => (s: RootState) => s.mcpNotes[name];

/** One server as listed now, or undefined. */
export const selectMcpServer = (name: string) => (s: RootState) =>
  s.mcp.state === 'loaded' ? s.mcp.list.servers.find((v) => v.name === name) : undefined;
