import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { SECURITY_HEADERS } from '../core/csp';
import type { Logger } from '../log/logger';
import type { Router } from '../ipc/router';
import { HostConfigError } from './host-config-error';
import { loadStaticFile } from './static-files';
import { handleSocket } from './ws-bridge';

/*
 * Browser mode: the built renderer and the bridge contract served on loopback. Every WebSocket
 * must carry this launch's random token and come from this server's own origin; every HTTP request
 * must name this server in its Host header (a DNS-rebinding page cannot).
 */

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
/** Largest frame a client may send; policy files are the biggest payloads (well under this). */
export const MAX_FRAME_BYTES = 8 * 1024 * 1024;

export interface HostServerOptions {
  readonly router: Router;
  readonly rendererDir: string;
  readonly logger: Logger;
  readonly host?: string;
  readonly port?: number;
  /** Must be true to listen on anything but loopback. */
  readonly allowRemote?: boolean;
  /** For tests only; a launch normally gets a fresh random token. */
  readonly token?: string;
}

export interface HostServer {
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Start the headless host; resolves once it is listening. */
export async function startHostServer(options: HostServerOptions): Promise<HostServer> {
  const bindHost = options.host ?? '127.0.0.1';
  const loopbackOnly = LOOPBACK.has(bindHost);
  if (!loopbackOnly && !options.allowRemote) {
    throw new HostConfigError(
      `Refusing to listen on ${bindHost}: browser mode binds to loopback only. ` +
        'Pass --allow-remote to expose it to your network (the token is then your only protection; ' +
        'prefer an SSH tunnel).',
    );
  }
  const token = options.token ?? randomBytes(32).toString('base64url');
  const { logger, router } = options;
  let port = 0;

  const hostAllowed = (hostHeader: string | undefined): boolean => {
    if (!hostHeader) return false;
    if (!loopbackOnly) return true;
    return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(
      hostHeader.toLowerCase(),
    );
  };

  const server: Server = createServer((req, res) => {
    void serveHttp(req, res);
  });

  const serveHttp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!hostAllowed(req.headers.host)) {
      res
        .writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end('Forbidden: unexpected Host header.\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const file = await loadStaticFile(options.rendererDir, req.url ?? '/');
    if (!file) {
      res
        .writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS })
        .end('Not found\n');
      return;
    }
    res.writeHead(200, {
      'Content-Type': file.contentType,
      'Content-Length': file.body.length,
      'Cache-Control': file.contentType.startsWith('text/html') ? 'no-store' : 'no-cache',
      ...SECURITY_HEADERS,
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  let nextClient = 1;

  const refuse = (socket: Duplex, status: number, reason: string): void => {
    const body = `${reason}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}\r\n` +
        'Content-Type: text/plain; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    if (url.pathname !== '/bridge') return refuse(socket, 403, 'Forbidden: unknown endpoint.');
    if (!hostAllowed(req.headers.host))
      return refuse(socket, 403, 'Forbidden: unexpected Host header.');
    const origin = req.headers.origin;
    if (!origin || origin !== `http://${req.headers.host ?? ''}`) {
      logger.warn('refused a bridge connection from a foreign origin', { origin: origin ?? null });
      return refuse(socket, 403, 'Forbidden: the bridge only accepts its own origin.');
    }
    const given = url.searchParams.get('token');
    if (!given || !tokensEqual(given, token)) {
      logger.warn('refused a bridge connection with a missing or wrong token');
      return refuse(
        socket,
        401,
        'Unauthorized: missing or wrong token. Open the URL the host printed.',
      );
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const id = `ws-${nextClient++}`;
      logger.info('bridge client connected', { client: id });
      handleSocket(ws, { id, router, logger });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${formatHost(bindHost === 'localhost' ? '127.0.0.1' : bindHost)}:${port}`;

  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => {
        wss.close(() => resolve());
      });
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
    },
  };
}
