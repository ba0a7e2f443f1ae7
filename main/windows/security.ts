import { session, shell, type App, type WebContents } from 'electron';
import type { Logger } from '../log/logger';
import { isAppUrl, isSafeExternalUrl } from './url-guards';

/**
 * The window-security baseline for every web contents the app ever creates: no navigation away
 * from the app, no new windows (safe links go to the OS browser), no webviews, no permissions.
 */
export function applySecurityBaseline(app: App, logger: Logger): void {
  const deny = session.defaultSession;
  deny.setPermissionRequestHandler((_contents, permission, callback) => {
    logger.warn('denied a permission request', { permission });
    callback(false);
  });
  deny.setPermissionCheckHandler(() => false);

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) {
        event.preventDefault();
        logger.warn('blocked navigation', { url });
        openExternally(url, logger);
      }
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) {
        event.preventDefault();
        logger.warn('blocked redirect', { url });
      }
    });
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      logger.warn('blocked a webview');
    });
    contents.setWindowOpenHandler(({ url }) => {
      openExternally(url, logger);
      return { action: 'deny' };
    });
  });
}

function openExternally(url: string, logger: Logger): void {
  if (isSafeExternalUrl(url)) {
    void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK -- only https (or loopback http) URLs without credentials, checked by isSafeExternalUrl
  } else {
    logger.warn('refused to open a link externally', { url: url.slice(0, 200) });
  }
}
