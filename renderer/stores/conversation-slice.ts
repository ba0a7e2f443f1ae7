import type { StateCreator } from 'zustand';
import type {
  AgentEvent,
  AgentMode,
  ApprovalAnswer,
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
  sessionOpening: { readonly state: 'idle' } | { readonly state: 'opening' };
  sessionWarnings: readonly string[];
  sessionChoice: SessionChoice;
  conversationError: string | null;
  approvals: readonly PendingApproval[];
  /** The mode of the next message (plan, ask, auto-edit, full auto), kept per session. */
  agentMode: AgentMode;
  sessionModes: Readonly<Record<string, AgentMode>>;
  setAgentMode: (mode: AgentMode) => void;
  /** `[agent] default_primary_agent`: the mode of new sessions until the person picks one. */
  applyDefaultMode: (mode: AgentMode) => void;
  modeTouched: boolean;
  setSessionChoice: (choice: Partial<SessionChoice>) => void;
  /** Start a new session; `title` defaults to the host's "New session". */
  startSession: (title?: string) => Promise<boolean>;
  resumeSession: (sessionId: string) => Promise<boolean>;
  /** Forget the open session (another workspace, or the session was deleted). */
  closeSession: () => void;
  sendMessage: (text: string) => Promise<boolean>;
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

/** A session title from its first message: the first line, cut at a word near 60 characters. */
export function titleFrom(prompt: string): string {
  const line = prompt.split('\n', 1)[0]?.trim() ?? '';
  if (line.length <= 60) return line;
  const cut = line.slice(0, 60);
  const space = cut.lastIndexOf(' ');
  return `${(space > 30 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * Applies streamed events on an animation frame, but at most ~10 times a second: re-rendering a
 * long Markdown answer 60 times a second costs more than it shows.
 */
let lastFlush = 0;
const STREAM_INTERVAL_MS = 100;
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
      for (const { sessionId, event } of batch) {
        if (event.type === 'tool-call-awaiting-approval')
          approvals = [...approvals, { ...event, sessionId }];
        if (event.type === 'approval-resolved')
          approvals = approvals.filter((a) => a.approvalId !== event.approvalId);
        if (event.type === 'turn-finished') finished.push({ sessionId, at: event.at });
      }
      set((s) => ({
        approvals,
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
          sessionOpening: { state: 'idle' } as const,
          conversationError: null,
        };
      });

    const openWith = async (task: () => Promise<OpenedSessionView>): Promise<boolean> => {
      flush();
      set({ sessionOpening: { state: 'opening' }, conversationError: null });
      try {
        opened(await task());
        void get().loadSessions();
        return true;
      } catch (error) {
        set({ sessionOpening: { state: 'idle' }, conversationError: errorMessage(error) });
        return false;
      }
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

      startSession: (title) =>
        openWith(() =>
          api.agent.startSession({
            ...choiceRequest(get().sessionChoice),
            ...(title ? { title } : {}),
          }),
        ),

      // A session keeps its own provider and model; a base URL typed here still applies.
      resumeSession: (sessionId) => {
        const { baseUrl } = choiceRequest(get().sessionChoice);
        return openWith(() =>
          api.agent.resumeSession({ sessionId, ...(baseUrl ? { baseUrl } : {}) }),
        );
      },

      closeSession: () => {
        queue = [];
        set({
          activeSession: null,
          conversation: emptyConversation,
          sessionWarnings: [],
          conversationError: null,
          approvals: [],
        });
      },

      sendMessage: async (text) => {
        const prompt = text.trim();
        if (!prompt) return false;
        if (!get().activeSession && !(await get().startSession(titleFrom(prompt)))) return false;
        const session = get().activeSession;
        if (!session) return false;
        const before = get().conversation.run;
        set((s) => ({
          conversation: { ...s.conversation, run: { state: 'streaming', turnId: null } },
          conversationError: null,
        }));
        try {
          await api.agent.send({ sessionId: session.id, prompt, mode: get().agentMode });
          return true;
        } catch (error) {
          set((s) => ({
            conversation: { ...s.conversation, run: before },
            conversationError: errorMessage(error),
          }));
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
