import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createServices } from '../core/services';
import { createHandlers } from '../ipc/handlers';
import { createRouter } from '../ipc/router';
import { createLogger } from '../log/logger';
import { resolveAppPaths } from '../platform/paths';
import { startHostServer, type HostServer } from './host-server';

let server: HostServer;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'host-'));
  const rendererDir = join(root, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(root, 'secret.txt'), 'outside the renderer');
  await mkdir(join(root, 'workspace'));
  const logger = createLogger({ level: 'error' });
  const paths = resolveAppPaths({ VTCODE_DESKTOP_HOME: join(root, 'home') }, 'linux', root);
  const services = createServices({
    paths,
    logger,
    host: { kind: 'browser', electronVersion: null },
  });
  server = await startHostServer({
    router: createRouter(createHandlers(services), logger),
    rendererDir,
    logger,
  });
});

afterAll(async () => {
  await server.close();
});

function get(
  path: string,
  host = `127.0.0.1:${server.port}`,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, headers: { host } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Open a bridge socket; resolves with the socket or rejects with the HTTP status of a refusal. */
function connect(
  options: { token?: string | null; origin?: string | null } = {},
): Promise<WebSocket> {
  const token = options.token === undefined ? server.token : options.token;
  const url = `ws://127.0.0.1:${server.port}/bridge${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
  const origin = options.origin === undefined ? server.origin : options.origin;
  const ws = new WebSocket(url, origin === null ? {} : { origin });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => reject(new Error(`${res.statusCode}: ${body.trim()}`)));
    });
    ws.once('error', reject);
  });
}

function nextMessage(
  ws: WebSocket,
  accept: (m: Record<string, unknown>) => boolean = () => true,
): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      if (!accept(message)) return;
      ws.off('message', onMessage);
      resolve(message);
    };
    ws.on('message', onMessage);
  });
}

/** Send a frame and wait for its reply (a result, or a frame-level error); events are skipped. */
async function call(ws: WebSocket, frame: unknown): Promise<Record<string, unknown>> {
  const reply = nextMessage(ws, (m) => m.type !== 'event');
  ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  return reply;
}

describe('browser-mode host: static files', () => {
  it('serves the renderer with the CSP header', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect((await get('/assets/app.js')).status).toBe(200);
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%00',
  ])('does not serve %s', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('outside the renderer');
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await get('/', `evil.example:${server.port}`);
    expect(res.status).toBe(403);
    expect(res.body).toMatch(/Host header/);
  });
});

describe('browser-mode host: bridge access', () => {
  it('refuses a connection without the token', async () => {
    await expect(connect({ token: null })).rejects.toThrow(
      /401: Unauthorized: missing or wrong token/,
    );
  });

  it('refuses a wrong token', async () => {
    await expect(connect({ token: 'x'.repeat(43) })).rejects.toThrow(/401/);
    await expect(connect({ token: `${server.token}x` })).rejects.toThrow(/401/);
  });

  it('refuses a foreign Origin even with the right token', async () => {
    await expect(connect({ origin: 'http://evil.example' })).rejects.toThrow(
      /403: Forbidden: the bridge only accepts its own origin/,
    );
    await expect(connect({ origin: `http://localhost:${server.port + 1}` })).rejects.toThrow(/403/);
  });

  it('refuses a connection with no Origin', async () => {
    await expect(connect({ origin: null })).rejects.toThrow(/403/);
  });

  it('accepts the token from its own origin and answers calls', async () => {
    const ws = await connect();
    const reply = await call(ws, { type: 'invoke', id: 1, channel: 'app:get-info', payload: {} });
    expect(reply).toMatchObject({
      type: 'result',
      id: 1,
      result: { ok: true, value: { host: 'browser' } },
    });
    ws.close();
  });
});

describe('browser-mode host: malformed traffic', () => {
  let ws: WebSocket;
  beforeAll(async () => {
    ws = await connect();
  });
  afterAll(() => ws.close());

  it('answers a non-JSON frame with a clear error and stays up', async () => {
    expect(await call(ws, '{nope')).toEqual({
      type: 'error',
      message: 'Malformed frame: not JSON.',
    });
  });

  it('answers a frame of the wrong shape', async () => {
    expect(await call(ws, { type: 'invoke', id: 2 })).toMatchObject({
      type: 'result',
      id: 2,
      result: { ok: false, error: { code: 'invalid-argument' } },
    });
    expect(await call(ws, [1, 2, 3])).toMatchObject({ type: 'error' });
  });

  it('refuses binary frames', async () => {
    const reply = nextMessage(ws);
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await reply).toMatchObject({
      type: 'error',
      message: expect.stringMatching(/Binary/) as unknown,
    });
  });

  it('refuses an unknown channel and a bad payload with codes', async () => {
    expect(
      await call(ws, { type: 'invoke', id: 3, channel: 'fs:rm-rf', payload: {} }),
    ).toMatchObject({
      result: { ok: false, error: { code: 'unknown-channel' } },
    });
    expect(
      await call(ws, { type: 'invoke', id: 4, channel: 'workspace:open', payload: { path: 12 } }),
    ).toMatchObject({
      result: {
        ok: false,
        error: { code: 'invalid-argument', message: expect.stringMatching(/path/) as unknown },
      },
    });
  });

  it('still works after the bad frames, and pushes events to the caller', async () => {
    const event = nextMessage(ws, (m) => m.type === 'event');
    const reply = await call(ws, {
      type: 'invoke',
      id: 5,
      channel: 'workspace:open',
      payload: { path: join(root, 'workspace') },
    });
    expect(reply).toMatchObject({ result: { ok: true, value: { name: 'workspace' } } });
    expect(await event).toMatchObject({
      channel: 'workspace:changed',
      payload: { workspace: { name: 'workspace' } },
    });
  });
});

describe('startHostServer binding', () => {
  it('refuses a non-loopback address unless asked', async () => {
    const logger = createLogger({ level: 'error' });
    await expect(
      startHostServer({
        router: { dispatch: () => Promise.reject(new Error('unused')) },
        rendererDir: root,
        logger,
        host: '0.0.0.0',
      }),
    ).rejects.toThrow(/Refusing to listen on 0\.0\.0\.0.*--allow-remote/);
  });
});
