import { app, BrowserWindow, dialog } from 'electron';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServices } from './core/services';
import { createHandlers } from './ipc/handlers';
import { bindElectronIpc } from './ipc/electron-ipc';
import { createRouter } from './ipc/router';
import { createLogger } from './log/logger';
import { resolveAppPaths } from './platform/paths';
import { handleAppProtocol, registerAppScheme } from './windows/app-protocol';
import { createMainWindow, preloadPathFrom } from './windows/main-window';
import { applySecurityBaseline } from './windows/security';

// App lifecycle only: create the services, register the bridge, open the window.
const mainDir = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(mainDir, '..', 'renderer');
const iconPath = join(mainDir, '..', '..', 'assets', 'icon.png');

app.enableSandbox();
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void start();
}

async function start(): Promise<void> {
  await app.whenReady();
  const paths = resolveAppPaths();
  const logger = createLogger({ file: join(paths.logDir, 'main.log'), echo: !app.isPackaged });
  applySecurityBaseline(app, logger);
  handleAppProtocol(rendererDir);

  const services = createServices({
    paths,
    logger,
    host: {
      kind: 'electron',
      electronVersion: process.versions.electron ?? null,
      pickFolder: async () => {
        const focused = BrowserWindow.getFocusedWindow();
        const options = { properties: ['openDirectory' as const, 'createDirectory' as const] };
        const result = focused
          ? await dialog.showOpenDialog(focused, options)
          : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      saveFile: async (suggestedName, content) => {
        const focused = BrowserWindow.getFocusedWindow();
        const options = {
          defaultPath: join(app.getPath('downloads'), suggestedName),
          filters: [{ name: 'Markdown', extensions: ['md'] }],
        };
        const result = focused
          ? await dialog.showSaveDialog(focused, options)
          : await dialog.showSaveDialog(options);
        if (result.canceled || !result.filePath) return null;
        // The person chose this path in the system's own dialog.
        await writeFile(result.filePath, content, { mode: 0o600 });
        return result.filePath;
      },
    },
  });
  bindElectronIpc(createRouter(createHandlers(services), logger), logger);

  const open = (): Promise<BrowserWindow> => createMainWindow(preloadPathFrom(mainDir), iconPath);
  await open();
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void open();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let closing = false;
  app.on('will-quit', (event) => {
    if (closing) return;
    closing = true;
    // Stop every run and watcher first; a stuck keychain call must not keep the app alive.
    event.preventDefault();
    void Promise.race([services.close(), new Promise((r) => setTimeout(r, 5000))]).finally(() =>
      app.exit(0),
    );
  });
  logger.info('desktop app started', { version: services.version });
}
