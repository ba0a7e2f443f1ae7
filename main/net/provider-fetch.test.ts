import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { providerFetch } from './provider-fetch';

/* Every test talks to a real HTTP server on 127.0.0.1. */

interface Bed {
  readonly url: string;
  readonly server: Server;
  readonly connections: () => number;
  readonly requests: {
    method: string;
    url: string;
    headers: IncomingMessage['headers'];
    body: string;
  }[];
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<Bed> {
  const requests: Bed['requests'] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  server.on('connection', () => connections++);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, connections: () => connections, requests };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const parts: string[] = [];
  const decoder = new TextDecoder();
  for await (const chunk of stream) parts.push(decoder.decode(chunk, { stream: true }));
  return parts;
}

describe('providerFetch', () => {
  it('posts JSON as the built-in fetch does and streams the answer as it comes', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const bed = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'r1' });
      res.write('data: one\n\n');
      void gate.then(() => res.end('data: two\n\n'));
    });
    const body = JSON.stringify({ model: 'm', messages: ['héllo'] });
    const response = await providerFetch(`${bed.url}/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      body,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('r1');
    expect(response.url).toBe(`${bed.url}/v1/chat`);
    const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    // The first event arrives while the server still holds the second.
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: one\n\n');
    release();
    const rest = await readAll(
      new ReadableStream({
        pull: async (c) => {
          const next = await reader.read();
          if (next.done) c.close();
          else c.enqueue(next.value);
        },
      }),
    );
    expect(rest.join('')).toBe('data: two\n\n');
    const seen = bed.requests[0]!;
    expect(seen.method).toBe('POST');
    expect(seen.body).toBe(body);
    expect(seen.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers.authorization).toBe('Bearer k');
    expect(seen.headers.accept).toBe('*/*');
  });

  it('keeps the connection for the next request, and a process using it still exits', async () => {
    const bed = await serve((_req, res) => res.end('ok'));
    for (let i = 0; i < 3; i++) {
      const r = await providerFetch(`${bed.url}/x`, { method: 'POST', body: '{}' });
      expect(await r.text()).toBe('ok');
    }
    expect(bed.connections()).toBe(1);
    // A CLI run ends when its work ends, even with the idle connection still open.
    const script = `import { providerFetch } from ${JSON.stringify(join(import.meta.dirname, 'provider-fetch.ts'))};
      const r = await providerFetch(${JSON.stringify(`${bed.url}/y`)}, { method: 'POST', body: '{}' });
      process.stdout.write(await r.text());`;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const started = Date.now();
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(out).toBe('ok');
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('fails as the built-in fetch does when nothing answers (a retryable network error)', async () => {
    const bed = await serve(() => undefined);
    const url = bed.url;
    await new Promise((r) => bed.server.close(r));
    servers.length = 0;
    const error = await providerFetch(`${url}/x`, { method: 'POST', body: '{}' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('rejects with the signal’s reason, before the answer and in the middle of it', async () => {
    const sockets: Socket[] = [];
    const bed = await serve((req, res) => {
      sockets.push(req.socket);
      if (req.url === '/slow') return; // never answers
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n'); // and never ends
    });
    const early = new AbortController();
    const pending = providerFetch(`${bed.url}/slow`, {
      method: 'POST',
      body: '{}',
      signal: early.signal,
    });
    await new Promise((r) => setTimeout(r, 50));
    early.abort(new Error('stopped by the user'));
    await expect(pending).rejects.toThrow('stopped by the user');

    const late = new AbortController();
    const response = await providerFetch(`${bed.url}/stream`, {
      method: 'POST',
      body: '{}',
      signal: late.signal,
    });
    const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    await reader.read();
    const next = reader.read();
    late.abort();
    const error = await next.catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    // An already aborted signal sends nothing.
    const before = bed.requests.length;
    await expect(
      providerFetch(`${bed.url}/x`, { method: 'POST', body: '{}', signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(bed.requests.length).toBe(before);
  });

  it('errors the body with "terminated" when the answer breaks off', async () => {
    const bed = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n', () => setTimeout(() => req.socket.destroy(), 20));
    });
    const response = await providerFetch(`${bed.url}/x`, { method: 'POST', body: '{}' });
    const error = await readAll(response.body!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('terminated');
  });

  it('stops reading when the body is cancelled while the server still sends', async () => {
    const bed = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < 200; i++) res.write(`data: ${'x'.repeat(1000)} ${i}\n\n`);
      setTimeout(() => res.end(), 200);
    });
    const uncaught: unknown[] = [];
    const onError = (error: unknown): void => void uncaught.push(error);
    process.on('uncaughtException', onError);
    try {
      const response = await providerFetch(`${bed.url}/x`, { method: 'POST', body: '{}' });
      const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
      await reader.read();
      await reader.cancel();
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(uncaught).toEqual([]);
  });

  it('decodes a gzip answer, and gives no body for 204', async () => {
    const bed = await serve((req, res) => {
      if (req.url === '/none') {
        res.writeHead(204);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync('{"ok":true}'));
    });
    const zipped = await providerFetch(`${bed.url}/x`, { method: 'POST', body: '{}' });
    expect(await zipped.json()).toEqual({ ok: true });
    const none = await providerFetch(`${bed.url}/none`, { method: 'POST', body: '{}' });
    expect(none.status).toBe(204);
    expect(none.body).toBeNull();
  });

  it('follows a redirect within the origin by the fetch standard, and answers one elsewhere as it came', async () => {
    const other = await serve((_req, res) => res.end('elsewhere'));
    const bed = await serve((req, res) => {
      if (req.url === '/moved') {
        res.writeHead(307, { location: '/here' });
        res.end();
      } else if (req.url === '/seen') {
        res.writeHead(303, { location: '/here' });
        res.end();
      } else if (req.url === '/away') {
        res.writeHead(307, { location: `${other.url}/there` });
        res.end('moved');
      } else if (req.url === '/hop') {
        res.writeHead(308, { location: '/away' });
        res.end();
      } else res.end(`here: ${req.method} ${req.headers['content-type'] ?? '-'}`);
    });
    const init = (key: Record<string, string>): RequestInit => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', ...key },
      body: '{"a":1}',
    });
    const same = await providerFetch(`${bed.url}/moved`, init({ authorization: 'Bearer k' }));
    expect(await same.text()).toBe('here: POST application/json');
    expect(same.redirected).toBe(true);
    expect(same.url).toBe(`${bed.url}/here`);
    expect(bed.requests.find((r) => r.url === '/here')!.body).toBe('{"a":1}');
    // 303: the next request is a GET without the body or its headers.
    expect(await (await providerFetch(`${bed.url}/seen`, init({}))).text()).toBe('here: GET -');
    // Anthropic's and Gemini's keys are headers the fetch standard keeps across origins: a
    // redirect elsewhere, first or after a hop within the origin, is not followed.
    for (const key of [
      { 'x-api-key': 'sk-ant-secret' },
      { 'x-goog-api-key': 'AIza-secret' },
      { authorization: 'Bearer secret' },
    ]) {
      for (const path of ['/away', '/hop']) {
        const away = await providerFetch(`${bed.url}${path}`, init(key));
        expect(away.status).toBe(307);
        expect(away.ok).toBe(false);
        expect(away.headers.get('location')).toBe(`${other.url}/there`);
        expect(await away.text()).toBe('moved');
      }
    }
    expect(other.requests).toEqual([]);
  });

  it('answers with the Fetch API’s reading methods: headers, json, clone, one read only', async () => {
    const bed = await serve((_req, res) => {
      res.setHeader('X-Multi', ['a', 'b']);
      res.setHeader('Set-Cookie', ['s=1', 't=2']);
      res.setHeader('Content-Type', 'application/json');
      res.end('{"answer":42}');
    });
    const response = await providerFetch(`${bed.url}/x`, { method: 'POST', body: '{}' });
    expect(response.ok).toBe(true);
    expect(response.headers.get('x-multi')).toBe('a, b');
    expect(response.headers.getSetCookie()).toEqual(['s=1', 't=2']);
    const names = [...response.headers].map(([name]) => name);
    expect(names).toEqual([...names].sort());
    expect(Object.fromEntries([...response.headers])['content-type']).toBe('application/json');
    const copy = response.clone();
    expect(await response.json()).toEqual({ answer: 42 });
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
    expect(await copy.text()).toBe('{"answer":42}');
  });

  it('says an error status as the SDKs read it', async () => {
    const bed = await serve((_req, res) => {
      res.writeHead(429, 'Too Many Requests', {
        'retry-after': '2',
        'content-type': 'application/json',
      });
      res.end('{"error":{"message":"slow down"}}');
    });
    const response = await providerFetch(`${bed.url}/x`, { method: 'POST', body: '{}' });
    expect(response.ok).toBe(false);
    expect(response.status).toBe(429);
    expect(response.statusText).toBe('Too Many Requests');
    expect(response.headers.get('Retry-After')).toBe('2');
    expect(await response.text()).toContain('slow down');
  });

  it('hands what it does not send itself to the built-in fetch', async () => {
    const bed = await serve((req, res, body) => res.end(`${req.method} ${body}`));
    const request = new Request(`${bed.url}/r`, { method: 'POST', body: 'from a Request' });
    expect(await (await providerFetch(request)).text()).toBe('POST from a Request');
    const form = new URLSearchParams({ a: 'b' });
    expect(await (await providerFetch(`${bed.url}/f`, { method: 'POST', body: form })).text()).toBe(
      'POST a=b',
    );
  });
});
