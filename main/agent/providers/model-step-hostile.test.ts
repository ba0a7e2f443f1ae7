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
});
