import type { Agent, ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { requestFor } from './http-request';
import { PlainHeaders, PlainResponse, headerRecord } from './plain-response';
import { bodyStream } from './response-body';

/*
 * The fetch the model providers' SDKs send with: node:http(s) over keep-alive connections, for
 * the requests they make (a POST of JSON, answered with JSON or a streamed event list). Node's
 * built-in fetch (undici) spends about 2 ms more per model step, and loading it costs about 25 ms
 * and 12 MiB at start (bench/cli-bench.ts): the answer here is a `PlainResponse`, so a run that
 * sends nothing else never loads undici. It behaves as the built-in one for these requests: same
 * default headers, same errors (`TypeError('fetch failed')` with the cause when no answer came,
 * the signal's reason on abort, `TypeError('terminated')` when an answer breaks off), the same
 * timeouts (10 s to connect, 300 s without a byte), a streamed body with backpressure,
 * gzip/deflate/br decoded.
 * Redirects are followed within the origin only: the providers' keys travel in headers the fetch
 * standard keeps across origins (`x-api-key`, `x-goog-api-key`), so a redirect elsewhere is
 * answered as it came, for the caller to report. Anything else (a Request object, a streamed or
 * form body, a proxy taken from the environment) is handed to the built-in fetch unchanged.
 */

/** How long connecting (DNS, TCP and TLS) and waiting for a byte may take; undici's defaults. */
export interface ProviderFetchTimeouts {
  readonly connectMs: number;
  /** No byte for this long, before or during the answer: the request fails. */
  readonly idleMs: number;
}

const DEFAULT_TIMEOUTS: ProviderFetchTimeouts = { connectMs: 10_000, idleMs: 300_000 };
const NULL_BODY_STATUS = new Set([204, 205, 304]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
/** The fetch standard's limit. */
const MAX_REDIRECTS = 20;

let agents: { readonly 'http:': Agent; readonly 'https:': Agent } | null = null;

function agentFor(protocol: 'http:' | 'https:'): Agent {
  agents ??= {
    'http:': new (process.getBuiltinModule('node:http').Agent)({ keepAlive: true }),
    'https:': new (process.getBuiltinModule('node:https').Agent)({ keepAlive: true }),
  };
  return agents[protocol];
}

/** One request as sent, the redirects followed so far included. */
interface Outgoing {
  readonly url: URL;
  readonly method: string;
  readonly headers: OutgoingHttpHeaders;
  readonly body: string | Uint8Array | null;
  readonly signal: AbortSignal | null;
  readonly redirect: NonNullable<RequestInit['redirect']>;
  readonly hops: number;
}

/** The body as bytes or text, or undefined when it is a kind only the built-in fetch sends. */
function plainBody(body: RequestInit['body']): string | Uint8Array | null | undefined {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return undefined;
}

/** Why a signal was aborted, as an Error (fetch rejects with the signal's reason). */
function reasonOf(signal: AbortSignal | null): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error
    ? reason
    : new DOMException('This operation was aborted', 'AbortError');
}

function failed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function timedOut(message: string): Error {
  return Object.assign(new Error(message), { code: 'ETIMEDOUT' });
}

function responseOf(out: Outgoing, res: IncomingMessage, req: ClientRequest): PlainResponse {
  const headers = new PlainHeaders();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  }
  const status = res.statusCode ?? 0;
  const empty = out.method === 'HEAD' || NULL_BODY_STATUS.has(status);
  if (empty) res.resume();
  const { signal } = out;
  const body = empty
    ? null
    : bodyStream(res, req, () => (signal?.aborted ? reasonOf(signal) : null));
  return new PlainResponse(
    body,
    status,
    res.statusMessage ?? '',
    headers,
    out.url.href,
    out.hops > 0,
  );
}

/**
 * The request a redirect asks for, by the fetch standard's rules, or null when it leads to another
 * origin (the caller gets the redirect itself).
 */
function redirected(out: Outgoing, status: number, location: string): Outgoing | null {
  const url = new URL(location, out.url);
  if (url.origin !== out.url.origin) return null;
  const toGet =
    ((status === 301 || status === 302) && out.method === 'POST') ||
    (status === 303 && out.method !== 'GET' && out.method !== 'HEAD');
  if (!toGet) return { ...out, url, hops: out.hops + 1 };
  const headers = { ...out.headers };
  for (const name of Object.keys(headers)) {
    if (/^content-(?:type|length|encoding|language|location)$/.test(name)) delete headers[name];
  }
  return { ...out, url, method: 'GET', headers, body: null, hops: out.hops + 1 };
}

function send(out: Outgoing, timeouts: ProviderFetchTimeouts): Promise<Response> {
  const { url, signal } = out;
  if (signal?.aborted) return Promise.reject(reasonOf(signal));
  const https = url.protocol === 'https:';
  const headers = { ...out.headers };
  if (out.body !== null) {
    headers['content-length'] =
      typeof out.body === 'string' ? Buffer.byteLength(out.body) : out.body.length;
  } else if (out.method === 'POST' || out.method === 'PUT') {
    headers['content-length'] = 0;
  }

  return new Promise<Response>((resolve, reject) => {
    let answered = false;
    const req = requestFor(url.protocol)(url, {
      method: out.method,
      headers,
      agent: agentFor(https ? 'https:' : 'http:'),
    });
    const onAbort = (): void => {
      req.destroy(reasonOf(signal));
      if (!answered) reject(reasonOf(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (): void => signal?.removeEventListener('abort', onAbort);
    // Once answered, the body reports what goes wrong and its end removes the abort listener.
    const fail = (cause: unknown): void => {
      if (answered) return;
      answered = true;
      settle();
      reject(signal?.aborted ? reasonOf(signal) : failed(cause));
    };
    req.on('socket', (socket) => {
      // A reused connection is open already; a new one gets as long as undici gives it.
      if (!socket.connecting) return;
      const timer = setTimeout(
        () => req.destroy(timedOut(`no connection within ${timeouts.connectMs / 1000} s`)),
        timeouts.connectMs,
      );
      const clear = (): void => clearTimeout(timer);
      socket.once(https ? 'secureConnect' : 'connect', clear);
      socket.once('close', clear);
    });
    req.setTimeout(timeouts.idleMs, () => {
      req.destroy(timedOut(`no data for ${timeouts.idleMs / 1000} s`));
    });
    req.on('error', fail);
    // Closed with neither an answer nor an error: a 101 nobody asked for, for one.
    req.on('close', () =>
      fail(
        Object.assign(new Error('the connection closed without an answer'), { code: 'ECONNRESET' }),
      ),
    );
    req.on('response', (res) => {
      answered = true;
      res.on('close', settle);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECT_STATUS.has(status) && location !== undefined && out.redirect !== 'manual') {
        let next: Outgoing | null;
        try {
          if (out.redirect === 'error') throw new Error('unexpected redirect');
          if (out.hops >= MAX_REDIRECTS) throw new Error('redirect count exceeded');
          next = redirected(out, status, location);
        } catch (error) {
          res.destroy();
          reject(failed(error));
          return;
        }
        if (next !== null) {
          res.resume();
          resolve(send(next, timeouts));
          return;
        }
      }
      if (status < 200 || status > 599) {
        res.destroy();
        reject(failed(new Error(`the server answered with status ${status}`)));
        return;
      }
      try {
        resolve(responseOf(out, res, req));
      } catch (error) {
        res.destroy();
        reject(failed(error));
      }
    });
    req.end(out.body ?? undefined);
  });
}

/** A fetch for the providers' SDKs (see the top of this file); `timeouts` are for tests. */
export function createProviderFetch(
  timeouts: ProviderFetchTimeouts = DEFAULT_TIMEOUTS,
): typeof fetch {
  return (input, init) => {
    const builtin = (): Promise<Response> => globalThis.fetch(input, init);
    if (typeof input !== 'string' && !(input instanceof URL)) return builtin();
    if (process.env.NODE_USE_ENV_PROXY) return builtin();
    const body = plainBody(init?.body);
    if (body === undefined) return builtin();
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      return builtin();
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return builtin();
    if (url.username !== '' || url.password !== '') {
      // The built-in fetch refuses these too, but quotes the URL, password and all, in its error.
      return Promise.reject(
        new TypeError('Request cannot be constructed from a URL that includes credentials'),
      );
    }
    const headers: OutgoingHttpHeaders = headerRecord(init?.headers);
    headers.accept ??= '*/*';
    headers['user-agent'] ??= 'node';
    if (typeof body === 'string') headers['content-type'] ??= 'text/plain;charset=UTF-8';
    return send(
      {
        url,
        method: (init?.method ?? 'GET').toUpperCase(),
        headers,
        body,
        signal: init?.signal ?? null,
        redirect: init?.redirect ?? 'follow',
        hops: 0,
      },
      timeouts,
    );
  };
}

/** The fetch every provider SDK sends with. */
export const providerFetch: typeof fetch = createProviderFetch();
