import { type z } from 'zod';
import {
  events,
  invokes,
  isInvokeChannel,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type InvokeResponse,
  type ParsedRequest,
} from '../../shared/ipc/contract';
import { BridgeError, type BridgeResult } from '../../shared/ipc/errors';
import type { Workspace } from '../../shared/domain/workspace';
import type { Logger } from '../log/logger';

/*
 * The transport-neutral half of the bridge: both the Electron IPC binding and the browser-mode
 * WebSocket host hand every call to `dispatch`, which validates it against the contract before a
 * handler sees it. This file must not import electron.
 */

/** Per-window (Electron) or per-connection (browser mode) state that handlers may read and set. */
export interface ClientState {
  workspace: Workspace | null;
  /** Run when the window closes or the connection drops (stop its runs, drop subscriptions). */
  readonly disposers: Array<() => void>;
  /** Named subscriptions (e.g. to the open workspace's policy), replaced when re-made. */
  readonly subscriptions: Map<string, () => void>;
}

/** A fresh state for a newly connected client. */
export function newClientState(): ClientState {
  return { workspace: null, disposers: [], subscriptions: new Map() };
}

/** Run a client's disposers once; one that throws does not stop the others. */
export function disposeClient(state: ClientState): void {
  const all = [...state.disposers.splice(0), ...state.subscriptions.values()];
  state.subscriptions.clear();
  for (const dispose of all) {
    try {
      dispose();
    } catch {
      // Best effort: the client is gone either way.
    }
  }
}

/** One connected renderer: who it is and how to push events to it. */
export interface BridgeClient {
  readonly id: string;
  readonly state: ClientState;
  emit<E extends EventChannel>(channel: E, payload: EventPayload<E>): void;
}

export interface CallContext {
  readonly client: BridgeClient;
}

export type Handler<C extends InvokeChannel> = (
  request: ParsedRequest<C>,
  context: CallContext,
) => Promise<InvokeResponse<C>> | InvokeResponse<C>;

export type HandlerMap = { readonly [C in InvokeChannel]: Handler<C> };

export interface Router {
  dispatch(
    channel: unknown,
    payload: unknown,
    client: BridgeClient,
  ): Promise<BridgeResult<unknown>>;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'request'}: ${issue.message}`)
    .join('; ');
}

/** Keep one subscription under `name`, ending the one it replaces. */
export function replaceSubscription(
  state: ClientState,
  name: string,
  unsubscribe: (() => void) | null,
): void {
  state.subscriptions.get(name)?.();
  if (unsubscribe) state.subscriptions.set(name, unsubscribe);
  else state.subscriptions.delete(name);
}

/** Validate an event payload against the contract before it leaves main. */
export function checkEvent<E extends EventChannel>(channel: E, payload: EventPayload<E>): unknown {
  return events[channel].parse(payload);
}

/** Build the dispatcher over a full handler map (the type checker insists every channel has one). */
export function createRouter(handlers: HandlerMap, logger: Logger): Router {
  return {
    async dispatch(channel, payload, client) {
      if (!isInvokeChannel(channel)) {
        const shown = typeof channel === 'string' ? channel.slice(0, 100) : typeof channel;
        return fail('unknown-channel', `Unknown bridge channel: ${shown}`);
      }
      const parsed = invokes[channel].request.safeParse(payload);
      if (!parsed.success) {
        return fail(
          'invalid-argument',
          `Invalid request for ${channel}: ${describeIssues(parsed.error)}`,
        );
      }
      let value: unknown;
      try {
        const handler = handlers[channel] as Handler<InvokeChannel>;
        value = await handler(parsed.data, { client });
      } catch (error) {
        if (error instanceof BridgeError) return fail(error.code, error.message);
        logger.error('bridge handler failed', { channel, error });
        const reason = error instanceof Error ? error.message : String(error);
        return fail('internal', `${channel} failed: ${reason}`);
      }
      const checked = invokes[channel].response.safeParse(value);
      if (!checked.success) {
        logger.error('bridge handler returned a value outside the contract', {
          channel,
          issues: describeIssues(checked.error),
        });
        return fail('internal', `${channel} produced an invalid reply (see the log)`);
      }
      return { ok: true, value: checked.data };
    },
  };
}

function fail(code: BridgeError['code'], message: string): BridgeResult<never> {
  return { ok: false, error: { code, message } };
}
