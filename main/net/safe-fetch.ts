import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { IncomingMessage } from 'node:http';
import { isIP, type LookupFunction } from 'node:net';
import { classifyAddress } from './address-class';
import { requestFor } from './http-request';

/** What the host policy says about one host before anything is sent. */
export interface HostVerdict {
  readonly allowed: boolean;
  readonly reason: string;
}

export interface SafeFetchOptions {
  /** Decides each URL (the first, `hop` 0, and every redirect's) before its host is contacted. */
  readonly checkHost: (url: URL, hop: number) => HostVerdict;
  /** Hosts the user allowed by exact name: they may resolve to a private or loopback address. */
  readonly privateAllowed: (host: string) => boolean;
  readonly strictHttpsOnly: boolean;
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly maxRedirects: number;
  readonly signal: AbortSignal;
  /** Resolves a host name (tests map names to 127.0.0.1 with their own). */
  readonly lookup?: typeof dnsLookup;
}

export interface SafeFetchResult {
  readonly url: string;
  readonly status: number;
  readonly statusText: string;
  readonly contentType: string;
  readonly body: string;
  /** The body was cut at maxBytes. */
  readonly truncated: boolean;
  /** Each hop taken, first to last. */
  readonly hops: readonly string[];
}

/** A fetch the policy or the address check refused; the message says which and why. */
export class FetchRefused extends Error {}

const TEXT_TYPES =
  /^(text\/|application\/(json|xml|xhtml\+xml|javascript|ecmascript|x-javascript|ld\+json|rss\+xml|atom\+xml|x-ndjson|toml|yaml|x-yaml)|[^;]*\+json|[^;]*\+xml)/i;

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** Refuse what may not be fetched before a connection is made. */
function vetUrl(url: URL, hop: number, o: SafeFetchOptions): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new FetchRefused(`only http and https URLs can be fetched, not ${url.protocol}`);
  if (o.strictHttpsOnly && url.protocol !== 'https:')
    throw new FetchRefused(
      `${url.origin} is not https, and [tools.web_fetch] strict_https_only is on`,
    );
  if (url.username || url.password)
    throw new FetchRefused('URLs with a user name or password are not fetched');
  const host = hostOf(url);
  const verdict = o.checkHost(url, hop);
  if (!verdict.allowed) throw new FetchRefused(`${host} is not allowed: ${verdict.reason}`);
  if (isIP(host) !== 0) {
    const kind = classifyAddress(host);
    if (kind !== null && !o.privateAllowed(host))
      throw new FetchRefused(`${host} is a ${kind} address; web_fetch never reaches one`);
  }
}

/**
 * The lookup the connection itself uses: every address the name resolves to is checked, and the
 * socket connects to a checked one. No second resolution, so DNS rebinding has no gap to use.
 */
function vettedLookup(host: string, o: SafeFetchOptions): LookupFunction {
  const resolve = o.lookup ?? dnsLookup;
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = Array.isArray(addresses) ? addresses : [];
      const bad = list.find((a) => classifyAddress(a.address) !== null);
      if (list.length === 0)
        return callback(new FetchRefused(`${hostname} did not resolve`), '', 0);
      if (bad && !o.privateAllowed(host))
        return callback(
          new FetchRefused(
            `${hostname} resolves to ${bad.address}, a ${classifyAddress(bad.address)} address; web_fetch never reaches one`,
          ),
          '',
          0,
        );
      if (options.all) return callback(null, list);
      const first = list[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

function get(url: URL, o: SafeFetchOptions, signal: AbortSignal): Promise<IncomingMessage> {
  const host = hostOf(url);
  const send = requestFor(url.protocol);
  return new Promise((resolveResponse, reject) => {
    const req = send(
      url,
      {
        method: 'GET',
        headers: { 'user-agent': 'vtcode-desktop web_fetch', accept: 'text/*, application/json' },
        // An IP literal needs no lookup; a name is resolved and vetted once, then pinned.
        ...(isIP(host) === 0 ? { lookup: vettedLookup(host, o) } : {}),
        signal,
      },
      resolveResponse,
    );
    req.on('error', reject);
    req.end();
  });
}

async function readBody(
  res: IncomingMessage,
  maxBytes: number,
): Promise<{ text: string; truncated: boolean }> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    const room = maxBytes - size;
    if (chunk.length >= room) {
      parts.push(chunk.subarray(0, room));
      res.destroy();
      return { text: Buffer.concat(parts).toString('utf8'), truncated: true };
    }
    parts.push(chunk);
    size += chunk.length;
  }
  return { text: Buffer.concat(parts).toString('utf8'), truncated: false };
}

/**
 * GET a URL as web_fetch may: the host policy decides each host, names resolve only to public
 * addresses (unless the user allowed that exact host), redirects are followed by hand and checked
 * again, only text comes back, cut at maxBytes, within timeoutMs.
 */
export async function safeFetch(input: string, o: SafeFetchOptions): Promise<SafeFetchResult> {
  const signal = AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs)]);
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new FetchRefused(`not a URL: ${input.slice(0, 200)}`);
  }
  const hops: string[] = [];
  for (let hop = 0; ; hop++) {
    vetUrl(url, hop, o);
    hops.push(url.href);
    const res = await get(url, o, signal);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (status >= 300 && status < 400 && location) {
      res.resume();
      if (hop >= o.maxRedirects)
        throw new FetchRefused(`more than ${o.maxRedirects} redirects; stopped at ${url.href}`);
      url = new URL(location, url);
      continue;
    }
    const contentType = String(res.headers['content-type'] ?? '');
    if (contentType !== '' && !TEXT_TYPES.test(contentType)) {
      res.destroy();
      throw new FetchRefused(`${url.href} is ${contentType}, not text; web_fetch reads only text`);
    }
    const { text, truncated } = await readBody(res, o.maxBytes);
    return {
      url: url.href,
      status,
      statusText: res.statusMessage ?? '',
      contentType,
      body: text,
      truncated,
      hops,
    };
  }
}
