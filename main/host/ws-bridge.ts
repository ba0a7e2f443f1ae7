import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { EventChannel, EventPayload } from '../../shared/ipc/contract';
import type { Logger } from '../log/logger';
import {
  checkEvent,
  disposeClient,
  newClientState,
  type BridgeClient,
  type Router,
} from '../ipc/router';

/** A call from the browser: `{type:"invoke", id, channel, payload}`. */
const frameSchema = z.object({
  type: z.literal('invoke'),
  id: z.union([z.number().int().nonnegative(), z.string().min(1).max(64)]),
  channel: z.string().max(200),
  payload: z.unknown(),
});

/** Serve one authenticated WebSocket: each invoke frame goes through the router, events go out. */
export function handleSocket(
  ws: WebSocket,
  options: { id: string; router: Router; logger: Logger },
): BridgeClient {
  const state = newClientState();
  const send = (message: unknown): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const client: BridgeClient = {
    id: options.id,
    state,
    emit<E extends EventChannel>(channel: E, payload: EventPayload<E>) {
      send({ type: 'event', channel, payload: checkEvent(channel, payload) });
    },
  };

  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      send({ type: 'error', message: 'Binary frames are not part of the bridge protocol.' });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(
        Buffer.isBuffer(data)
          ? data.toString('utf8')
          : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8'),
      );
    } catch {
      send({ type: 'error', message: 'Malformed frame: not JSON.' });
      return;
    }
    const frame = frameSchema.safeParse(json);
    if (!frame.success) {
      const id = (json as { id?: unknown } | null)?.id;
      const message = 'Malformed frame: expected {type:"invoke", id, channel, payload}.';
      if (typeof id === 'number' || typeof id === 'string') {
        send({
          type: 'result',
          id,
          result: { ok: false, error: { code: 'invalid-argument', message } },
        });
      } else {
        send({ type: 'error', message });
      }
      return;
    }
    const { id, channel, payload } = frame.data;
    void options.router.dispatch(channel, payload, client).then((result) => {
      send({ type: 'result', id, result });
    });
  });
  ws.on('close', () => {
    disposeClient(state);
    options.logger.info('bridge client disconnected', { client: options.id });
  });
  ws.on('error', (error) =>
    options.logger.warn('bridge socket error', { client: options.id, error }),
  );
  return client;
}
