import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jsonSchema, tool } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from './errors';
import { DEFAULT_RETRY, runModelStep } from './model-step';
import { createLanguageModel, resolveProviderTarget } from './provider-factory';

/* A model step against servers that misbehave: what the user is told, what is retried, and
 * that the key goes nowhere else and is never quoted. */

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    req.resume();
    req.on('end', () => handler(req, res));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function step(
  provider: string,
  baseUrl: string,
  key: string,
): Promise<{ error: ProviderError | null; retries: string[] }> {
  const retries: string[] = [];
  const target = resolveProviderTarget(provider, [], baseUrl);
  try {
    await runModelStep({
      model: await createLanguageModel(target, 'test-model', key),
      provider,
      modelId: 'test-model',
      system: 'You are a test.',
      messages: [{ role: 'user', content: 'hello' }],
      tools: { read_file: tool({ inputSchema: jsonSchema({ type: 'object' }) }) },
      temperature: null,
      reasoning: null,
      signal: new AbortController().signal,
      retry: { ...DEFAULT_RETRY, maxRetries: 2 },
      sleep: () => Promise.resolve(),
      onText: () => undefined,
      onReasoning: () => undefined,
      onRetry: (r) => retries.push(r.error.kind),
    });
    return { error: null, retries };
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return { error, retries };
  }
}

describe('a model step against a hostile server', () => {
  it.each(['anthropic', 'gemini', 'openai'])(
    '%s: a redirect to another origin is reported, not followed with the key, not retried',
    async (provider) => {
      const other = await serve((_req, res) => res.end('{}'));
      const elsewhere = other.url.replace('127.0.0.1', 'localhost');
      const bed = await serve((_req, res) => {
        res.writeHead(308, { location: `${elsewhere}/v1/steal?token=t0ken` });
        res.end();
      });
      const key = 'sk-ant-api03-redirect-secret-0123456789';
      const run = await step(provider, `${bed.url}/v1`, key);
      expect(other.seen).toEqual([]);
      expect(run.retries).toEqual([]);
      expect(run.error?.kind).toBe('bad-request');
      expect(run.error?.message).toContain(`redirected the request (308) to ${elsewhere};`);
      expect(run.error?.message).not.toContain('t0ken');
      expect(run.error?.message).not.toContain(key);
    },
  );

  it('a key with a line break in it is reported as the key’s fault, unquoted, without a retry', async () => {
    const bed = await serve((_req, res) => res.end('{}'));
    const key = 'sk-proj-first-half\nsecond-half-0123456789';
    const run = await step('openai', `${bed.url}/v1`, key);
    expect(bed.seen).toEqual([]);
    expect(run.retries).toEqual([]);
    expect(run.error?.kind).toBe('auth');
    expect(run.error?.message).toMatch(/holds a character HTTP does not allow/);
    expect(run.error?.message).not.toContain('first-half');
    expect(run.error?.message).not.toContain('second-half');
  });

  const anthropicStart = `event: message_start\ndata: ${JSON.stringify({
    type: 'message_start',
    message: {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'test-model',
      content: [],
      stop_reason: null,
      usage: { input_tokens: 1, output_tokens: 1 },
    },
  })}\n\n`;
  const openAiStart = `data: ${JSON.stringify({
    id: 'c1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'test-model',
    choices: [{ index: 0, delta: { role: 'assistant', content: 'Partial' }, finish_reason: null }],
  })}\n\n`;
  it.each([
    ['anthropic', { type: 'overloaded_error', message: 'Overloaded' }, 'server', 2],
    ['anthropic', { type: 'rate_limit_error', message: 'Slow down' }, 'rate-limit', 2],
    ['anthropic', { type: 'authentication_error', message: 'invalid x-api-key' }, 'auth', 0],
    [
      'anthropic',
      { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000' },
      'context-overflow',
      0,
    ],
    ['deepseek', { message: 'Rate limit exceeded', code: 429 }, 'rate-limit', 2],
    ['deepseek', { message: 'Provider returned error', code: 502 }, 'server', 2],
    [
      'deepseek',
      { message: 'maximum context length is 8192 tokens', code: 'context_length_exceeded' },
      'context-overflow',
      0,
    ],
  ] as const)(
    '%s: an error %o in the middle of the answer is read as the provider meant it',
    async (provider, error, kind, retries) => {
      const bed = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        if (provider === 'anthropic') {
          res.write(anthropicStart);
          res.end(`event: error\ndata: ${JSON.stringify({ type: 'error', error })}\n\n`);
        } else {
          res.write(openAiStart);
          res.end(`data: ${JSON.stringify({ error })}\n\n`);
        }
      });
      const run = await step(provider, `${bed.url}/v1`, 'sk-test-key-0123456789abcdef');
      expect(run.error?.kind).toBe(kind);
      expect(run.error?.message).toContain(error.message);
      expect(run.retries).toHaveLength(retries);
    },
  );

  it('an answer that never ends its line is cut off, said so, and not asked for again', async () => {
    const bed = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"choices":[{"delta":{"content":"');
      const chunk = 'x'.repeat(1024 * 1024);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const run = await step('openai', `${bed.url}/v1`, 'sk-test-key-0123456789abcdef');
    expect(run.error?.kind).toBe('stream');
    expect(run.error?.message).toBe(
      'openai sent an answer larger than 16 MiB without a line break; it was not read further.',
    );
    expect(run.retries).toEqual([]);
    expect(bed.seen).toHaveLength(1);
  });
});
