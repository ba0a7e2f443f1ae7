import type { VtcodeConfig } from '../config/effective';
import { decideHost } from '../runner/host-rules';
import { runnerSettingsFromConfig } from '../runner/settings-from-config';
import { pinnedFetch } from './pinned-fetch';

/*
 * The fetch an HTTP MCP server is reached through. Only the declared endpoint's origin is ever
 * contacted (no redirect is followed elsewhere), and each request is decided again under the
 * network policy in force: a denylist entry or `block_all` refuses it. A host the allow-list does
 * not name is reached because the user declared (or approved) this very URL. The server's
 * secrets go along as headers (`X_API_KEY` as `X-Api-Key`), to this origin only. No response
 * (one JSON answer, one stream of events) carries more than MAX_RESPONSE_BYTES.
 */

/** `AUTHORIZATION` or `x_api_key` as a header name: words joined by `-`. */
export function headerName(secret: string): string {
  return secret
    .split('_')
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase())
    .join('-');
}

/** The fetch an HTTP server is reached through: no connection to an address the denylist names. */
export function mcpBaseFetch(config: () => VtcodeConfig): typeof fetch {
  return pinnedFetch((address, port) => {
    const verdict = decideHost(runnerSettingsFromConfig(config()).network, address, port);
    return verdict.decision === 'deny' ? `refused ${address}: ${verdict.reason}` : null;
  });
}

export function guardedMcpFetch(
  endpoint: string,
  config: () => VtcodeConfig,
  base: typeof fetch,
  secrets: () => Promise<Record<string, string>>,
): typeof fetch {
  const origin = new URL(endpoint).origin;
  const guarded: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin !== origin)
      throw new Error(`refused ${url.origin}: this server may only reach ${origin}`);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const verdict = decideHost(runnerSettingsFromConfig(config()).network, url.hostname, port);
    if (verdict.decision === 'deny') throw new Error(`refused ${url.host}: ${verdict.reason}`);
    const headers = new Headers(
      init?.headers ?? (input instanceof Request ? input.headers : undefined),
    );
    for (const [name, value] of Object.entries(await secrets()))
      headers.set(headerName(name), value);
    return capped(await base(url, { ...init, headers, redirect: 'error' }));
  };
  return guarded;
}

/** The most one response may carry: the SDK keeps a whole JSON answer (or SSE event) in memory. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** The response, its body cut off with an error past MAX_RESPONSE_BYTES. */
function capped(response: Response): Response {
  if (!response.body) return response;
  let seen = 0;
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > MAX_RESPONSE_BYTES)
          controller.error(new Error(`the server sent more than ${MAX_RESPONSE_BYTES} bytes`));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
