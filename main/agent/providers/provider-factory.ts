import type { LanguageModel } from 'ai';
import type { CustomProviderEntry } from '../../config/custom-providers';
import { builtinBaseUrl } from '../../credentials/providers';
import { providerFetch } from '../../net/provider-fetch';

/** The wire format a provider speaks. */
export type ApiFormat = 'openai-chat' | 'anthropic-messages' | 'gemini' | 'openai-compatible';

/** A provider the agent can talk to, resolved from `[agent]` / `[[custom_providers]]`. */
export interface ProviderTarget {
  /** `openai`, `anthropic`, `gemini`, `openrouter`, `deepseek`, `xai`, `moonshot`, `ollama`, `custom:<name>`. */
  readonly id: string;
  readonly format: ApiFormat;
  readonly baseUrl: string;
  /** False for local servers (Ollama) and a workspace file's endpoints, which are sent no key. */
  readonly needsKey: boolean;
}

/** A custom provider as the agent may use it; `keyless` ones (a workspace file's) get no key. */
export type CustomTarget = CustomProviderEntry & { readonly keyless?: boolean };

interface BuiltinTarget {
  readonly format: ApiFormat;
  readonly baseUrl: string;
  readonly needsKey: boolean;
}

// Base URLs of the keyed providers come from credentials/providers.ts, the one list a stored key
// is bound against (OpenAI-compatible ones include their /v1).
const keyed = (format: ApiFormat, id: Parameters<typeof builtinBaseUrl>[0]): BuiltinTarget => ({
  format,
  baseUrl: builtinBaseUrl(id),
  needsKey: true,
});
const BUILTIN_TARGETS: Readonly<Record<string, BuiltinTarget>> = {
  openai: keyed('openai-chat', 'openai'),
  anthropic: keyed('anthropic-messages', 'anthropic'),
  gemini: keyed('gemini', 'gemini'),
  openrouter: keyed('openai-compatible', 'openrouter'),
  deepseek: keyed('openai-compatible', 'deepseek'),
  xai: keyed('openai-compatible', 'xai'),
  moonshot: keyed('openai-compatible', 'moonshot'),
  ollama: { format: 'openai-compatible', baseUrl: 'http://localhost:11434/v1', needsKey: false },
};

export const BUILTIN_AGENT_PROVIDERS: readonly string[] = Object.keys(BUILTIN_TARGETS);

/** The provider was not recognised or is missing what it needs (a base URL). */
export class ProviderConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderConfigError';
  }
}

function checkUrl(url: string, what: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ProviderConfigError(`${what} is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ProviderConfigError(`${what} must be http(s): ${url}`);
  }
  // Fetch refuses such URLs, quoting them whole in its error; the message here names only the host.
  if (parsed.username !== '' || parsed.password !== '') {
    throw new ProviderConfigError(
      `${what} of ${parsed.host} must not contain a user name or password; the API key goes in Settings or its environment variable.`,
    );
  }
  return url.replace(/\/+$/, '');
}

/**
 * Resolve a provider name as VT Code spells it (`[agent] provider`) into where and how to talk to
 * it. `baseUrlOverride` replaces the URL (tests point it at the scripted provider).
 */
export function resolveProviderTarget(
  name: string,
  customProviders: readonly CustomTarget[],
  baseUrlOverride?: string | null,
): ProviderTarget {
  const id = name.trim().toLowerCase();
  const bare = id.startsWith('custom:') ? id.slice('custom:'.length) : id;
  const builtin = id.startsWith('custom:') ? undefined : BUILTIN_TARGETS[id];
  if (builtin) {
    const baseUrl = checkUrl(baseUrlOverride ?? builtin.baseUrl, 'the base URL');
    return { id, format: builtin.format, baseUrl, needsKey: builtin.needsKey };
  }
  const custom = customProviders.find((c) => c.name.toLowerCase() === bare);
  if (!custom) {
    throw new ProviderConfigError(
      `Unknown provider "${name}". Use one of ${BUILTIN_AGENT_PROVIDERS.join(', ')}, or a [[custom_providers]] name from vtcode.toml.`,
    );
  }
  const url = baseUrlOverride ?? custom.baseUrl;
  if (!url) throw new ProviderConfigError(`[[custom_providers]] ${custom.name} has no base_url`);
  const format: ApiFormat =
    custom.apiFormat === 'anthropic-messages' ? 'anthropic-messages' : 'openai-compatible';
  return {
    id: `custom:${bare}`,
    format,
    baseUrl: checkUrl(url, 'the base URL'),
    needsKey: custom.keyless !== true,
  };
}

/**
 * Build the AI SDK model for a target; `apiKey` is held by the SDK for its requests only. Only the
 * SDK of the provider in use is loaded, when the first session needs it (start-up loads none).
 */
export async function createLanguageModel(
  target: ProviderTarget,
  model: string,
  apiKey: string | null,
  fetchImpl?: typeof fetch,
): Promise<LanguageModel> {
  const key = apiKey ?? 'none';
  const extra = { fetch: fetchImpl ?? providerFetch };
  switch (target.format) {
    case 'openai-chat': {
      const { createOpenAI } = await import('@ai-sdk/openai');
      return createOpenAI({ apiKey: key, baseURL: target.baseUrl, ...extra }).chat(model);
    }
    case 'anthropic-messages': {
      const { createAnthropic } = await import('@ai-sdk/anthropic');
      return createAnthropic({ apiKey: key, baseURL: target.baseUrl, ...extra })(model);
    }
    case 'gemini': {
      const { createGoogle } = await import('@ai-sdk/google');
      return createGoogle({ apiKey: key, baseURL: target.baseUrl, ...extra })(model);
    }
    case 'openai-compatible': {
      const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
      return createOpenAICompatible({
        name: target.id.replace(/[^a-z0-9]/g, '-'),
        baseURL: target.baseUrl,
        ...(apiKey ? { apiKey } : {}),
        includeUsage: true,
        ...extra,
      }).chatModel(model);
    }
  }
}
