import { protocol } from 'electron';
import { SECURITY_HEADERS } from '../core/csp';
import { loadStaticFile } from '../host/static-files';
import { APP_HOST, APP_SCHEME } from './url-guards';

/** Must run before `app` is ready: the scheme behaves like https (standard, secure, fetch). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serve the built renderer from `rendererDir` on app://vtcode/, with the CSP as a header. */
export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
    const file = await loadStaticFile(rendererDir, url.pathname);
    if (!file) return new Response('Not found', { status: 404, headers: SECURITY_HEADERS });
    return new Response(new Uint8Array(file.body), {
      status: 200,
      headers: { 'Content-Type': file.contentType, ...SECURITY_HEADERS },
    });
  });
}
