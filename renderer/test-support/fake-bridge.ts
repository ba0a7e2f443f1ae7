import { buildBridgeApi, type BridgeApi } from '../../shared/ipc/api';
import type { EventChannel, EventPayload, InvokeChannel } from '../../shared/ipc/contract';

type Handler = (request: unknown) => unknown;

/**
 * A bridge for renderer tests: the real typed API over a scripted transport. Invokes go to the
 * handlers given (unknown channels fail like the host does), every call is recorded, and tests push
 * events as main would.
 */
export function fakeBridge(handlers: Partial<Record<InvokeChannel, Handler>>) {
  const calls: { channel: InvokeChannel; request: unknown }[] = [];
  const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();
  const api: BridgeApi = buildBridgeApi({
    async invoke(channel, request) {
      calls.push({ channel, request });
      const handler = handlers[channel];
      if (!handler) throw new Error(`no fake handler for ${channel}`);
      return await handler(request);
    },
    subscribe(channel, listener) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  });
  return {
    api,
    calls,
    emit<E extends EventChannel>(channel: E, payload: EventPayload<E>) {
      for (const listener of listeners.get(channel) ?? []) listener(payload);
    },
    listenerCount: (channel: EventChannel) => listeners.get(channel)?.size ?? 0,
  };
}
