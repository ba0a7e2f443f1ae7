import { contextBridge, ipcRenderer } from 'electron';
import { buildBridgeApi } from '../shared/ipc/api';

/*
 * The only thing the renderer gets from Electron: one named operation per contract channel, each
 * answering with the result envelope (the renderer unwraps it, so error codes survive the
 * context bridge). No ipcRenderer, no generic send.
 */
const api = buildBridgeApi({
  invoke: (channel, request) => ipcRenderer.invoke(channel, request),
  subscribe: (channel, listener) => {
    const handler = (_event: Electron.IpcRendererEvent, payload: unknown): void =>
      listener(payload);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
});

contextBridge.exposeInMainWorld('vtcode', api);
