import {
  BUILTIN_PROVIDER_IDS,
  CUSTOM_PROVIDER_PREFIX,
  providerIdSchema,
  type BuiltinProviderId,
  type ProviderId,
} from '../../shared/domain/credentials';

/** How a provider takes its key on an HTTP request. */
export type AuthStyle = 'bearer' | 'x-api-key' | 'x-goog-api-key';

/** Everything main knows about a provider's keys: names, env vars, prefix, and a cheap check. */
export interface ProviderSpec {
  readonly id: ProviderId;
  readonly label: string;
  readonly custom: boolean;
  /** Environment variables read when nothing is stored, in order. */
  readonly envVars: readonly string[];
  /**
   * A built-in provider's own variables (VT Code's names). Only a key read from one of these may
   * show its last characters; any other variable was named by a file and could hold any secret.
   */
  readonly knownEnvVars: readonly string[];
  /** The prefix real keys start with, when the provider has one (a mismatch is only a warning). */
  readonly keyPrefix: string | null;
  /** Base URL of the API; `testPath` is appended for the key check. Null: a custom one with none. */
  readonly baseUrl: string | null;
  /** An authenticated GET that costs nothing (lists models or describes the key). */
  readonly testPath: string;
  readonly auth: AuthStyle;
  readonly extraHeaders: Readonly<Record<string, string>>;
}

/** A `[[custom_providers]]` entry from vtcode.toml, as far as keys are concerned. */
export interface CustomProviderConfig {
  readonly name: string;
  readonly baseUrl?: string;
  readonly apiKeyEnv?: string;
}

type BuiltinSpec = Omit<ProviderSpec, 'id' | 'custom' | 'knownEnvVars' | 'baseUrl'> & {
  readonly baseUrl: string;
};

// Endpoints and prefixes from each provider's API reference; env names from VT Code. The agent
// talks to these same base URLs (provider-factory.ts), and a stored key is bound to them.
const BUILTINS: Readonly<Record<BuiltinProviderId, BuiltinSpec>> = {
  openai: {
    label: 'OpenAI',
    envVars: ['OPENAI_API_KEY'],
    keyPrefix: 'sk-',
    baseUrl: 'https://api.openai.com/v1',
    testPath: '/models',
    auth: 'bearer',
    extraHeaders: {},
  },
  anthropic: {
    label: 'Anthropic',
    envVars: ['ANTHROPIC_API_KEY'],
    keyPrefix: 'sk-ant-',
    baseUrl: 'https://api.anthropic.com/v1',
    testPath: '/models?limit=1',
    auth: 'x-api-key',
    extraHeaders: { 'anthropic-version': '2023-06-01' },
  },
  gemini: {
    label: 'Google Gemini',
    envVars: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
    keyPrefix: 'AIza',
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta',
    testPath: '/models?pageSize=1',
    auth: 'x-goog-api-key',
    extraHeaders: {},
  },
  openrouter: {
    label: 'OpenRouter',
    envVars: ['OPENROUTER_API_KEY'],
    keyPrefix: 'sk-or-',
    baseUrl: 'https://openrouter.ai/api/v1',
    // OpenRouter's model list is public; /key answers only to a valid key.
    testPath: '/key',
    auth: 'bearer',
    extraHeaders: {},
  },
  deepseek: {
    label: 'DeepSeek',
    envVars: ['DEEPSEEK_API_KEY'],
    keyPrefix: 'sk-',
    baseUrl: 'https://api.deepseek.com/v1',
    testPath: '/models',
    auth: 'bearer',
    extraHeaders: {},
  },
  xai: {
    label: 'xAI',
    envVars: ['XAI_API_KEY'],
    keyPrefix: 'xai-',
    baseUrl: 'https://api.x.ai/v1',
    testPath: '/models',
    auth: 'bearer',
    extraHeaders: {},
  },
  moonshot: {
    label: 'Moonshot AI',
    envVars: ['MOONSHOT_API_KEY'],
    keyPrefix: 'sk-',
    baseUrl: 'https://api.moonshot.ai/v1',
    testPath: '/models',
    auth: 'bearer',
    extraHeaders: {},
  },
};

/** A provider id that is not one we know, or is malformed. */
export class UnknownProviderError extends Error {}

/** Parse user or renderer input into a provider id (case-insensitive for the built-ins). */
export function parseProviderId(raw: string): ProviderId {
  const trimmed = raw.trim();
  const parsed = providerIdSchema.safeParse(trimmed.toLowerCase());
  if (!parsed.success) {
    const shown = trimmed.length > 40 ? `${trimmed.slice(0, 40)}…` : trimmed;
    throw new UnknownProviderError(
      `Unknown provider "${shown}". Use one of ${BUILTIN_PROVIDER_IDS.join(', ')}, or custom:<name> for an OpenAI-compatible endpoint.`,
    );
  }
  return parsed.data;
}

/** True for `custom:<name>` ids. */
export function isCustomProvider(id: ProviderId): boolean {
  return id.startsWith(CUSTOM_PROVIDER_PREFIX);
}

/** The env var VT Code would read for a custom endpoint with no `api_key_env`: NAME_API_KEY. */
export function defaultCustomEnvVar(name: string): string {
  return `${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_API_KEY`;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** Options that change where keys are looked for (from vtcode.toml). */
export interface ProviderCatalogOptions {
  /** `[agent] api_key_env` and friends: an env var name to read first for a provider. */
  readonly envOverrides?: Readonly<Partial<Record<ProviderId, string>>>;
  readonly customProviders?: readonly CustomProviderConfig[];
}

/** Build the spec for one provider, applying config overrides. Invalid env names are ignored. */
export function providerSpec(id: ProviderId, options: ProviderCatalogOptions = {}): ProviderSpec {
  const override = options.envOverrides?.[id];
  const withOverride = (names: readonly string[]): readonly string[] =>
    override && ENV_NAME.test(override)
      ? [override, ...names.filter((n) => n !== override)]
      : names;

  if (isCustomProvider(id)) {
    const name = id.slice(CUSTOM_PROVIDER_PREFIX.length);
    const config = options.customProviders?.find((c) => c.name.toLowerCase() === name);
    const envVar =
      config?.apiKeyEnv && ENV_NAME.test(config.apiKeyEnv)
        ? config.apiKeyEnv
        : defaultCustomEnvVar(name);
    return {
      id,
      label: `${name} (custom)`,
      custom: true,
      envVars: withOverride([envVar]),
      knownEnvVars: [],
      keyPrefix: null,
      baseUrl: config?.baseUrl ?? null,
      testPath: '/models',
      auth: 'bearer',
      extraHeaders: {},
    };
  }
  const builtin = BUILTINS[id as BuiltinProviderId];
  return {
    id,
    custom: false,
    ...builtin,
    envVars: withOverride(builtin.envVars),
    knownEnvVars: builtin.envVars,
  };
}

/** A built-in provider's API base URL (the one its stored key is for unless saved for another). */
export function builtinBaseUrl(id: BuiltinProviderId): string {
  return BUILTINS[id].baseUrl;
}

/** Every provider the UI should list: the built-ins, configured custom ones, and extra ids. */
export function listProviderIds(
  options: ProviderCatalogOptions = {},
  extra: readonly ProviderId[] = [],
): ProviderId[] {
  const ids: ProviderId[] = [...BUILTIN_PROVIDER_IDS];
  for (const custom of options.customProviders ?? []) {
    const parsed = providerIdSchema.safeParse(
      `${CUSTOM_PROVIDER_PREFIX}${custom.name.toLowerCase()}`,
    );
    if (parsed.success && !ids.includes(parsed.data)) ids.push(parsed.data);
  }
  for (const id of extra) if (!ids.includes(id)) ids.push(id);
  return ids;
}

/** Every built-in key prefix, most specific first (used to spot a key pasted for the wrong one). */
export function knownPrefixes(): ReadonlyArray<{ provider: BuiltinProviderId; prefix: string }> {
  return BUILTIN_PROVIDER_IDS.flatMap((provider) => {
    const prefix = BUILTINS[provider].keyPrefix;
    return prefix ? [{ provider, prefix }] : [];
  }).sort((a, b) => b.prefix.length - a.prefix.length);
}

/** The provider's display name. */
export function providerLabel(id: BuiltinProviderId): string {
  return BUILTINS[id].label;
}
