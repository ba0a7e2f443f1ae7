import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { invokeChannels, type EventChannel, type EventPayload } from '../../shared/ipc/contract';
import type { Logger } from '../log/logger';
import { isAppUrl } from '../windows/url-guards';
import {
  checkEvent,
  disposeClient,
  newClientState,
  type BridgeClient,
  type Router,
} from './router';

/*
 * The Electron half of the bridge, and the only file that touches ipcMain. Each call must come
 * from the main frame of one of our windows showing our own app:// origin; then the router
 * validates it like any other call.
 */

/** True when the call comes from the top frame of a window showing our renderer. */
export function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  return isAppUrl(frame.url);
}

/** Register every invoke channel of the contract with ipcMain. */
export function bindElectronIpc(router: Router, logger: Logger): void {
  const clients = new WeakMap<WebContents, BridgeClient>();
  let next = 1;
  const clientFor = (contents: WebContents): BridgeClient => {
    let client = clients.get(contents);
    if (!client) {
      client = {
        id: `window-${next++}`,
        state: newClientState(),
        emit<E extends EventChannel>(channel: E, payload: EventPayload<E>) {
          if (!contents.isDestroyed()) contents.send(channel, checkEvent(channel, payload));
        },
      };
      clients.set(contents, client);
      const state = client.state;
      contents.once('destroyed', () => disposeClient(state));
    }
    return client;
  };

  for (const channel of invokeChannels) {
    ipcMain.handle(channel, (event, payload: unknown) => {
      if (!isTrustedSender(event)) {
        logger.warn('refused a bridge call from an untrusted frame', {
          channel,
          url: event.senderFrame?.url ?? null,
        });
        return {
          ok: false,
          error: { code: 'forbidden', message: 'Calls are only accepted from the app window.' },
        };
      }
      return router.dispatch(channel, payload, clientFor(event.sender));
    });
  }
}
