import type { StateCreator } from 'zustand';
import type {
  AgentEvent,
  AgentMode,
  ApprovalAnswer,
  SessionGrant,
  SessionSummary,
} from '../../shared/domain/agent';
import type { AlwaysAllowPreview, OpenedSessionView } from '../../shared/domain/agent-bridge';
import type { BridgeApi } from '../../shared/ipc/api';
import type { EventPayload } from '../../shared/ipc/contract';
import {
  emptyConversation,
  foldEvents,
  replayConversation,
  type ConversationState,
} from '../features/conversation/conversation-reducer';
import { animationFrame, type FrameScheduler } from '../features/terminal/output-pump';
import { BridgeError } from '../../shared/ipc/errors';
import { errorMessage } from './app-slice';
import type { RootState } from './root-store';

export type AgentEventMessage = EventPayload<'agent:event'>;

/** A prompt decision waiting for the user, in the order the agent asked. */
export type PendingApproval = Extract<AgentEvent, { type: 'tool-call-awaiting-approval' }> & {
  readonly sessionId: string;
};

/** Provider, model and base URL for new sessions, as typed (empty = the config's default). */
export interface SessionChoice {
  readonly provider: string;
  readonly model: string;
  readonly baseUrl: string;
}

/** The open session, its conversation, and the approvals waiting for an answer. */
export interface ConversationSlice {
  conversation: ConversationState;
  activeSession: SessionSummary | null;
  /** Opening a session: a union, so the header can say what is happening. */
  sessionOpening:
    { readonly state: 'idle' } | { readonly state: 'opening'; readonly kind: 'new' | 'resume' };
  sessionWarnings: readonly string[];
  sessionChoice: SessionChoice;
  conversationError: string | null;
  approvals: readonly PendingApproval[];
  /** The open session's "allow for this session" grants, as main holds them (memory only). */
  sessionGrants: readonly SessionGrant[];
  /** Revoke a grant of the open session: its next matching call asks again. */
  revokeGrant: (grantId: string) => Promise<boolean>;
  /** Ask main for the open session's grants again. */
  loadGrants: () => Promise<void>;
  /** The mode of the next message (plan, ask, auto-edit, full auto), kept per session. */
  agentMode: AgentMode;
  sessionModes: Readonly<Record<string, AgentMode>>;
  setAgentMode: (mode: AgentMode) => void;
  /** `[agent] default_primary_agent`: the mode of new sessions until the person picks one. */
  applyDefaultMode: (mode: AgentMode) => void;
  modeTouched: boolean;
  setSessionChoice: (choice: Partial<SessionChoice>) => void;
  /**
   * Start a new session. The view is cleared at once (the window no longer shows the old one);
   * when the host cannot start it, the view stays empty with the reason, so the next message
   * tries a new session again and never lands in the old one.
   */
  startSession: () => Promise<boolean>;
  resumeSession: (sessionId: string) => Promise<boolean>;
  /** Forget the open session (another workspace, or the session was deleted). */
  closeSession: () => void;
  /**
   * Send a message to `target`: the id of the session the composer showed, or `new` (none shown:
   * a new session is started for it). Refused when the view changed since.
   */
  sendMessage: (text: string, target?: string) => Promise<boolean>;
  stopTurn: () => Promise<void>;
  revertChanges: (changeIds: readonly string[]) => Promise<void>;
  revertTurn: (turnId: string) => Promise<void>;
  answerApproval: (answer: ApprovalAnswer) => Promise<boolean>;
  previewAlwaysAllow: (
    approvalId: string,
    scope: 'exact' | 'subcommand',
  ) => Promise<AlwaysAllowPreview>;
  dismissConversationError: () => void;
  /** Queue one pushed event; the queue is folded once per animation frame. */
  agentEvent: (message: AgentEventMessage) => void;
  /** Fold the queued events now (tests; before reading state synchronously). */
  flushAgentEvents: () => void;
}

function choiceRequest(choice: SessionChoice) {
  return {
    ...(choice.provider.trim() ? { provider: choice.provider.trim() } : {}),
    ...(choice.model.trim() ? { model: choice.model.trim() } : {}),
    ...(choice.baseUrl.trim() ? { baseUrl: choice.baseUrl.trim() } : {}),
  };
}

/**
 * Applies streamed events on an animation frame, but at most ~10 times a second: re-rendering a
 * long Markdown answer 60 times a second costs more than it shows.
 */
let lastFlush = 0;
const STREAM_INTERVAL_MS = 100;

/** What to do when a new session could not start, by the host's error code. */
function startHint(error: unknown): string {
  const code = error instanceof BridgeError ? error.code : null;
  if (code === 'unavailable')
    return 'Or choose another provider above; your next message starts a new session.';
  if (code === 'invalid-argument')
    return 'Check the provider, model and base URL above (or [agent] in vtcode.toml); your next message starts a new session.';
  return 'Your next message tries a new session again.';
}

/** The banner for a New session that failed: why, what to do, and what the window shows now. */
export function newSessionFailure(error: unknown, previous: SessionSummary | null): string {
  const reason = errorMessage(error).replace(/\s*$/, '');
  const shown = previous
    ? ` Nothing is open now: “${previous.title}” stays in the list, and nothing you send goes to it.`
    : '';
  return `Could not start a new session: ${/[.!?]$/.test(reason) ? reason : `${reason}.`} ${startHint(error)}${shown}`;
}
const streamFrame: FrameScheduler = (callback) => {
  const wait = Math.max(0, lastFlush + STREAM_INTERVAL_MS - Date.now());
  const run = () =>
    animationFrame(() => {
      lastFlush = Date.now();
      callback();
    });
  if (wait === 0) run();
  else setTimeout(run, wait);
};

export const createConversationSlice =
  (
    api: BridgeApi,
    options: { schedule?: FrameScheduler } = {},
  ): StateCreator<RootState, [], [], ConversationSlice> =>
  (set, get) => {
    const schedule = options.schedule ?? streamFrame;
    let queue: AgentEventMessage[] = [];
    let scheduled = false;

    const flush = () => {
      scheduled = false;
      if (queue.length === 0) return;
      const batch = queue;
      queue = [];
      const activeId = get().activeSession?.id ?? null;
      const mine = batch.filter((m) => m.sessionId === activeId).map((m) => m.event);
      let approvals = get().approvals;
      const finished: { sessionId: string; at: string }[] = [];
      let grants: readonly SessionGrant[] | null = null;
      for (const { sessionId, event } of batch) {
        if (event.type === 'grants-changed' && sessionId === activeId) grants = event.grants;
        if (event.type === 'tool-call-awaiting-approval')
          approvals = [...approvals, { ...event, sessionId }];
        if (event.type === 'approval-resolved')
          approvals = approvals.filter((a) => a.approvalId !== event.approvalId);
        if (event.type === 'turn-finished') finished.push({ sessionId, at: event.at });
      }
      set((s) => ({
        approvals,
        ...(grants ? { sessionGrants: grants } : {}),
        ...(mine.length > 0 ? { conversation: foldEvents(s.conversation, mine) } : {}),
      }));
      // A finished turn changes the session's turn count and its place in the list.
      for (const f of finished) get().noteTurnFinished(f.sessionId, f.at);
    };

    const opened = (view: OpenedSessionView) =>
      set((s) => {
        // A new session takes the mode picked before it; a resumed one its own.
        const mode = s.sessionModes[view.session.id] ?? s.agentMode;
        return {
          agentMode: mode,
          sessionModes: { ...s.sessionModes, [view.session.id]: mode },
          activeSession: view.session,
          conversation: replayConversation(view.events),
          sessionWarnings: view.warnings,
          sessionGrants: view.grants ?? [],
          sessionOpening: { state: 'idle' } as const,
          conversationError: null,
        };
      });

    /** Counts opens: only the latest start or resume decides what the window shows. */
    let openTicket = 0;
    /** The started session with no message yet, and the chooser's values it was started with. */
    let draft: { id: string; choice: string } | null = null;

    const openWith = async (
      kind: 'new' | 'resume',
      task: () => Promise<OpenedSessionView>,
    ): Promise<boolean> => {
      const ticket = ++openTicket;
      flush();
      const previous = get().activeSession;
      set({ sessionOpening: { state: 'opening', kind }, conversationError: null });
      // The host leaves the shown session at once for a new one: so does the view.
      if (kind === 'new') clearView();
      try {
        const view = await task();
        if (ticket !== openTicket) return false;
        opened(view);
        void get().loadSessions();
        return true;
      } catch (error) {
        if (ticket !== openTicket) return false;
        set({
          sessionOpening: { state: 'idle' },
          conversationError:
            kind === 'new' ? newSessionFailure(error, previous) : errorMessage(error),
        });
        return false;
      }
    };

    /** No session shown: the next message starts a new one. */
    const clearView = () => {
      queue = [];
      set({
        activeSession: null,
        conversation: emptyConversation,
        sessionWarnings: [],
        sessionGrants: [],
      });
    };

    const revert = async (target: { changeIds: string[] } | { turnId: string }) => {
      const session = get().activeSession;
      if (!session) return;
      try {
        await api.agent.revert({ sessionId: session.id, ...target });
      } catch (error) {
        set({ conversationError: errorMessage(error) });
      }
    };

    return {
      conversation: emptyConversation,
      activeSession: null,
      sessionOpening: { state: 'idle' },
      sessionWarnings: [],
      sessionChoice: { provider: '', model: '', baseUrl: '' },
      conversationError: null,
      approvals: [],
      sessionGrants: [],
      agentMode: 'ask',
      sessionModes: {},
      modeTouched: false,

      applyDefaultMode: (mode) =>
        set((s) => (s.modeTouched || s.activeSession ? {} : { agentMode: mode })),

      setAgentMode: (mode) =>
        set((s) => ({
          modeTouched: true,
          agentMode: mode,
          sessionModes: s.activeSession
            ? { ...s.sessionModes, [s.activeSession.id]: mode }
            : s.sessionModes,
        })),

      setSessionChoice: (choice) =>
        set((s) => ({ sessionChoice: { ...s.sessionChoice, ...choice } })),

      startSession: async () => {
        const request = choiceRequest(get().sessionChoice);
        let started: string | null = null;
        const ok = await openWith('new', async () => {
          const view = await api.agent.startSession(request);
          started = view.session.id;
          return view;
        });
        if (ok && started) draft = { id: started, choice: JSON.stringify(request) };
        return ok;
      },

      // A session keeps its own provider and model; a base URL typed here still applies.
      resumeSession: (sessionId) => {
        const { baseUrl } = choiceRequest(get().sessionChoice);
        return openWith('resume', () =>
          api.agent.resumeSession({ sessionId, ...(baseUrl ? { baseUrl } : {}) }),
        );
      },

      closeSession: () => {
        // An open still under way does not land after this.
        openTicket += 1;
        clearView();
        set({ sessionOpening: { state: 'idle' }, conversationError: null, approvals: [] });
      },

      sendMessage: async (text, target) => {
        const prompt = text.trim();
        if (!prompt) return false;
        const shownId = get().activeSession?.id ?? 'new';
        if (
          get().sessionOpening.state === 'opening' ||
          (target !== undefined && target !== shownId)
        ) {
          set({
            conversationError:
              'Not sent: the session on screen changed while you were writing. Check which session is open, then send again.',
          });
          return false;
        }
        const shown = get().activeSession;
        // A new session nobody wrote in yet follows the chooser: changed since, it starts again.
        const stale =
          shown !== null &&
          draft?.id === shown.id &&
          draft.choice !== JSON.stringify(choiceRequest(get().sessionChoice));
        if ((!shown || stale) && !(await get().startSession())) return false;
        const session = get().activeSession;
        if (!session) return false;
        const before = get().conversation.run;
        set((s) => ({
          conversation: { ...s.conversation, run: { state: 'streaming', turnId: null } },
          conversationError: null,
        }));
        try {
          const written = await api.agent.send({
            sessionId: session.id,
            prompt,
            mode: get().agentMode,
          });
          // The host wrote the session (a new one named after this message): list it now.
          if (draft?.id === written.id) draft = null;
          get().noteSessionWritten(written);
          return true;
        } catch (error) {
          set((s) =>
            s.activeSession?.id === session.id
              ? {
                  conversation: { ...s.conversation, run: before },
                  conversationError: errorMessage(error),
                }
              : { conversationError: errorMessage(error) },
          );
          return false;
        }
      },

      stopTurn: async () => {
        const session = get().activeSession;
        if (!session) return;
        try {
          await api.agent.cancel({ sessionId: session.id });
        } catch (error) {
          set({ conversationError: errorMessage(error) });
        }
      },

      revertChanges: (changeIds) => revert({ changeIds: [...changeIds] }),
      revertTurn: (turnId) => revert({ turnId }),

      answerApproval: async (answer) => {
        try {
          await api.agent.answerApproval(answer);
          // The resolved event removes it too; removing now keeps a double press from re-answering.
          set((s) => ({
            approvals: s.approvals.filter((a) => a.approvalId !== answer.approvalId),
          }));
          return true;
        } catch (error) {
          set({ conversationError: errorMessage(error) });
          return false;
        }
      },

      revokeGrant: async (grantId) => {
        const session = get().activeSession;
        if (!session) return false;
        try {
          const left = await api.agent.revokeGrant({ sessionId: session.id, grantId });
          if (get().activeSession?.id === session.id) set({ sessionGrants: left });
          return true;
        } catch (error) {
          set({ conversationError: errorMessage(error) });
          // Whatever happened, show what main holds now.
          await get().loadGrants();
          return false;
        }
      },

      loadGrants: async () => {
        const session = get().activeSession;
        if (!session) return;
        try {
          const grants = await api.agent.listGrants({ sessionId: session.id });
          if (get().activeSession?.id === session.id) set({ sessionGrants: grants });
        } catch (error) {
          set({ conversationError: errorMessage(error) });
        }
      },

      previewAlwaysAllow: (approvalId, scope) =>
        api.agent.previewAlwaysAllow({ approvalId, scope }),

      dismissConversationError: () => set({ conversationError: null }),

      agentEvent: (message) => {
        queue.push(message);
        if (scheduled) return;
        scheduled = true;
        schedule(flush);
      },

      flushAgentEvents: flush,
    };
  };

/** The run state of the open session. */
export const selectRun = (s: RootState) => s.conversation.run;
/** True while a turn is in flight (the Stop button shows, Send waits). */
export const selectBusy = (s: RootState) =>
  s.conversation.run.state !== 'idle' && s.conversation.run.state !== 'error';
