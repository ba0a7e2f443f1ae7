import type { BridgeTransport } from '../../shared/ipc/api';
import { isEventChannel, type EventChannel } from '../../shared/ipc/channels';
import { BridgeError, unwrapResult } from '../../shared/ipc/errors';

export type ConnectionState = 'connecting' | 'open' | 'closed';

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * The browser-mode transport: the same contract over one WebSocket to the host that served this
 * page. Calls made before the socket opens wait for it; when it closes, pending calls fail.
 */
export function createWsTransport(options: {
  url: string;
  onState?: (state: ConnectionState, reason?: string) => void;
}): BridgeTransport {
  const socket = new WebSocket(options.url);
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let opened = false;
  let closedReason: string | null = null;
  const ready = new Promise<void>((resolve) => {
    socket.addEventListener('open', () => {
      opened = true;
      options.onState?.('open');
      resolve();
    });
  });
  options.onState?.('connecting');

  socket.addEventListener('message', (event: MessageEvent) => {
    let frame: {
      type?: unknown;
      id?: unknown;
      result?: unknown;
      channel?: unknown;
      payload?: unknown;
    };
    try {
      frame = JSON.parse(String(event.data)) as typeof frame;
    } catch {
      return;
    }
    if (frame.type === 'result' && typeof frame.id === 'number') {
      const waiter = pending.get(frame.id);
      pending.delete(frame.id);
      if (!waiter) return;
      try {
        waiter.resolve(unwrapResult(frame.result));
      } catch (error) {
        waiter.reject(error);
      }
    } else if (frame.type === 'event' && isEventChannel(frame.channel)) {
      for (const listener of listeners.get(frame.channel) ?? []) listener(frame.payload);
    }
  });

  socket.addEventListener('close', (event: CloseEvent) => {
    closedReason = opened
      ? 'The connection to the VT Code Desktop host was lost. Restart it and open the URL it prints.'
      : 'The host refused the connection: the access token is missing or wrong, or the host is not running. Open the URL the host printed.';
    if (event.reason) closedReason = `${closedReason} (${event.reason})`;
    options.onState?.('closed', closedReason);
    for (const waiter of pending.values())
      waiter.reject(new BridgeError('unavailable', closedReason));
    pending.clear();
  });

  return {
    async invoke(channel, request) {
      if (closedReason) throw new BridgeError('unavailable', closedReason);
      await Promise.race([
        ready,
        new Promise((resolve) => socket.addEventListener('close', resolve)),
      ]);
      if (closedReason) throw new BridgeError('unavailable', closedReason);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ type: 'invoke', id, channel, payload: request }));
      });
    },
    subscribe(channel, listener) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
  };
}
