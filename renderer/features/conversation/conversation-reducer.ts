import type { AgentError, AgentEvent, AgentUsage, TurnOutcome } from '../../../shared/domain/agent';
import { addUsage } from '../../../shared/domain/agent-usage';
import type { Decision, RuleRef } from '../../../shared/domain/policy';

/*
 * Agent events folded into what the conversation shows. Pure: the live stream and a resumed
 * session's log go through the same function, so both render alike.
 */

export type RunState =
  | { readonly state: 'idle' }
  | { readonly state: 'streaming'; readonly turnId: string | null }
  | { readonly state: 'awaiting-approval'; readonly turnId: string; readonly callId: string }
  | { readonly state: 'running-tool'; readonly turnId: string; readonly callId: string }
  | { readonly state: 'error'; readonly message: string };

export interface FileChangeView {
  readonly changeId: string;
  readonly path: string;
  readonly before: string | null;
  readonly after: string | null;
  readonly reverted: boolean;
}

export type ToolCallStatus =
  'deciding' | 'awaiting-approval' | 'running' | 'ok' | 'error' | 'denied';

export interface ToolCallView {
  readonly kind: 'tool';
  readonly id: string;
  readonly turnId: string;
  readonly tool: string;
  readonly args: unknown;
  readonly status: ToolCallStatus;
  readonly decision: {
    readonly decision: Decision;
    readonly reason: string;
    readonly rule: RuleRef | null;
    /** The session grant that allowed it without asking, in its words. */
    readonly grant?: string;
  } | null;
  /** How a prompt was answered, and the reason the user gave when denying. */
  readonly approval: { readonly outcome: string; readonly reason: string | null } | null;
  /** Hosts its command connected to that were asked about, and the answers (network approvals). */
  readonly network?: readonly {
    readonly host: string;
    readonly outcome: string;
    readonly reason: string | null;
  }[];
  readonly durationMs: number | null;
  /** Time spent waiting for the person's answer (part of durationMs), when it asked. */
  readonly waitedMs: number | null;
  /** When the approval was asked (ISO time), to measure waitedMs. */
  readonly askedAt: string | null;
  readonly result: string | null;
  readonly changes: readonly FileChangeView[];
}

export type ConversationItem =
  | { readonly kind: 'user'; readonly id: string; readonly turnId: string; readonly text: string }
  | {
      readonly kind: 'assistant';
      readonly id: string;
      readonly turnId: string;
      readonly step: number;
      readonly text: string;
      readonly reasoning: string;
    }
  | ToolCallView
  | {
      readonly kind: 'notice';
      readonly id: string;
      readonly turnId: string;
      readonly tone: 'info' | 'warn' | 'error';
      readonly text: string;
    }
  | {
      readonly kind: 'turn-end';
      readonly id: string;
      readonly turnId: string;
      readonly outcome: TurnOutcome;
      readonly usage: AgentUsage;
      readonly durationMs: number;
      readonly message: string | null;
      /** Changes of this turn not reverted yet ("Revert turn" needs at least one). */
      readonly openChanges: number;
    };

export interface ConversationState {
  readonly items: readonly ConversationItem[];
  readonly run: RunState;
  readonly sessionUsage: AgentUsage;
  /** Usage of the turn in progress (from `usage` events), shown live. */
  readonly liveUsage: AgentUsage | null;
  /** Provider and model of the latest turn: what the session really talks to. */
  readonly model: { readonly provider: string; readonly model: string } | null;
}

export const zeroUsage: AgentUsage = {
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  reasoningTokens: 0,
  costUsd: null,
};

export const emptyConversation: ConversationState = {
  items: [],
  run: { state: 'idle' },
  sessionUsage: zeroUsage,
  liveUsage: null,
  model: null,
};

const ERROR_WORDS: Record<AgentError['kind'], string> = {
  auth: 'The provider refused the API key',
  'model-not-found': 'The provider does not know this model',
  'rate-limit': 'The provider is rate limiting requests',
  server: 'The provider had a server error',
  network: 'Could not reach the provider',
  'context-overflow': 'The conversation is too long for the model',
  'bad-request': 'The provider rejected the request',
  stream: 'The answer stream broke off',
  config: 'The provider is not set up',
  cancelled: 'Stopped',
  internal: 'Something went wrong in the agent',
};

/** An agent error in words a user can act on. */
export function describeError(error: AgentError): string {
  const status = error.status === null ? '' : ` (HTTP ${error.status})`;
  return `${ERROR_WORDS[error.kind]}${status}: ${error.message}`;
}

function assertNever(value: never): never {
  throw new Error(`unhandled agent event ${JSON.stringify(value)}`);
}

/**
 * The state while a batch of events is folded: its items array is a private copy, written in
 * place, so a batch (or a whole resumed log) costs one copy instead of one per event.
 */
interface Draft extends ConversationState {
  readonly items: ConversationItem[];
}

function append(state: Draft, item: ConversationItem): Draft {
  state.items.push(item);
  return state;
}

/** Where an item of the live turn is: searched from the end, within that turn's items only. */
function indexOf(state: Draft, id: string, turnId: string): number {
  for (let i = state.items.length - 1; i >= 0; i--) {
    const item = state.items[i];
    if (!item || item.turnId !== turnId) return -1;
    if (item.id === id) return i;
  }
  return -1;
}

function update<K extends ConversationItem['kind']>(
  state: Draft,
  event: { readonly turnId: string },
  id: string,
  kind: K,
  change: (item: Extract<ConversationItem, { kind: K }>) => ConversationItem,
): Draft {
  const at = indexOf(state, id, event.turnId);
  const item = state.items[at];
  if (!item || item.kind !== kind) return state;
  state.items[at] = change(item as Extract<ConversationItem, { kind: K }>);
  return state;
}

function streamInto(
  state: Draft,
  turnId: string,
  step: number,
  field: 'text' | 'reasoning',
  text: string,
): Draft {
  const id = `${turnId}:a${step}`;
  const running: RunState = { state: 'streaming', turnId };
  if (indexOf(state, id, turnId) < 0) {
    return {
      ...append(state, {
        kind: 'assistant',
        id,
        turnId,
        step,
        text: field === 'text' ? text : '',
        reasoning: field === 'reasoning' ? text : '',
      }),
      run: running,
    };
  }
  return {
    ...update(state, { turnId }, id, 'assistant', (item) => ({
      ...item,
      [field]: item[field] + text,
    })),
    run: running,
  };
}

function notice(
  state: Draft,
  event: AgentEvent,
  tone: 'info' | 'warn' | 'error',
  text: string,
): Draft {
  return append(state, {
    kind: 'notice',
    id: `${event.turnId}:n${state.items.length}`,
    turnId: event.turnId,
    tone,
    text,
  });
}

function openChangesOf(state: Draft, turnId: string): number {
  let open = 0;
  for (const item of state.items)
    if (item.kind === 'tool' && item.turnId === turnId)
      open += item.changes.filter((c) => !c.reverted).length;
  return open;
}

/** The same count for the turn that is ending: its items are the last ones. */
function openChangesOfLastTurn(state: Draft, turnId: string): number {
  let open = 0;
  for (let i = state.items.length - 1; i >= 0; i--) {
    const item = state.items[i];
    if (!item || item.turnId !== turnId) break;
    if (item.kind === 'tool') open += item.changes.filter((c) => !c.reverted).length;
  }
  return open;
}

/** Fold one agent event into the conversation. */
export function conversationReducer(
  state: ConversationState,
  event: AgentEvent,
): ConversationState {
  return step({ ...state, items: state.items.slice() }, event);
}

function step(state: Draft, event: AgentEvent): Draft {
  switch (event.type) {
    case 'turn-started':
      return {
        ...append(state, {
          kind: 'user',
          id: `${event.turnId}:u`,
          turnId: event.turnId,
          text: event.prompt,
        }),
        run: { state: 'streaming', turnId: event.turnId },
        liveUsage: null,
        model: { provider: event.provider, model: event.model },
      };
    case 'text-delta':
      return streamInto(state, event.turnId, event.step, 'text', event.text);
    case 'reasoning-delta':
      return streamInto(state, event.turnId, event.step, 'reasoning', event.text);
    case 'retry': {
      const cleared = event.discardPartial
        ? update(state, event, `${event.turnId}:a${event.step}`, 'assistant', (item) => ({
            ...item,
            text: '',
            reasoning: '',
          }))
        : state;
      const seconds = (event.delayMs / 1000).toFixed(1);
      return notice(
        cleared,
        event,
        'warn',
        `Retrying (attempt ${event.attempt}) in ${seconds} s: ${event.reason}`,
      );
    }
    case 'tool-call-started':
      return {
        ...append(state, {
          kind: 'tool',
          id: event.callId,
          turnId: event.turnId,
          tool: event.tool,
          args: event.args,
          status: 'deciding',
          decision: null,
          approval: null,
          durationMs: null,
          waitedMs: null,
          askedAt: null,
          result: null,
          changes: [],
        }),
        run: { state: 'running-tool', turnId: event.turnId, callId: event.callId },
      };
    case 'tool-call-decided':
      return update(state, event, event.callId, 'tool', (item) => ({
        ...item,
        decision: {
          decision: event.decision,
          reason: event.reason,
          rule: event.rule,
          ...(event.grant ? { grant: event.grant.text } : {}),
        },
        status: event.decision === 'allow' ? 'running' : item.status,
      }));
    case 'tool-call-awaiting-approval':
      return {
        ...update(state, event, event.callId, 'tool', (item) => ({
          ...item,
          status: 'awaiting-approval',
          askedAt: event.at,
        })),
        run: { state: 'awaiting-approval', turnId: event.turnId, callId: event.callId },
      };
    case 'approval-resolved': {
      // A host question: the call was allowed already and goes on whatever the answer.
      if (event.host !== undefined) {
        const host = event.host;
        return {
          ...update(state, event, event.callId, 'tool', (item) => ({
            ...item,
            status: 'running',
            network: [
              ...(item.network ?? []),
              { host, outcome: event.outcome, reason: event.reason },
            ],
            waitedMs: item.askedAt
              ? (item.waitedMs ?? 0) + Math.max(0, Date.parse(event.at) - Date.parse(item.askedAt))
              : item.waitedMs,
          })),
          run: { state: 'running-tool', turnId: event.turnId, callId: event.callId },
        };
      }
      const approved = event.outcome !== 'denied';
      return {
        ...update(state, event, event.callId, 'tool', (item) => ({
          ...item,
          status: approved ? 'running' : 'denied',
          approval: { outcome: event.outcome, reason: event.reason },
          waitedMs: item.askedAt
            ? Math.max(0, Date.parse(event.at) - Date.parse(item.askedAt))
            : null,
        })),
        run: approved
          ? { state: 'running-tool', turnId: event.turnId, callId: event.callId }
          : { state: 'streaming', turnId: event.turnId },
      };
    }
    case 'tool-call-finished':
      return {
        ...update(state, event, event.callId, 'tool', (item) => ({
          ...item,
          status: event.status,
          durationMs: event.durationMs,
          result: event.result,
        })),
        run: { state: 'streaming', turnId: event.turnId },
      };
    case 'file-changed':
      return update(state, event, event.callId, 'tool', (item) => ({
        ...item,
        changes: [
          ...item.changes,
          {
            changeId: event.changeId,
            path: event.path,
            before: event.before,
            after: event.after,
            reverted: false,
          },
        ],
      }));
    case 'change-reverted': {
      const reverted = new Set(event.changeIds);
      const items = state.items.map((item) =>
        item.kind === 'tool' && item.changes.some((c) => reverted.has(c.changeId))
          ? {
              ...item,
              changes: item.changes.map((c) =>
                reverted.has(c.changeId) ? { ...c, reverted: true } : c,
              ),
            }
          : item,
      );
      const next: Draft = { ...state, items };
      const withCounts = next.items.map((item) =>
        item.kind === 'turn-end'
          ? { ...item, openChanges: openChangesOf(next, item.turnId) }
          : item,
      );
      return notice(
        { ...next, items: withCounts },
        event,
        'info',
        `Reverted ${event.paths.length === 1 ? event.paths[0] : `${event.paths.length} files`}.`,
      );
    }
    case 'usage':
      return { ...state, liveUsage: event.turnUsage };
    case 'context-trimmed':
      return notice(
        state,
        event,
        'info',
        event.mode === 'summary'
          ? `Older messages were summarised to fit the model's context (${event.droppedMessages} messages, ${event.tokensBefore} → ${event.tokensAfter} tokens).`
          : `${event.droppedMessages} older messages were left out to fit the model's context (${event.tokensBefore} → ${event.tokensAfter} tokens).`,
      );
    case 'history':
    case 'grants-changed':
      return state;
    case 'error':
      return {
        ...notice(
          state,
          event,
          event.error.kind === 'cancelled' ? 'info' : 'error',
          describeError(event.error),
        ),
        run: { state: 'error', message: describeError(event.error) },
      };
    case 'turn-finished': {
      const ended = append(state, {
        kind: 'turn-end',
        id: `${event.turnId}:end`,
        turnId: event.turnId,
        outcome: event.outcome,
        usage: event.usage,
        durationMs: event.durationMs,
        message: event.message,
        openChanges: openChangesOfLastTurn(state, event.turnId),
      });
      const run: RunState =
        event.outcome === 'failed'
          ? {
              state: 'error',
              message:
                state.run.state === 'error'
                  ? state.run.message
                  : (event.message ?? 'The turn failed.'),
            }
          : { state: 'idle' };
      return {
        ...ended,
        run,
        liveUsage: null,
        sessionUsage: addUsage(state.sessionUsage, event.usage),
      };
    }
    default:
      return assertNever(event);
  }
}

/** Join runs of deltas of one step into one event, so a long answer costs one update, not many. */
export function coalesceDeltas(events: readonly AgentEvent[]): AgentEvent[] {
  const out: AgentEvent[] = [];
  for (const event of events) {
    const last = out.at(-1);
    if (
      last &&
      (event.type === 'text-delta' || event.type === 'reasoning-delta') &&
      last.type === event.type &&
      last.turnId === event.turnId &&
      last.step === event.step
    ) {
      out[out.length - 1] = { ...last, text: last.text + event.text };
    } else out.push(event);
  }
  return out;
}

/** Fold many events at once (a frame's worth, or a resumed session's log). */
export function foldEvents(
  state: ConversationState,
  events: readonly AgentEvent[],
): ConversationState {
  let next: Draft = { ...state, items: state.items.slice() };
  for (const event of coalesceDeltas(events)) next = step(next, event);
  return next;
}

/** A resumed log: folded, and idle whatever its last turn was doing when it was written. */
export function replayConversation(events: readonly AgentEvent[]): ConversationState {
  const folded = foldEvents(emptyConversation, events);
  return folded.run.state === 'error'
    ? folded
    : { ...folded, run: { state: 'idle' }, liveUsage: null };
}
