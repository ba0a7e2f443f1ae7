import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBaseUrl, checkKeyWithProvider } from './key-test';
import { providerSpec } from './providers';
import { createSecretRedactor } from './redact';

const GOOD = {
  openai: 'sk-proj-good0123456789abcdef',
  anthropic: 'sk-ant-api03-good0123456789abcdef',
  gemini: 'AIzaSyGood-0123456789abcdefghijklmnopq',
  openrouter: 'sk-or-v1-good0123456789abcdef',
} as const;

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
}

// A local stand-in for the providers: checks each one's auth header the way the real API does.
let server: Server;
let base: string;
const seen: Seen[] = [];

function authorised(path: string, headers: IncomingHttpHeaders): boolean | 'gemini-invalid' {
  if (path.startsWith('/anthropic/')) {
    return headers['x-api-key'] === GOOD.anthropic && headers['anthropic-version'] === '2023-06-01';
  }
  if (path.startsWith('/gemini/')) {
    return headers['x-goog-api-key'] === GOOD.gemini ? true : 'gemini-invalid';
  }
  const bearer = headers.authorization ?? '';
  return bearer === `Bearer ${GOOD.openai}` || bearer === `Bearer ${GOOD.openrouter}`;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    seen.push({ path, headers: req.headers });
    if (path.startsWith('/hang/')) return; // never answers
    if (path.startsWith('/redirect/')) {
      res.writeHead(302, { location: 'http://example.invalid/steal' }).end();
      return;
    }
    if (path.startsWith('/limited/')) {
      res.writeHead(429, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'Rate limit reached' } }));
      return;
    }
    if (path.startsWith('/forbidden/')) {
      res.writeHead(403).end('nope');
      return;
    }
    const ok = authorised(path, req.headers);
    if (ok === true) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}');
    } else if (ok === 'gemini-invalid') {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            message: 'API key not valid. Please pass a valid API key.',
            status: 'INVALID_ARGUMENT',
          },
        }),
      );
    } else {
      // Like OpenAI: the error echoes part of the key; it must come back redacted.
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            message: `Incorrect API key provided: ${String(req.headers.authorization).slice(7)}`,
          },
        }),
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const redact = createSecretRedactor().redact;

describe('checkKeyWithProvider', () => {
  it.each([
    ['openai', GOOD.openai, '/openai', '/openai/models'],
    ['anthropic', GOOD.anthropic, '/anthropic', '/anthropic/models?limit=1'],
    ['gemini', GOOD.gemini, '/gemini', '/gemini/models?pageSize=1'],
    ['openrouter', GOOD.openrouter, '/openrouter', '/openrouter/key'],
  ] as const)(
    '%s: a good key is accepted with its own auth header',
    async (id, key, prefix, path) => {
      const result = await checkKeyWithProvider(providerSpec(id), key, {
        baseUrl: `${base}${prefix}/`,
        redact,
      });
      expect(result).toMatchObject({ outcome: 'ok', httpStatus: 200 });
      expect(seen.at(-1)?.path).toBe(path);
      expect(result.endpoint).toBe(`${base}${path.split('?')[0]}`);
    },
  );

  it('401 says the key was rejected, and never repeats the key the provider echoed', async () => {
    const bad = 'sk-proj-WRONG0123456789abcdef';
    const result = await checkKeyWithProvider(providerSpec('openai'), bad, {
      baseUrl: `${base}/openai`,
      redact,
    });
    expect(result.outcome).toBe('rejected');
    expect(result.httpStatus).toBe(401);
    expect(result.message).toMatch(
      /OpenAI rejected the key \(HTTP 401\): it is wrong, revoked or expired/,
    );
    expect(result.message).toContain('[REDACTED]');
    expect(result.message).not.toContain('WRONG0123456789');
  });

  it("Gemini's 400 API key not valid counts as rejected", async () => {
    const result = await checkKeyWithProvider(
      providerSpec('gemini'),
      'AIzaSyBad-0123456789abcdefghijklmnopqrs',
      {
        baseUrl: `${base}/gemini`,
        redact,
      },
    );
    expect(result).toMatchObject({ outcome: 'rejected', httpStatus: 400 });
  });

  it('Anthropic without the right key is rejected', async () => {
    const result = await checkKeyWithProvider(
      providerSpec('anthropic'),
      'sk-ant-api03-bad0123456789abcdef',
      {
        baseUrl: `${base}/anthropic`,
        redact,
      },
    );
    expect(result).toMatchObject({ outcome: 'rejected', httpStatus: 401 });
  });

  it.each([
    ['/forbidden', 'rejected', 403, /refused the key \(HTTP 403\)/],
    [
      '/limited',
      'unexpected-response',
      429,
      /not rejected, but the account is rate-limited.*Rate limit reached/,
    ],
    ['/redirect', 'unexpected-response', 302, /redirected/],
  ] as const)('%s -> %s', async (prefix, outcome, status, message) => {
    const result = await checkKeyWithProvider(providerSpec('openai'), GOOD.openai, {
      baseUrl: `${base}${prefix}`,
      redact,
    });
    expect(result).toMatchObject({ outcome, httpStatus: status });
    expect(result.message).toMatch(message);
  });

  it('an unreachable endpoint says so plainly', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await checkKeyWithProvider(providerSpec('openai'), GOOD.openai, {
      baseUrl: `http://127.0.0.1:${port}/v1`,
      redact,
    });
    expect(result.outcome).toBe('unreachable');
    expect(result.message).toMatch(
      /Could not reach OpenAI at http:\/\/127\.0\.0\.1:\d+: the connection was refused/,
    );
  });

  it('a provider that never answers times out', async () => {
    const result = await checkKeyWithProvider(providerSpec('openai'), GOOD.openai, {
      baseUrl: `${base}/hang`,
      redact,
      timeoutMs: 300,
    });
    expect(result.outcome).toBe('timeout');
    expect(result.message).toMatch(/did not answer within 0.3s/);
  });

  it('a custom provider without a base URL explains what to configure', async () => {
    const result = await checkKeyWithProvider(providerSpec('custom:mine'), 'token-0123456789', {
      redact,
    });
    expect(result.outcome).toBe('unexpected-response');
    expect(result.message).toMatch(/base_url.*\[\[custom_providers\]\]/);
  });
});

describe('checkBaseUrl', () => {
  it.each([
    ['https://api.openai.com/v1', null],
    ['http://127.0.0.1:8080/v1', null],
    ['http://localhost:11434/v1', null],
    ['http://[::1]:8080', null],
    ['http://api.example.com/v1', /plain http to api.example.com/],
    ['ftp://example.com', /must use https, not ftp/],
    ['https://user:pw@example.com', /must not contain credentials/],
    ['not a url', /is not a URL/],
  ])('%s', (raw, error) => {
    const result = checkBaseUrl(raw);
    if (error === null) expect(result).toHaveProperty('url');
    else expect('error' in result && result.error).toMatch(error);
  });

  it('refuses to send the key to a non-loopback http URL at all', async () => {
    const before = seen.length;
    const result = await checkKeyWithProvider(providerSpec('openai'), GOOD.openai, {
      baseUrl: 'http://192.0.2.1/v1',
      redact,
      fetch: () => Promise.reject(new Error('must not be called')),
    });
    expect(result.outcome).toBe('unreachable');
    expect(result.message).toMatch(/Refusing to send a key over plain http/);
    expect(seen.length).toBe(before);
  });
});
