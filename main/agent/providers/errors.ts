import { APICallError, StreamProviderError } from 'ai';
import type { AgentError, AgentErrorKind } from '../../../shared/domain/agent';
import { ANSWER_TOO_LARGE } from '../../net/response-body';

/** A provider failure classified for the user and for the retry policy. */
export class ProviderError extends Error {
  readonly kind: AgentErrorKind;
  readonly status: number | null;
  readonly retryable: boolean;
  /** Milliseconds the provider asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs: number | null;

  constructor(
    kind: AgentErrorKind,
    message: string,
    options: { status?: number | null; retryable?: boolean; retryAfterMs?: number | null } = {},
  ) {
    super(message);
    this.name = 'ProviderError';
    this.kind = kind;
    this.status = options.status ?? null;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }

  toAgentError(): AgentError {
    return { kind: this.kind, message: this.message, status: this.status };
  }
}

const CONTEXT_OVERFLOW =
  /context_length_exceeded|context length|context window|prompt is too long|too many tokens|maximum context|input is too long|exceeds the (?:model's )?max/i;
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Parse Retry-After (seconds or an HTTP date) or retry-after-ms into milliseconds. */
export function parseRetryAfter(
  headers: Readonly<Record<string, string>> | undefined,
  now = Date.now(),
): number | null {
  if (!headers) return null;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const ms = Number(lower['retry-after-ms']);
  if (lower['retry-after-ms'] !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  const raw = lower['retry-after']?.trim();
  if (!raw) return null;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** The first error in a chain of causes that is marked with `code`. */
function withCode(error: unknown, code: string): Error | null {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e instanceof Error; depth++) {
    if ((e as { code?: unknown }).code === code) return e;
    e = e.cause;
  }
  return null;
}

function causeCode(error: unknown): string | null {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

function providerMessage(body: string | undefined): string | null {
  if (!body) return null;
  try {
    const parsed = JSON.parse(body) as {
      error?: { message?: unknown } | string;
      message?: unknown;
    };
    const m =
      typeof parsed.error === 'object' ? parsed.error?.message : (parsed.error ?? parsed.message);
    return typeof m === 'string' ? m.slice(0, 500) : null;
  } catch {
    return body.slice(0, 200);
  }
}

/** Headers that carry a provider's key. */
const KEY_HEADER = /^(?:authorization|x-api-key|x-goog-api-key|api-key)$/i;

/**
 * A request that could not be sent because a header holds a character HTTP forbids (a line break
 * in a pasted key, say). Node names the header; undici quotes the whole value, key and all, so
 * its message is never repeated.
 */
function invalidHeader(error: unknown, provider: string): ProviderError | null {
  if (!(error instanceof TypeError)) return null;
  const code = (error as { code?: unknown }).code;
  const node = code === 'ERR_INVALID_CHAR' || code === 'ERR_INVALID_HTTP_TOKEN';
  if (!node && !/is an invalid header (?:value|name)/.test(error.message)) return null;
  const name = node ? (/\["([^"]+)"\]/.exec(error.message)?.[1] ?? null) : null;
  const key = name === null || KEY_HEADER.test(name);
  return new ProviderError(
    key ? 'auth' : 'bad-request',
    `The request to ${provider} was not sent: ${name === null ? 'a header' : `its ${name} header`} holds a character HTTP does not allow (a line break or a non-ASCII character).${key ? ' Check the API key in Settings or the environment variable.' : ''}`,
  );
}

/** Where a redirect pointed, as an origin only (its path and query may carry a token). */
function redirectOrigin(headers: Readonly<Record<string, string>> | undefined): string {
  try {
    return new URL(headers?.location ?? '').origin;
  } catch {
    return 'another address';
  }
}

/** A provider's message as a sentence of ours: ends in one full stop, never two. */
function sentence(said: string): string {
  const text = said.trim();
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * An error the provider reported in the middle of its answer (Anthropic's `error` event, an
 * OpenAI-compatible `{"error": ...}` chunk), by its type or status as if it had come first.
 */
function midStreamError(
  error: StreamProviderError,
  { provider, model }: { provider: string; model: string },
): ProviderError | null {
  const said = error.message;
  const type = `${error.type ?? ''} ${String(error.code ?? '')}`;
  const status = error.statusCode ?? null;
  const shown = status !== null ? ` (${status})` : '';
  if (CONTEXT_OVERFLOW.test(said) || /context_length_exceeded/.test(type)) {
    return new ProviderError(
      'context-overflow',
      `The conversation is too long for ${model}'s context window: ${sentence(said)} Start a new session or lower [context] max_context_tokens.`,
      { status },
    );
  }
  if (status === 401 || status === 403 || /authentication_error|permission_error/.test(type)) {
    return new ProviderError(
      'auth',
      `${provider} rejected the API key${shown}: ${sentence(said)} Check the key in Settings or the environment variable.`,
      { status },
    );
  }
  if (status === 429 || /rate_limit/.test(type)) {
    return new ProviderError(
      'rate-limit',
      `${provider} is rate-limiting requests${shown}: ${said}`,
      {
        status,
        retryable: true,
      },
    );
  }
  if ((status !== null && status >= 500) || /overloaded|api_error|server_error/.test(type)) {
    return new ProviderError('server', `${provider} had a server error${shown}: ${said}`, {
      status,
      retryable: true,
    });
  }
  if ((status !== null && status >= 400) || /invalid_request_error/.test(type)) {
    return new ProviderError('bad-request', `${provider} refused the request${shown}: ${said}`, {
      status,
    });
  }
  return null;
}

/** Classify anything a provider call threw into a ProviderError. */
export function classifyProviderError(
  error: unknown,
  context: { provider: string; model: string },
): ProviderError {
  if (error instanceof ProviderError) return error;
  const { provider, model } = context;
  if (
    (error instanceof Error && error.name === 'AbortError') ||
    (error instanceof DOMException && error.name === 'AbortError')
  ) {
    return new ProviderError('cancelled', 'Cancelled.');
  }
  // The answer went on past any real one (main/net/response-body.ts): asking again gets the same.
  const tooLarge = withCode(error, ANSWER_TOO_LARGE);
  if (tooLarge !== null) {
    return new ProviderError(
      'stream',
      `${provider} sent ${tooLarge.message.replace(/^the answer is/, 'an answer')}; it was not read further.`,
    );
  }
  if (APICallError.isInstance(error)) {
    const status = error.statusCode ?? null;
    const said = providerMessage(error.responseBody) ?? error.message;
    const retryAfterMs = parseRetryAfter(error.responseHeaders);
    if (status === 401 || status === 403) {
      return new ProviderError(
        'auth',
        `${provider} rejected the API key (${status}): ${sentence(said)} Check the key in Settings or the environment variable.`,
        { status },
      );
    }
    if (status === 404) {
      return new ProviderError(
        'model-not-found',
        `${provider} does not know the model "${model}" (404): ${sentence(said)} Pick another model or check the base URL.`,
        { status },
      );
    }
    if (status === 429) {
      return new ProviderError(
        'rate-limit',
        `${provider} is rate-limiting requests (429): ${said}`,
        {
          status,
          retryable: true,
          retryAfterMs,
        },
      );
    }
    if ((status === 400 || status === 413 || status === 422) && CONTEXT_OVERFLOW.test(said)) {
      return new ProviderError(
        'context-overflow',
        `The conversation is too long for ${model}'s context window: ${sentence(said)} Start a new session or lower [context] max_context_tokens.`,
        { status },
      );
    }
    if (status !== null && status >= 500) {
      return new ProviderError('server', `${provider} had a server error (${status}): ${said}`, {
        status,
        retryable: true,
        retryAfterMs,
      });
    }
    // A redirect to another origin comes back unfollowed (main/net/provider-fetch.ts): the key
    // would go with it. Asking again changes nothing.
    if (status !== null && status >= 300 && status < 400) {
      return new ProviderError(
        'bad-request',
        `${provider} redirected the request (${status}) to ${redirectOrigin(error.responseHeaders)}; it was not sent there, since the API key would go with it. If that address is the right one, set it as the base URL.`,
        { status },
      );
    }
    const cause = error.cause instanceof Error ? error.cause.message : '';
    if (status === null || status < 400 || error.isRetryable || /\bterminated\b/.test(cause)) {
      return new ProviderError('network', `Could not reach ${provider}: ${said}`, {
        retryable: true,
      });
    }
    return new ProviderError(
      'bad-request',
      `${provider} refused the request (${status}): ${said}`,
      {
        status,
      },
    );
  }
  const midStream = StreamProviderError.isInstance(error) ? midStreamError(error, context) : null;
  if (midStream !== null) return midStream;
  const header = invalidHeader(error, provider);
  if (header !== null) return header;
  const code = causeCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  if (
    !/JSONParse|TypeValidation/.test(name) &&
    (code ||
      /fetch failed|\bterminated\b|socket hang up|other side closed|network error/i.test(message))
  ) {
    return new ProviderError(
      'network',
      `Could not reach ${provider} (${code ?? message}). Check the network connection and the base URL.`,
      { retryable: true },
    );
  }
  return new ProviderError(
    'stream',
    `${provider} sent a response that could not be read: ${message}`,
    {
      retryable: true,
    },
  );
}
