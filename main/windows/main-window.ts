import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import { APP_ORIGIN } from './url-guards';

/** Create the main window with the security baseline's web preferences and load the renderer. */
export async function createMainWindow(
  preloadPath: string,
  iconPath: string,
): Promise<BrowserWindow> {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'VT Code Desktop',
    icon: iconPath,
    backgroundColor: '#16181d',
    webPreferences: {
      preload: preloadPath, // eng-disable PRELOAD_JS_CHECK -- the preload exposes only the contract's named operations (preload/index.ts), no ipcRenderer
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click would otherwise open links in a new window behind the window-open handler's back.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  await window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

/** Where the built preload lives next to the built main. */
export function preloadPathFrom(mainDir: string): string {
  return join(mainDir, '..', 'preload', 'index.cjs');
}
