import {
  buildBridgeApi,
  methodNames,
  type BridgeApi,
  type BridgeTransport,
} from '../../shared/ipc/api';
import { unwrapResult } from '../../shared/ipc/errors';
import { createWsTransport, type ConnectionState } from './ws-transport';

declare global {
  interface Window {
    /** Set by the preload in the desktop app; absent in browser mode. */
    readonly vtcode?: Record<string, Record<string, (arg?: unknown) => unknown>>;
  }
}

const TOKEN_KEY = 'vtcode-desktop:token';

/** The token from `#token=...` (kept for reloads of this tab, then removed from the address bar). */
export function takeTokenFromLocation(
  location: Location,
  storage: Storage,
  history: History,
): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (match?.[1]) {
    storage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    return match[1];
  }
  return storage.getItem(TOKEN_KEY);
}

function electronTransport(raw: NonNullable<Window['vtcode']>): BridgeTransport {
  return {
    async invoke(channel, request) {
      const { domain, method } = methodNames(channel);
      const fn = raw[domain]?.[method];
      if (typeof fn !== 'function') throw new Error(`The preload does not expose ${channel}`);
      return unwrapResult(await fn(request));
    },
    subscribe(channel, listener) {
      const { domain, event } = methodNames(channel);
      const fn = raw[domain]?.[event];
      if (typeof fn !== 'function') throw new Error(`The preload does not expose ${channel}`);
      return fn(listener) as () => void;
    },
  };
}

export interface BridgeConnection {
  readonly api: BridgeApi;
  readonly host: 'electron' | 'browser';
}

/** Connect to whichever host serves this renderer; the API is the same in both. */
export function connectBridge(
  onState: (state: ConnectionState, reason?: string) => void,
): BridgeConnection {
  if (window.vtcode) {
    onState('open');
    return { api: buildBridgeApi(electronTransport(window.vtcode)), host: 'electron' };
  }
  const token = takeTokenFromLocation(window.location, window.sessionStorage, window.history) ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${window.location.host}/bridge?token=${encodeURIComponent(token)}`;
  return { api: buildBridgeApi(createWsTransport({ url, onState })), host: 'browser' };
}
