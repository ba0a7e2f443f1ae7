import { jsonSchema, streamText, tool, type ToolSet } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedProvider, type ScriptedProvider } from '../testing/scripted-provider';
import type { ScriptResponseInput } from '../testing/fixture';
import { ProviderError } from './errors';
import { DEFAULT_RETRY, runModelStep, type StepResult } from './model-step';
import { createLanguageModel, resolveProviderTarget } from './provider-factory';

let sp: ScriptedProvider;
beforeAll(async () => {
  sp = await startScriptedProvider({ responses: [] });
});
afterAll(() => sp.close());

const tools: ToolSet = {
  read_file: tool({
    description: 'read',
    inputSchema: jsonSchema({ type: 'object', properties: { path: { type: 'string' } } }),
  }),
};

interface Run {
  result: StepResult | null;
  error: ProviderError | null;
  text: string;
  /** How many times the step said there was text (an empty delta is not text). */
  textCalls: number;
  reasoning: string;
  retries: Array<{ attempt: number; delayMs: number; kind: string; discardPartial: boolean }>;
}

async function step(
  provider: string,
  responses: ScriptResponseInput[],
  opts: { signal?: AbortSignal; baseUrl?: string } = {},
): Promise<Run> {
  sp.setFixture({ responses });
  const run: Run = {
    result: null,
    error: null,
    text: '',
    textCalls: 0,
    reasoning: '',
    retries: [],
  };
  const target = resolveProviderTarget(provider, [], opts.baseUrl ?? sp.url);
  try {
    run.result = await runModelStep({
      model: await createLanguageModel(target, 'test-model', 'sk-test-key-0123456789abcdef'),
      provider,
      modelId: 'test-model',
      system: 'You are a test.',
      messages: [{ role: 'user', content: 'hello' }],
      tools,
      temperature: null,
      reasoning: null,
      signal: opts.signal ?? new AbortController().signal,
      retry: { ...DEFAULT_RETRY, maxRetries: 2 },
      sleep: () => Promise.resolve(),
      onText: (t) => {
        run.text += t;
        run.textCalls++;
      },
      onReasoning: (t) => (run.reasoning += t),
      onRetry: (r) =>
        run.retries.push({
          attempt: r.attempt,
          delayMs: r.delayMs,
          kind: r.error.kind,
          discardPartial: r.discardPartial,
        }),
    });
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    run.error = error;
  }
  return run;
}

const answer: ScriptResponseInput = {
  kind: 'stream',
  parts: [
    { type: 'reasoning', text: 'Let me look.' },
    { type: 'text', text: 'Reading two files.' },
    { type: 'tool_call', name: 'read_file', arguments: { path: 'a.txt' } },
    { type: 'tool_call', name: 'read_file', arguments: '{"path": "b.txt' },
  ],
  usage: { input: 120, output: 30, cached: 100 },
  chunkSize: 3,
};

describe.each(['openai', 'anthropic', 'deepseek'])('%s wire format', (provider) => {
  it('streams text, reasoning and several tool calls (one malformed) with usage', async () => {
    const run = await step(provider, [answer]);
    expect(run.error).toBeNull();
    expect(run.text).toBe('Reading two files.');
    // OpenAI's own chat completions API carries no reasoning text; the others do.
    expect(run.reasoning).toBe(provider === 'openai' ? '' : 'Let me look.');
    const calls = run.result?.toolCalls ?? [];
    expect(calls.map((c) => [c.toolName, c.parseError === null])).toEqual([
      ['read_file', true],
      ['read_file', false],
    ]);
    expect(calls[0]?.input).toEqual({ path: 'a.txt' });
    expect(run.result?.usage?.inputTokens).toBe(120);
    expect(run.result?.usage?.inputTokenDetails.cacheReadTokens).toBe(100);
    expect(run.result?.usage?.outputTokens).toBe(30);
    const last = sp.requests[sp.requests.length - 1];
    expect(JSON.stringify(last?.body)).toContain('You are a test.');
    expect(JSON.stringify(last?.body)).toContain('read_file');
  });

  it('keeps the assistant message as the SDK gives it: text, reasoning with its metadata, every call', async () => {
    const run = await step(provider, [answer]);
    const [message, ...rest] = run.result?.assistantMessages ?? [];
    expect(rest).toEqual([]);
    expect(message?.role).toBe('assistant');
    const parts = (message?.content ?? []) as Array<Record<string, unknown>>;
    // Anthropic's answer also carries a provider part ('custom') that goes back as it came.
    expect(parts.map((p) => p.type)).toEqual([
      ...(provider === 'anthropic' ? ['custom'] : []),
      ...(provider === 'openai' ? [] : ['reasoning']),
      'text',
      'tool-call',
      'tool-call',
    ]);
    const calls = parts.filter((p) => p.type === 'tool-call');
    expect(calls[0]?.input).toEqual({ path: 'a.txt' });
    // The malformed call's unparsable input goes back as an empty object, as the SDK does.
    expect(calls[1]?.input).toEqual({});
    if (provider === 'anthropic') {
      // The thinking block's signature goes back to Anthropic with the next request.
      const reasoning = parts.find((p) => p.type === 'reasoning');
      expect(JSON.stringify(reasoning?.providerOptions)).toMatch(/sig-scripted-/);
    }
  });

  it('builds the same assistant message as the SDK’s streamText would', async () => {
    sp.setFixture({ responses: [answer] });
    const target = resolveProviderTarget(provider, [], sp.url);
    const model = await createLanguageModel(target, 'test-model', 'sk-test-key-0123456789abcdef');
    const sdk = streamText({
      model,
      system: 'You are a test.',
      messages: [{ role: 'user', content: 'hello' }],
      tools,
      maxRetries: 0,
    });
    for await (const part of sdk.fullStream) void part;
    const expected = (await sdk.responseMessages).filter((m) => m.role === 'assistant');
    const run = await step(provider, [answer]);
    // Alike but for the ids the scripted provider numbers by request, and keys left undefined.
    const same = (value: unknown): unknown =>
      JSON.parse(JSON.stringify(value).replace(/scripted([-_])\d+/g, 'scripted$1N'));
    expect(same(run.result?.assistantMessages)).toEqual(same(expected));
  });

  it('a step with only a tool call says no text (the opening empty delta is not an answer)', async () => {
    const run = await step(provider, [
      {
        kind: 'stream',
        parts: [{ type: 'tool_call', name: 'read_file', arguments: { path: 'a' } }],
      },
    ]);
    expect(run.error).toBeNull();
    expect(run.textCalls).toBe(0);
    expect(run.result?.toolCalls).toHaveLength(1);
  });

  it('retries a 429 honouring Retry-After, then succeeds', async () => {
    const run = await step(provider, [{ kind: 'error', status: 429, retryAfter: '2' }, answer]);
    expect(run.error).toBeNull();
    expect(run.retries).toEqual([
      { attempt: 1, delayMs: 2000, kind: 'rate-limit', discardPartial: false },
    ]);
  });

  it('retries a 500 and a refused connection with backoff', async () => {
    const run = await step(provider, [{ kind: 'error', status: 500 }, { kind: 'drop' }, answer]);
    expect(run.error).toBeNull();
    expect(run.retries.map((r) => r.kind)).toEqual(['server', 'network']);
    expect(run.retries[1]!.delayMs).toBeGreaterThan(run.retries[0]!.delayMs * 1.5);
  });

  it('retries a stream dropped mid-answer and tells the UI to discard the partial text', async () => {
    const run = await step(provider, [{ ...answer, dropAfterEvents: 8, chunkDelayMs: 15 }, answer]);
    expect(run.error).toBeNull();
    expect(run.retries).toHaveLength(1);
    expect(run.retries[0]?.discardPartial).toBe(true);
  });

  it('retries a malformed chunk', async () => {
    const run = await step(provider, [{ ...answer, malformedAt: 3 }, answer]);
    expect(run.error).toBeNull();
    expect(run.retries.map((r) => r.kind)).toEqual(['stream']);
  });

  it('gives up after the retry budget with a clear error', async () => {
    const run = await step(provider, [
      { kind: 'error', status: 503 },
      { kind: 'error', status: 503 },
      { kind: 'error', status: 503 },
    ]);
    expect(run.error?.kind).toBe('server');
    expect(run.error?.message).toMatch(/gave up after 3 attempts/);
  });

  it('does not wait for a Retry-After beyond the bound', async () => {
    const run = await step(provider, [{ kind: 'error', status: 429, retryAfter: '3600' }]);
    expect(run.retries).toEqual([]);
    expect(run.error?.kind).toBe('rate-limit');
    expect(run.error?.message).toMatch(/3600 s/);
  });

  it.each([
    [
      { kind: 'error', status: 401, message: 'Incorrect API key provided' },
      'auth',
      /rejected the API key/,
    ],
    [
      { kind: 'error', status: 404, message: 'The model does not exist' },
      'model-not-found',
      /does not know the model "test-model"/,
    ],
    [
      {
        kind: 'error',
        status: 400,
        code: 'context_length_exceeded',
        message: "This model's maximum context length is 8192 tokens",
      },
      'context-overflow',
      /too long/,
    ],
  ] as const)('reports %o without retrying', async (response, kind, message) => {
    const run = await step(provider, [response]);
    expect(run.retries).toEqual([]);
    expect(run.error?.kind).toBe(kind);
    expect(run.error?.message).toMatch(message);
  });
});

describe('model step', () => {
  it('reports no network after retries', async () => {
    const dead = await startScriptedProvider({ responses: [] });
    const url = dead.url;
    await dead.close();
    const run = await step('openai', [], { baseUrl: url });
    expect(run.error?.kind).toBe('network');
    expect(run.retries).toHaveLength(2);
  });

  it('cancels mid-stream', async () => {
    const controller = new AbortController();
    const slow: ScriptResponseInput = {
      kind: 'stream',
      parts: [{ type: 'text', text: 'x'.repeat(50) }],
      chunkSize: 1,
      chunkDelayMs: 20,
    };
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const run = await step('openai', [slow], { signal: controller.signal });
    expect(run.error?.kind).toBe('cancelled');
    expect(run.text.length).toBeGreaterThan(0);
    expect(run.text.length).toBeLessThan(50);
    expect(Date.now() - started).toBeLessThan(900);
  });
});
