import type { KeyTestOutcome } from '../../shared/domain/credentials';
import type { ProviderSpec } from './providers';

export interface KeyCheck {
  readonly outcome: KeyTestOutcome;
  readonly message: string;
  readonly httpStatus: number | null;
  readonly endpoint: string | null;
  /** Model ids the endpoint listed on success (first 200), else empty. */
  readonly models?: readonly string[];
}

export interface KeyCheckOptions {
  /** Replaces the provider's base URL (tests point this at 127.0.0.1; custom endpoints need one). */
  readonly baseUrl?: string;
  readonly timeoutMs?: number;
  /** Applied to anything the provider says before it reaches a message. */
  readonly redact: (text: string) => string;
  readonly fetch?: typeof fetch;
}

export const DEFAULT_KEY_CHECK_TIMEOUT_MS = 10_000;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Why a base URL may not receive a key, or null when it may. Keys never travel over plain http. */
export function checkBaseUrl(raw: string): { url: URL } | { error: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { error: `"${raw.slice(0, 200)}" is not a URL.` };
  }
  if (url.username || url.password) return { error: 'The base URL must not contain credentials.' };
  if (url.protocol === 'https:') return { url };
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return { url };
  if (url.protocol === 'http:') {
    return {
      error: `Refusing to send a key over plain http to ${url.host}; use https (http is allowed only for localhost).`,
    };
  }
  return { error: `The base URL must use https, not ${url.protocol.replace(':', '')}.` };
}

function authHeaders(spec: ProviderSpec, key: string): Record<string, string> {
  switch (spec.auth) {
    case 'bearer':
      return { authorization: `Bearer ${key}` };
    case 'x-api-key':
      return { 'x-api-key': key };
    case 'x-goog-api-key':
      return { 'x-goog-api-key': key };
    default: {
      const never: never = spec.auth;
      throw new Error(`unknown auth style ${String(never)}`);
    }
  }
}

/** Model ids out of a models listing: OpenAI/Anthropic `data[].id`, Gemini `models[].name`. */
export function listedModels(body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null) return [];
  const { data, models } = parsed as { data?: unknown; models?: unknown };
  const ids: string[] = [];
  const entries: unknown[] = [
    ...(Array.isArray(data) ? (data as unknown[]) : []),
    ...(Array.isArray(models) ? (models as unknown[]) : []),
  ];
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { id, name } = entry as { id?: unknown; name?: unknown };
    const raw = typeof id === 'string' ? id : typeof name === 'string' ? name : null;
    if (raw === null) continue;
    const clean = raw.replace(/^models\//, '').slice(0, 256);
    if (/^[\x21-\x7e]+$/.test(clean)) ids.push(clean);
    if (ids.length >= 200) break;
  }
  return ids;
}

async function providerMessage(response: Response, redact: (t: string) => string) {
  const body = await readBody(response, 4000);
  return messageOf(body, redact);
}

async function readBody(response: Response, limit: number): Promise<string> {
  try {
    return (await response.text()).slice(0, limit);
  } catch {
    return '';
  }
}

function messageOf(body: string, redact: (t: string) => string): string {
  if (body === '') return '';
  let said = body;
  try {
    const parsed = JSON.parse(body) as {
      error?: { message?: unknown } | string;
      message?: unknown;
    };
    const candidate =
      typeof parsed.error === 'string'
        ? parsed.error
        : (parsed.error?.message ?? parsed.message ?? body);
    said = typeof candidate === 'string' ? candidate : body;
  } catch {
    // Not JSON: keep the text.
  }
  const clean = redact(said.replace(/\s+/g, ' ').trim()).slice(0, 200);
  return clean;
}

function networkReason(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code =
    cause && typeof cause === 'object' && 'code' in cause ? String(cause.code) : undefined;
  switch (code ?? '') {
    case 'ECONNREFUSED':
      return 'the connection was refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name could not be resolved';
    case 'ECONNRESET':
      return 'the connection was reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the network is unreachable';
    default:
      return cause instanceof Error ? cause.message : 'the request failed';
  }
}

/**
 * Make the provider's cheapest authenticated call with `key` and say what happened, plainly.
 * `key` null: the endpoint is sent none (a local server, or an endpoint a workspace file declared).
 */
export async function checkKeyWithProvider(
  spec: ProviderSpec,
  key: string | null,
  options: KeyCheckOptions,
): Promise<KeyCheck> {
  const base = options.baseUrl ?? spec.baseUrl;
  if (!base) {
    return {
      outcome: 'unexpected-response',
      message: `${spec.label} has no base URL: set base_url for it in vtcode.toml's [[custom_providers]].`,
      httpStatus: null,
      endpoint: null,
    };
  }
  const checked = checkBaseUrl(base);
  if ('error' in checked) {
    return { outcome: 'unreachable', message: checked.error, httpStatus: null, endpoint: null };
  }
  const url = new URL(`${checked.url.href.replace(/\/+$/, '')}${spec.testPath}`);
  const endpoint = `${url.origin}${url.pathname}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_KEY_CHECK_TIMEOUT_MS;
  const doFetch = options.fetch ?? fetch;

  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'GET',
      headers: {
        accept: 'application/json',
        ...spec.extraHeaders,
        ...(key === null ? {} : authHeaders(spec, key)),
      },
      // A redirect could carry the key's header to another host: treat it as an odd answer.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return {
        outcome: 'timeout',
        message: `${spec.label} did not answer within ${timeoutMs / 1000}s (${endpoint}).`,
        httpStatus: null,
        endpoint,
      };
    }
    return {
      outcome: 'unreachable',
      message: `Could not reach ${spec.label} at ${url.origin}: ${options.redact(networkReason(error))}. Check your network, proxy or base URL.`,
      httpStatus: null,
      endpoint,
    };
  }

  const status = response.status;
  if (status >= 200 && status < 300) {
    const models = listedModels(await readBody(response, 1_000_000));
    return {
      outcome: 'ok',
      message:
        key === null ? `${spec.label} answered at ${endpoint}.` : `${spec.label} accepted the key.`,
      httpStatus: status,
      endpoint,
      models,
    };
  }
  const said = await providerMessage(response, options.redact);
  const suffix = said ? ` The provider said: "${said}"` : '';
  const geminiInvalid = status === 400 && /API_KEY_INVALID|API key not valid/i.test(said);
  if (status === 401 || geminiInvalid) {
    return {
      outcome: 'rejected',
      message: `${spec.label} rejected the key (HTTP ${status}): it is wrong, revoked or expired.${suffix}`,
      httpStatus: status,
      endpoint,
    };
  }
  if (status === 403) {
    return {
      outcome: 'rejected',
      message: `${spec.label} refused the key (HTTP 403): it may lack permission or the account may be disabled.${suffix}`,
      httpStatus: status,
      endpoint,
    };
  }
  const hint =
    status === 429 || status === 402
      ? ' The key was not rejected, but the account is rate-limited or out of credit.'
      : status >= 300 && status < 400
        ? ' The endpoint redirected; check the base URL.'
        : '';
  return {
    outcome: 'unexpected-response',
    message: `${spec.label} answered HTTP ${status} at ${endpoint}.${hint}${suffix}`,
    httpStatus: status,
    endpoint,
  };
}
