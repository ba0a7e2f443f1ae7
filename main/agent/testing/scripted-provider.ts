import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseFixture, type Fixture, type FixtureInput, type ScriptResponse } from './fixture';
import { anthropicEvents, errorBody, openAiEvents } from './wire-formats';

/*
 * TEST SUPPORT. A real HTTP server on 127.0.0.1 that answers like OpenAI chat completions
 * (`POST …/chat/completions`) and Anthropic messages (`POST …/messages`), streaming scripted
 * responses in order and recording every request it received.
 */

export type Wire = 'openai' | 'anthropic';

/** One request as the server received it. */
export interface RecordedRequest {
  readonly wire: Wire;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body (null when it was not JSON). */
  readonly body: unknown;
  /** Which scripted response answered it (index into the fixture), -1 when none was left. */
  readonly responseIndex: number;
  /** When it arrived (Date.now(), ms): benches time a client from it. */
  readonly at?: number;
}

export interface ScriptedProvider {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:43123/v1`. */
  readonly url: string;
  readonly port: number;
  /** Requests received so far, oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** Replace the script (and restart it from the first response). */
  setFixture(fixture: FixtureInput): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    parts.push(buf);
  }
  return Buffer.concat(parts).toString('utf8');
}

const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();

/** Start the scripted provider on 127.0.0.1 (port 0 picks a free one). */
export async function startScriptedProvider(
  fixtureInput: FixtureInput,
  options: {
    readonly port?: number;
    /** Model ids `GET …/models` lists (OpenAI's and Anthropic's shape); default one. */
    readonly models?: readonly string[];
    /** When set, `GET …/models` answers 401 unless this key comes as Bearer or x-api-key. */
    readonly requireKey?: string;
  } = {},
): Promise<ScriptedProvider> {
  let fixture: Fixture = parseFixture(fixtureInput);
  let next = 0;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const pick = (): { response: ScriptResponse | null; index: number } => {
    if (next < fixture.responses.length) {
      const index = next++;
      return { response: fixture.responses[index] ?? null, index };
    }
    if (fixture.whenExhausted === 'repeat-last' && fixture.responses.length > 0) {
      const index = fixture.responses.length - 1;
      return { response: fixture.responses[index] ?? null, index };
    }
    return { response: null, index: -1 };
  };

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const wire: Wire | null = path.endsWith('/chat/completions')
      ? 'openai'
      : path.endsWith('/messages')
        ? 'anthropic'
        : null;
    if (req.method === 'GET' && path.endsWith('/models')) {
      const sent =
        req.headers['x-api-key'] ?? req.headers.authorization?.replace(/^Bearer /, '') ?? null;
      requests.push({
        wire: 'openai',
        path,
        headers: { ...req.headers },
        body: null,
        responseIndex: -1,
      });
      if (options.requireKey !== undefined && sent !== options.requireKey) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(errorBody('openai', 401, 'Incorrect API key provided', 'invalid_api_key'));
        return;
      }
      const ids = options.models ?? ['scripted-model'];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          object: 'list',
          data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'scripted' })),
        }),
      );
      return;
    }
    if (req.method !== 'POST' || wire === null) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        errorBody('openai', 404, `scripted provider: no route ${req.method} ${path}`, undefined),
      );
      return;
    }
    const text = await readBody(req);
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // Recorded as null: a test asserting on the body will say so.
    }
    const { response, index } = pick();
    requests.push({
      wire,
      path,
      headers: { ...req.headers },
      body,
      responseIndex: index,
      at: Date.now(),
    });
    const model =
      typeof body === 'object' &&
      body !== null &&
      typeof (body as { model?: unknown }).model === 'string'
        ? (body as { model: string }).model
        : 'scripted-model';

    if (response === null) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        errorBody(wire, 500, 'scripted provider: the script has no response left', undefined),
      );
      return;
    }
    switch (response.kind) {
      case 'drop':
        req.socket.destroy();
        return;
      case 'error': {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (response.retryAfter !== undefined) headers['retry-after'] = response.retryAfter;
        res.writeHead(response.status, headers);
        res.end(errorBody(wire, response.status, response.message, response.code));
        return;
      }
      case 'stream': {
        const events =
          wire === 'openai'
            ? openAiEvents(response, model, requests.length)
            : anthropicEvents(response, model, requests.length);
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
        });
        res.flushHeaders();
        for (let i = 0; i < events.length; i++) {
          if (response.dropAfterEvents !== undefined && i >= response.dropAfterEvents) {
            req.socket.destroy();
            return;
          }
          if (i > 0) await sleep(response.chunkDelayMs);
          if (res.destroyed) return;
          res.write(
            i === response.malformedAt ? 'data: {"choices": [{"delta": {"cont\n\n' : events[i],
          );
        }
        res.end();
        return;
      }
    }
  };

  const server = createServer((req, res) => {
    answer(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(errorBody('openai', 500, `scripted provider failed: ${String(error)}`, undefined));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    setFixture(input) {
      fixture = parseFixture(input);
      next = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
