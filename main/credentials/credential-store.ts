import {
  providerIdSchema,
  type CredentialList,
  type DeleteKeyResult,
  type KeychainState,
  type KeyTestResult,
  type ProviderCredential,
  type ProviderId,
  type SetKeyResult,
  type StorageKind,
} from '../../shared/domain/credentials';
import type { Logger } from '../log/logger';
import { CredentialError, asCredentialError } from './errors';
import { normalizeBaseUrl } from './key-bindings';
import { checkKeyWithProvider } from './key-test';
import type { KeySource } from './key-source';
import { classifyKeychainError, type KeychainError } from './keychain';
import {
  listProviderIds,
  parseProviderId,
  providerSpec,
  type ProviderCatalogOptions,
  type ProviderSpec,
} from './providers';
import { maskKey, validateApiKey } from './validate';

export interface CredentialStoreOptions {
  readonly source: KeySource;
  /** The trusted provider config (the user file's), read again for each call. */
  readonly loadCatalog: () => Promise<ProviderCatalogOptions>;
  readonly logger?: Logger;
  /** Base URLs for `test`, per provider (tests point them at 127.0.0.1). */
  readonly baseUrls?: Readonly<Partial<Record<ProviderId, string>>>;
  readonly keyCheckTimeoutMs?: number;
  readonly fetch?: typeof fetch;
}

function keychainState(error: KeychainError | null): KeychainState {
  return error === null
    ? { available: true }
    : { available: false, problem: error.problem, message: error.message, fix: error.fix };
}

/** The URL a key being saved is for: the one given, else the provider's own (user-file) URL. */
function boundUrl(spec: ProviderSpec, given: string | undefined): string | null {
  if (given === undefined) return spec.baseUrl === null ? null : normalizeBaseUrl(spec.baseUrl);
  const normal = normalizeBaseUrl(given);
  if (normal === null) {
    throw new CredentialError(
      'invalid-url',
      'The base URL must be an http:// or https:// address without a user name or password.',
    );
  }
  return normal;
}

/**
 * What the UI and the CLI may do with keys: list (masked), set, replace, delete, test, import.
 * Nothing here returns a key; the agent's way to one is `KeyResolver`, which is not on the bridge.
 */
export class CredentialStore {
  private readonly source: KeySource;
  private readonly options: CredentialStoreOptions;

  constructor(options: CredentialStoreOptions) {
    this.source = options.source;
    this.options = options;
  }

  /**
   * Every provider with its status and masked hint, and whether the keychain is usable. Custom
   * providers come from the user file only: a workspace file's endpoints are sent no key.
   */
  async list(): Promise<CredentialList> {
    const catalog = await this.options.loadCatalog();
    let stored = new Map<ProviderId, string>();
    let problem: KeychainError | null = null;
    try {
      const entries = await this.source.backend.findAll();
      for (const { account, password } of entries) {
        const id = providerIdSchema.safeParse(account);
        if (id.success && password) {
          this.source.redactor.remember(password);
          stored.set(id.data, password);
        }
      }
    } catch (error) {
      problem = classifyKeychainError(error);
      stored = new Map();
    }
    const ids = listProviderIds(catalog, [...stored.keys(), ...this.source.sessionProviders()]);
    const providers = await Promise.all(
      ids.map((id) => this.describe(id, stored.get(id) ?? null, problem === null, catalog)),
    );
    return { keychain: keychainState(problem), providers };
  }

  private async describe(
    id: ProviderId,
    keychainKey: string | null,
    keychainUp: boolean,
    catalog: ProviderCatalogOptions,
  ): Promise<ProviderCredential> {
    const spec = providerSpec(id, catalog);
    const session = this.source.sessionKey(id);
    const env = this.source.fromEnvironment(spec);
    const storedKey = session ?? keychainKey;
    const storage: StorageKind | null = session ? 'session-only' : keychainKey ? 'keychain' : null;
    // A variable a file named could hold any secret of the user's: it is shown as set, no more.
    const envHint = env && spec.knownEnvVars.includes(env.envVar) ? maskKey(env.key) : null;
    let baseUrl: string | null = null;
    if (storage !== null) {
      const bound = await this.source.boundUrl(id, storage).catch(() => null);
      baseUrl = bound ?? (spec.baseUrl === null ? null : normalizeBaseUrl(spec.baseUrl));
    }
    return {
      provider: id,
      label: spec.label,
      custom: spec.custom,
      status: storedKey ? 'stored' : env ? 'from-environment' : 'missing',
      storage,
      hint: storedKey ? maskKey(storedKey) : envHint,
      baseUrl,
      envVars: [...spec.envVars],
      envVarFound: env?.envVar ?? null,
      canImport: env !== null && keychainUp && env.key !== keychainKey,
    };
  }

  /**
   * Validate and store a key (replacing any stored one), for the provider's base URL (its own, or
   * the user file's `base_url`) or for `baseUrl`: it is sent nowhere else. Throws CredentialError.
   */
  async set(
    providerInput: string,
    rawKey: string,
    options: { sessionOnly?: boolean; baseUrl?: string } = {},
  ): Promise<SetKeyResult> {
    try {
      const provider = parseProviderId(providerInput);
      const spec = this.source.spec(provider, await this.options.loadCatalog());
      const checked = validateApiKey(spec, rawKey);
      if (!checked.ok) throw new CredentialError('invalid-key', checked.error);
      return await this.store(
        provider,
        checked.key,
        checked.warnings,
        options.sessionOnly === true,
        boundUrl(spec, options.baseUrl),
      );
    } catch (error) {
      throw asCredentialError(error, 'store the key');
    }
  }

  private async store(
    provider: ProviderId,
    key: string,
    warnings: readonly string[],
    sessionOnly: boolean,
    baseUrl: string | null,
  ): Promise<SetKeyResult> {
    this.source.redactor.remember(key);
    if (sessionOnly) {
      const replaced = this.source.sessionKey(provider) !== null;
      await this.source.setSessionKey(provider, key, baseUrl);
      this.options.logger?.info('api key held for this session only', { provider, baseUrl });
      return {
        provider,
        storage: 'session-only',
        hint: maskKey(key),
        baseUrl,
        replaced,
        warnings: [...warnings],
      };
    }
    const previous = await this.source.fromKeychain(provider);
    // Until the new URL is recorded, the key counts as for the provider's own (user-file) URL.
    await this.recordBinding(provider, null);
    await this.source.backend.set(provider, key);
    // Read it back: a keyring that silently drops writes must not look like success.
    const readBack = await this.source.fromKeychain(provider);
    if (readBack !== key) {
      throw new CredentialError(
        'keychain',
        'The keychain accepted the key but did not return it when read back; it was not stored.',
        {
          fix: 'Check that your keyring is unlocked and has a default collection, then try again.',
        },
      );
    }
    await this.recordBinding(provider, baseUrl);
    this.source.clearSessionKey(provider);
    this.options.logger?.info(
      previous ? 'api key replaced in keychain' : 'api key stored in keychain',
      { provider, baseUrl },
    );
    return {
      provider,
      storage: 'keychain',
      hint: maskKey(key),
      baseUrl,
      replaced: previous !== null,
      warnings: [...warnings],
    };
  }

  private async recordBinding(provider: ProviderId, baseUrl: string | null): Promise<void> {
    try {
      await this.source.bindings.set(provider, baseUrl);
    } catch (error) {
      throw new CredentialError(
        'bindings',
        `Could not record which URL the ${provider} key is for (${error instanceof Error ? error.message : String(error)}); until it is, the key is sent only to the provider's own URL.`,
        { fix: "Check that the app's data folder is writable, then save the key again." },
      );
    }
  }

  /** Remove the provider's key from the keychain and from session memory. */
  async delete(providerInput: string): Promise<DeleteKeyResult> {
    try {
      const provider = parseProviderId(providerInput);
      const removedFrom: StorageKind[] = [];
      if (this.source.clearSessionKey(provider)) removedFrom.push('session-only');
      if (await this.source.backend.delete(provider)) removedFrom.push('keychain');
      await this.recordBinding(provider, null);
      this.options.logger?.info('api key deleted', { provider, removedFrom });
      return { provider, removedFrom };
    } catch (error) {
      throw asCredentialError(error, 'delete the key');
    }
  }

  /** Copy the provider's environment key into the keychain (an explicit user action). */
  async importFromEnvironment(providerInput: string): Promise<SetKeyResult> {
    try {
      const provider = parseProviderId(providerInput);
      const spec = this.source.spec(provider, await this.options.loadCatalog());
      const env = this.source.fromEnvironment(spec);
      if (!env) {
        const names = spec.envVars.join(' or ');
        throw new CredentialError('no-key', `There is no ${names} in the environment to import.`);
      }
      const checked = validateApiKey(spec, env.key);
      if (!checked.ok) {
        throw new CredentialError(
          'invalid-key',
          `${env.envVar} does not hold a usable key: ${checked.error}`,
        );
      }
      return await this.store(
        provider,
        checked.key,
        checked.warnings,
        false,
        boundUrl(spec, undefined),
      );
    } catch (error) {
      throw asCredentialError(error, 'import the key');
    }
  }

  /** Make a cheap authenticated call with the key the provider would use. Never throws on HTTP. */
  async test(providerInput: string, options: { baseUrl?: string } = {}): Promise<KeyTestResult> {
    let provider: ProviderId;
    try {
      provider = parseProviderId(providerInput);
    } catch (error) {
      throw asCredentialError(error, 'test the key');
    }
    const spec = this.source.spec(provider, await this.options.loadCatalog());
    const { found, keychainError } = await this.source.resolve(provider, spec);
    if (!found) {
      const why = keychainError
        ? ` (the keychain could not be read: ${keychainError.message})`
        : '';
      return {
        provider,
        outcome: 'no-key',
        message: `No key for ${spec.label}: none is stored and ${spec.envVars.join(' / ')} is not set${why}.`,
        httpStatus: null,
        source: null,
        endpoint: null,
      };
    }
    let baseUrl = options.baseUrl ?? this.options.baseUrls?.[provider];
    if (baseUrl === undefined && found.source !== 'environment') {
      // A stored key is tested where it is sent: the URL it was saved for.
      baseUrl = (await this.source.boundUrl(provider, found.source).catch(() => null)) ?? undefined;
    }
    const check = await checkKeyWithProvider(spec, found.key, {
      redact: this.source.redactor.redact,
      ...(baseUrl === undefined ? {} : { baseUrl }),
      ...(this.options.keyCheckTimeoutMs === undefined
        ? {}
        : { timeoutMs: this.options.keyCheckTimeoutMs }),
      ...(this.options.fetch === undefined ? {} : { fetch: this.options.fetch }),
    });
    this.options.logger?.info('api key tested', {
      provider,
      outcome: check.outcome,
      status: check.httpStatus,
    });
    return { provider, source: found.source, ...check };
  }
}
