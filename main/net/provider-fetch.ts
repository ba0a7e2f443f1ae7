import type { Agent, ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { PlainHeaders, PlainResponse, headerRecord } from './plain-response';

/*
 * The fetch the model providers' SDKs send with: node:http(s) over keep-alive connections, for
 * the requests they make (a POST of JSON, answered with JSON or a streamed event list). Node's
 * built-in fetch (undici) spends about 2 ms more per model step, and loading it costs about 25 ms
 * and 12 MiB at start (bench/cli-bench.ts): the answer here is a `PlainResponse`, so a run that
 * sends nothing else never loads undici. It behaves as the built-in one for these requests: same default headers,
 * same errors (`TypeError('fetch failed')` with the cause when no answer came, the signal's reason
 * on abort, `TypeError('terminated')` when an answer breaks off), a streamed body with
 * backpressure, gzip/deflate/br decoded. Anything else (a Request object, a streamed or form
 * body, a redirect, a proxy taken from the environment) is handed to the built-in fetch unchanged.
 */

/** No byte for this long, before or during the answer: the request fails (undici's default). */
const IDLE_TIMEOUT_MS = 300_000;
const NULL_BODY_STATUS = new Set([204, 205, 304]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

let agents: { readonly 'http:': Agent; readonly 'https:': Agent } | null = null;

function agentFor(protocol: 'http:' | 'https:'): Agent {
  agents ??= {
    'http:': new (process.getBuiltinModule('node:http').Agent)({ keepAlive: true }),
    'https:': new (process.getBuiltinModule('node:https').Agent)({ keepAlive: true }),
  };
  return agents[protocol];
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

function decoded(res: IncomingMessage): Readable {
  const encoding = (res.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return res;
  const zlib = process.getBuiltinModule('node:zlib');
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH })
      : encoding === 'deflate'
        ? zlib.createInflate({ flush: zlib.constants.Z_SYNC_FLUSH })
        : encoding === 'br'
          ? zlib.createBrotliDecompress({ flush: zlib.constants.BROTLI_OPERATION_FLUSH })
          : null;
  if (decoder === null) return res;
  res.on('error', (error) => decoder.destroy(error));
  return res.pipe(decoder);
}

/** The answer's body as a web stream that reads from the socket only as fast as it is consumed. */
function bodyStream(
  res: IncomingMessage,
  req: ClientRequest,
  signal: AbortSignal | null,
): ReadableStream<Uint8Array> {
  const source = decoded(res);
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const fail = (error: unknown): void => {
        if (done) return;
        done = true;
        controller.error(
          signal?.aborted ? reasonOf(signal) : new TypeError('terminated', { cause: error }),
        );
      };
      source.on('data', (chunk: Buffer) => {
        // After a cancel or an error the socket may still deliver what it had buffered.
        if (done) return;
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 1) <= 0) source.pause();
      });
      source.on('end', () => {
        if (done) return;
        done = true;
        controller.close();
      });
      source.on('error', fail);
      res.on('close', () => {
        if (!res.complete)
          fail(Object.assign(new Error('other side closed'), { code: 'ECONNRESET' }));
      });
      req.on('error', fail);
    },
    pull() {
      source.resume();
    },
    cancel() {
      done = true;
      source.pause();
      res.destroy();
    },
  });
}

function responseOf(
  url: URL,
  res: IncomingMessage,
  req: ClientRequest,
  method: string,
  signal: AbortSignal | null,
): Response {
  const headers = new PlainHeaders();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  }
  const status = res.statusCode ?? 0;
  const empty = method === 'HEAD' || NULL_BODY_STATUS.has(status);
  if (empty) res.resume();
  const body = empty ? null : bodyStream(res, req, signal);
  return new PlainResponse(body, status, res.statusMessage ?? '', headers, url.href);
}

/** A fetch for the providers' SDKs (see the top of this file). */
export const providerFetch: typeof fetch = (input, init) => {
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
  if (url.username !== '' || url.password !== '') return builtin();
  const method = (init?.method ?? 'GET').toUpperCase();
  const headers: OutgoingHttpHeaders = headerRecord(init?.headers);
  headers.accept ??= '*/*';
  headers['user-agent'] ??= 'node';
  if (typeof body === 'string') headers['content-type'] ??= 'text/plain;charset=UTF-8';
  if (body !== null) {
    headers['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  } else if (method === 'POST' || method === 'PUT') {
    headers['content-length'] = 0;
  }
  const signal = init?.signal ?? null;
  if (signal?.aborted) return Promise.reject(reasonOf(signal));
  const send = url.protocol === 'https:' ? 'node:https' : 'node:http';

  return new Promise<Response>((resolve, reject) => {
    let answered = false;
    const req = process.getBuiltinModule(send).request(url, {
      method,
      headers,
      agent: agentFor(url.protocol as 'http:' | 'https:'),
    });
    const onAbort = (): void => {
      req.destroy(reasonOf(signal));
      if (!answered) reject(reasonOf(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (): void => signal?.removeEventListener('abort', onAbort);
    req.setTimeout(IDLE_TIMEOUT_MS, () => {
      req.destroy(Object.assign(new Error('no data for 300 s'), { code: 'ETIMEDOUT' }));
    });
    req.on('error', (error) => {
      settle();
      if (answered) return;
      answered = true;
      reject(signal?.aborted ? reasonOf(signal) : failed(error));
    });
    req.on('response', (res) => {
      answered = true;
      res.on('close', settle);
      const status = res.statusCode ?? 0;
      if (REDIRECT_STATUS.has(status) && res.headers.location !== undefined) {
        // Redirects follow the fetch standard's rules (method, headers across origins): the
        // built-in fetch sends the request again and follows them.
        res.resume();
        settle();
        resolve(builtin());
        return;
      }
      if (status < 200 || status > 599) {
        res.destroy();
        reject(failed(new Error(`the server answered with status ${status}`)));
        return;
      }
      try {
        resolve(responseOf(url, res, req, method, signal));
      } catch (error) {
        res.destroy();
        reject(failed(error));
      }
    });
    req.end(body ?? undefined);
  });
};
