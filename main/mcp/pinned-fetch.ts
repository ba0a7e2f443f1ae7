import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { IncomingMessage } from 'node:http';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { requestFor } from '../net/http-request';

/*
 * A fetch (what the MCP SDK needs of one) whose connections go only to addresses `refuse` lets
 * through, judged by the very lookup the connection uses: a name that resolves to a denied
 * address (`localhost` for a denied 127.0.0.1, a domain pointing at a metadata address, or one
 * that answers differently the second time) never reaches it. Redirects are not followed.
 */

/** Why the address may not be reached (`address:port`), or null. */
export type AddressCheck = (address: string, port: number) => string | null;

function checkedLookup(refuse: AddressCheck, port: number): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, found) => {
      if (error) return callback(error, '', 0);
      const addresses: LookupAddress[] = found;
      for (const a of addresses) {
        const why = refuse(a.address, port);
        if (why !== null) return callback(new Error(why), '', 0);
      }
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

function bodyOf(init: RequestInit | undefined): string | Uint8Array | undefined {
  const body = init?.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  throw new TypeError('only a string or bytes can be sent to an MCP server');
}

function responseOf(res: IncomingMessage): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers))
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  const status = res.statusCode ?? 502;
  const empty = [101, 204, 205, 304].includes(status);
  if (empty) res.resume();
  const body = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
  return new Response(body, { status, statusText: res.statusMessage ?? '', headers });
}

/** A fetch that connects only where `refuse` has no objection. */
export function pinnedFetch(refuse: AddressCheck): typeof fetch {
  const pinned = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const request = requestFor(url.protocol);
    const body = bodyOf(init);
    return new Promise<Response>((resolve, reject) => {
      const req = request(
        url,
        {
          method: init?.method ?? 'GET',
          headers: Object.fromEntries(new Headers(init?.headers).entries()),
          lookup: checkedLookup(refuse, port),
          ...(init?.signal ? { signal: init.signal } : {}),
        },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status >= 300 && status < 400 && init?.redirect === 'error') {
            res.destroy();
            reject(new TypeError(`refused a redirect to ${res.headers.location ?? 'elsewhere'}`));
          } else resolve(responseOf(res));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  };
  return pinned;
}
