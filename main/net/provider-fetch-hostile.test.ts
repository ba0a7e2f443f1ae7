import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createProviderFetch, providerFetch } from './provider-fetch';
import { ANSWER_LIMITS, ANSWER_TOO_LARGE } from './response-body';

/* Servers that misbehave, for real, on 127.0.0.1: each answer is written byte for byte. */

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A TCP server that answers the first bytes of each connection (the request) with `answer`. */
async function rawServer(answer: (socket: Socket, request: string) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('data', (d: Buffer) => answer(socket, d.toString('latin1')));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  closers.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An HTTP server whose handler may stall (never answer) or answer in parts. */
async function httpServer(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Settles with what the promise gave, or says it was still pending after `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'pending'>((r) => (timer = setTimeout(() => r('pending'), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

const post = { method: 'POST', body: '{}' } as const;

describe('providerFetch against hostile servers', () => {
  it('fails when the server switches protocols unasked, instead of waiting forever', async () => {
    const url = await rawServer((s) =>
      s.write(
        'HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n',
      ),
    );
    const error = await within(
      providerFetch(`${url}/v1/chat`, post).catch((e: unknown) => e),
      3000,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
  });

  it('gives up connecting to an address that never answers, as the built-in fetch does', async () => {
    // A listener whose process never accepts: once its queue is full, the kernel drops new
    // connections' first packets, as a firewall that drops them does.
    const child: ChildProcess = spawn(
      process.execPath,
      [
        '-e',
        `const s = require('node:net').createServer();
         s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
           process.stdout.write(s.address().port + '\\n');
           Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30000);
         });`,
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    closers.push(() => child.kill('SIGKILL'));
    const port = await new Promise<number>((r) =>
      child.stdout!.once('data', (d: Buffer) => r(Number(d.toString().trim()))),
    );
    const fillers: Socket[] = [];
    closers.push(() => fillers.forEach((f) => f.destroy()));
    for (let i = 0; i < 4; i++) {
      const f = connect(port, '127.0.0.1');
      f.on('error', () => undefined);
      fillers.push(f);
    }
    await new Promise((r) => setTimeout(r, 100));
    const quick = createProviderFetch({ connectMs: 300, idleMs: 60_000 });
    const started = Date.now();
    const error = await within(
      quick(`http://127.0.0.1:${port}/v1/chat`, post).catch((e: unknown) => e),
      5000,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as { code?: string }).code).toBe('ETIMEDOUT');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fails a server that goes quiet, before the answer and in the middle of it', async () => {
    const url = await httpServer((req, res) => {
      if (req.url === '/silent') return;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
    });
    const quick = createProviderFetch({ connectMs: 10_000, idleMs: 200 });
    const before = await quick(`${url}/silent`, post).catch((e: unknown) => e);
    expect((before as TypeError).message).toBe('fetch failed');
    expect(((before as TypeError).cause as { code?: string }).code).toBe('ETIMEDOUT');
    const response = await quick(`${url}/stream`, post);
    const reader = response.body!.getReader();
    await reader.read();
    const during = await reader.read().catch((e: unknown) => e);
    expect((during as TypeError).message).toBe('terminated');
  });

  it('never sends, nor quotes, the password of a URL', async () => {
    let connections = 0;
    const url = await rawServer((s) => {
      connections++;
      s.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
    });
    const withPassword = url.replace('http://', 'http://user:hunter2-secret@');
    const error = await providerFetch(`${withPassword}/v1/chat`, post).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).not.toContain('hunter2');
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('hunter2');
    expect(connections).toBe(0);
  });

  it('refuses redirect modes and loops as the fetch standard does', async () => {
    const url = await httpServer((req, res) => {
      res.writeHead(307, { location: req.url === '/loop' ? '/loop' : '/next' });
      res.end();
    });
    const manual = await providerFetch(`${url}/x`, { ...post, redirect: 'manual' });
    expect(manual.status).toBe(307);
    await expect(providerFetch(`${url}/x`, { ...post, redirect: 'error' })).rejects.toThrow(
      'fetch failed',
    );
    const loop = await providerFetch(`${url}/loop`, post).catch((e: unknown) => e);
    expect(((loop as TypeError).cause as Error).message).toBe('redirect count exceeded');
  });

  it('decodes what the built-in fetch decodes: stacked codings, gzip cut before its trailer', async () => {
    const text = 'data: {"choices":[]}\n\n'.repeat(20);
    const stacked = brotliCompressSync(gzipSync(text));
    const gz = gzipSync(text);
    const cut = gz.subarray(0, gz.length - 8); // without the CRC and length trailer
    const url = await rawServer((s, request) => {
      const [coding, bytes] = request.startsWith('POST /stacked')
        ? ['gzip, br', stacked]
        : ['gzip', cut];
      s.end(
        Buffer.concat([
          Buffer.from(
            `HTTP/1.1 200 OK\r\ncontent-encoding: ${coding}\r\ncontent-length: ${bytes.length}\r\nconnection: close\r\n\r\n`,
          ),
          bytes,
        ]),
      );
    });
    for (const path of ['/stacked', '/cut']) {
      const ours = await providerFetch(`${url}${path}`, post);
      expect(await ours.text()).toBe(text);
    }
  });

  it('stops reading an answer without end, by its lines, in all, or read whole', async () => {
    const MiB = 1024 * 1024;
    const url = await httpServer((req, res) => {
      const line = req.url === '/no-line-break' ? 'x'.repeat(MiB) : `data: ${'x'.repeat(MiB)}\n`;
      res.writeHead(req.url === '/whole' ? 500 : 200, { 'content-type': 'text/event-stream' });
      const pump = (): void => {
        while (!res.destroyed && res.write(line));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    for (const [path, limit] of [
      ['/no-line-break', ANSWER_LIMITS.lineBytes],
      ['/lines', ANSWER_LIMITS.streamBytes],
    ] as const) {
      const response = await providerFetch(`${url}${path}`, post);
      let read = 0;
      const error = await (async () => {
        for await (const chunk of response.body as ReadableStream<Uint8Array>)
          read += chunk.byteLength;
      })().catch((e: unknown) => e);
      expect((error as TypeError).message).toBe('terminated');
      expect(((error as TypeError).cause as { code?: string }).code).toBe(ANSWER_TOO_LARGE);
      expect(read).toBeLessThanOrEqual(limit);
      expect(read).toBeGreaterThan(limit - 2 * MiB);
    }
    const whole = await providerFetch(`${url}/whole`, post);
    const error = await whole.text().catch((e: unknown) => e);
    expect(((error as TypeError).cause as { code?: string }).code).toBe(ANSWER_TOO_LARGE);
  });
});
