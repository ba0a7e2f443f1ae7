/** The origin the renderer is served from in the desktop app (a custom, standard, secure scheme). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'vtcode';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** True for a URL of our own renderer; anything else must never load in the app's windows. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * True when a link may be handed to the OS browser: https only (http for loopback), no
 * credentials in the URL. file:, javascript:, custom schemes and the like are refused.
 */
export function isSafeExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  if (parsed.protocol === 'https:') return true;
  return (
    parsed.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname)
  );
}
