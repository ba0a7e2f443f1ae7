import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { lookup as dnsLookup } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyAddress } from './address-class';
import { FetchRefused, safeFetch, type SafeFetchOptions } from './safe-fetch';

let server: Server;
let port = 0;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/page') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<p>hello</p>');
    } else if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('x'.repeat(100_000));
    } else if (req.url === '/png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.alloc(10));
    } else if (req.url?.startsWith('/redirect?')) {
      res.writeHead(302, { location: decodeURIComponent(req.url.slice('/redirect?'.length)) });
      res.end();
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

// A test resolver: names map to addresses, as the hosts file would.
const NAMES: Record<string, string[]> = {
  'allowed.test': ['127.0.0.1'],
  'public.test': ['93.184.216.34'],
  'inside.test': ['192.168.1.5'],
  'rebind.test': ['93.184.216.34', '127.0.0.1'],
  'meta.test': ['169.254.169.254'],
};
const lookup = ((host: string, _o: unknown, cb: (e: Error | null, a: unknown) => void) => {
  const list = NAMES[host];
  if (!list) return cb(Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' }), []);
  cb(
    null,
    list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
  );
}) as unknown as typeof dnsLookup;

function options(over: Partial<SafeFetchOptions> = {}): SafeFetchOptions {
  return {
    checkHost: () => ({ allowed: true, reason: '' }),
    privateAllowed: (h) => h === 'allowed.test',
    strictHttpsOnly: false,
    maxBytes: 1_000_000,
    timeoutMs: 5_000,
    maxRedirects: 5,
    signal: new AbortController().signal,
    lookup,
    ...over,
  };
}

const refused = (url: string, o = options()) =>
  expect(safeFetch(url, o)).rejects.toBeInstanceOf(FetchRefused);

describe('safeFetch', () => {
  it('fetches an allowed host', async () => {
    const r = await safeFetch(`http://allowed.test:${port}/page`, options());
    expect(r.status).toBe(200);
    expect(r.body).toBe('<p>hello</p>');
    expect(r.truncated).toBe(false);
  });

  it('refuses loopback, metadata, private and mapped addresses, by literal or by name', async () => {
    const before = hits.length;
    await refused(`http://127.0.0.1:${port}/page`);
    await refused(`http://[::1]:${port}/page`);
    await refused(`http://[::ffff:127.0.0.1]:${port}/page`);
    await refused(`http://2130706433:${port}/page`);
    await refused(`http://0x7f.1:${port}/page`);
    await refused('http://169.254.169.254/latest/meta-data/');
    await refused('http://10.1.2.3/');
    await refused(`http://inside.test:${port}/`);
    await refused(`http://meta.test/`);
    await refused(`http://rebind.test:${port}/page`);
    expect(hits.length).toBe(before);
  });

  it('checks every redirect again', async () => {
    const into = encodeURIComponent(`http://127.0.0.1:${port}/page`);
    const before = hits.length;
    await expect(
      safeFetch(`http://allowed.test:${port}/redirect?${into}`, options()),
    ).rejects.toThrow(/loopback/);
    // The first hop was served; the loopback target never was.
    expect(hits.slice(before)).toEqual([`/redirect?${into}`]);
    const denied = options({
      checkHost: (u) => ({ allowed: u.hostname !== 'blocked.test', reason: 'blocked_domains' }),
    });
    const toBlocked = encodeURIComponent('http://blocked.test/');
    await expect(
      safeFetch(`http://allowed.test:${port}/redirect?${toBlocked}`, denied),
    ).rejects.toThrow(/blocked.test is not allowed/);
  });

  it('follows an allowed redirect and stops after maxRedirects', async () => {
    const to = encodeURIComponent(`http://allowed.test:${port}/page`);
    const r = await safeFetch(`http://allowed.test:${port}/redirect?${to}`, options());
    expect(r.body).toBe('<p>hello</p>');
    expect(r.hops).toHaveLength(2);
    await expect(
      safeFetch(`http://allowed.test:${port}/redirect?${to}`, options({ maxRedirects: 0 })),
    ).rejects.toThrow(/redirects/);
  });

  it('cuts an oversized body and refuses non-text', async () => {
    const r = await safeFetch(`http://allowed.test:${port}/big`, options({ maxBytes: 1000 }));
    expect(r.body).toHaveLength(1000);
    expect(r.truncated).toBe(true);
    await expect(safeFetch(`http://allowed.test:${port}/png`, options())).rejects.toThrow(
      /image\/png/,
    );
  });

  it('refuses what the host policy denies, non-https under strict, credentials and other schemes', async () => {
    const deny = options({ checkHost: () => ({ allowed: false, reason: 'not on the list' }) });
    await expect(safeFetch(`http://allowed.test:${port}/page`, deny)).rejects.toThrow(
      /not on the list/,
    );
    await refused(`http://allowed.test:${port}/page`, options({ strictHttpsOnly: true }));
    await refused(`http://user:pw@allowed.test:${port}/page`);
    await refused('file:///etc/passwd');
    await refused('ftp://allowed.test/');
    await refused('not a url');
  });
});

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.32.0.1', null],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'cloud-metadata'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:7f00:1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'cloud-metadata'],
    ['2002:7f00:1::1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['8.8.8.8', null],
    ['2606:4700::1111', null],
    ['not-an-ip', 'reserved'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});
