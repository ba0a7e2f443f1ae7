import { EVENT_CHANNELS, INVOKE_CHANNELS, type EventChannel, type InvokeChannel } from './channels';
// Types only: the renderer and the preload never load the contract's schemas (channels.ts).
import type { EventPayload, InvokeRequest, InvokeResponse } from './contract';

/*
 * The typed API the renderer sees (`window.vtcode` in Electron, a WebSocket client in browser mode),
 * derived from the contract: `domain:verb-noun` becomes `api.domain.verbNoun(request)` and an event
 * `domain:thing-happened` becomes `api.domain.onThingHappened(listener)`.
 */

type Camel<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;
type DomainOf<C extends string> = C extends `${infer D}:${string}` ? D : never;
type VerbOf<C extends string> = C extends `${string}:${infer V}` ? V : never;

type InvokeMethod<C extends InvokeChannel> =
  Record<string, never> extends InvokeRequest<C>
    ? (request?: InvokeRequest<C>) => Promise<InvokeResponse<C>>
    : (request: InvokeRequest<C>) => Promise<InvokeResponse<C>>;

type EventMethod<E extends EventChannel> = (
  listener: (payload: EventPayload<E>) => void,
) => () => void;

type DomainApi<D extends string> = {
  readonly [
    C in InvokeChannel as DomainOf<C> extends D ? Camel<VerbOf<C>> : never
  ]: InvokeMethod<C>;
} & {
  readonly [
    E in EventChannel as DomainOf<E> extends D ? `on${Capitalize<Camel<VerbOf<E>>>}` : never
  ]: EventMethod<E>;
};

export type BridgeApi = {
  readonly [D in DomainOf<InvokeChannel | EventChannel>]: DomainApi<D>;
};

/** How a host moves one call or one event; everything else about the API is derived. */
export interface BridgeTransport {
  invoke(channel: InvokeChannel, request: unknown): Promise<unknown>;
  subscribe(channel: EventChannel, listener: (payload: unknown) => void): () => void;
}

function camel(text: string): string {
  return text.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Split `domain:verb-noun` into the API's object and method names. */
export function methodNames(channel: string): { domain: string; method: string; event: string } {
  const [domain = '', verb = ''] = channel.split(':');
  const method = camel(verb);
  return { domain, method, event: `on${method.charAt(0).toUpperCase()}${method.slice(1)}` };
}

/** Build the named operations for every channel of the contract over one transport. */
export function buildBridgeApi(transport: BridgeTransport): BridgeApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const channel of INVOKE_CHANNELS) {
    const { domain, method } = methodNames(channel);
    (api[domain] ??= {})[method] = (request?: unknown) => transport.invoke(channel, request ?? {});
  }
  for (const channel of EVENT_CHANNELS) {
    const { domain, event } = methodNames(channel);
    (api[domain] ??= {})[event] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError(`${event} needs a listener function`);
      return transport.subscribe(channel, listener);
    };
  }
  return api as unknown as BridgeApi;
}
