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
import { checkKeyWithProvider } from './key-test';
import type { KeySource } from './key-source';
import { classifyKeychainError, type KeychainError } from './keychain';
import {
  listProviderIds,
  parseProviderId,
  providerSpec,
  type ProviderCatalogOptions,
} from './providers';
import { maskKey, validateApiKey } from './validate';

export interface CredentialStoreOptions {
  readonly source: KeySource;
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
   * Every provider with its status and masked hint, and whether the keychain is usable.
   * `customProviders` adds the open workspace's `[[custom_providers]]` to the app's own.
   */
  async list(
    customProviders: ProviderCatalogOptions['customProviders'] = [],
  ): Promise<CredentialList> {
    const base = this.source.catalogOptions;
    const catalog: ProviderCatalogOptions = {
      ...base,
      customProviders: [...(base.customProviders ?? []), ...customProviders],
    };
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
    const providers = ids.map((id) =>
      this.describe(id, stored.get(id) ?? null, problem === null, catalog),
    );
    return { keychain: keychainState(problem), providers };
  }

  private describe(
    id: ProviderId,
    keychainKey: string | null,
    keychainUp: boolean,
    catalog: ProviderCatalogOptions,
  ): ProviderCredential {
    const spec = providerSpec(id, catalog);
    const session = this.source.sessionKey(id);
    const env = this.source.fromEnvironment(id, spec);
    const storedKey = session ?? keychainKey;
    const storage: StorageKind | null = session ? 'session-only' : keychainKey ? 'keychain' : null;
    const used = storedKey ?? env?.key ?? null;
    return {
      provider: id,
      label: spec.label,
      custom: spec.custom,
      status: storedKey ? 'stored' : env ? 'from-environment' : 'missing',
      storage,
      hint: used ? maskKey(used) : null,
      envVars: [...spec.envVars],
      envVarFound: env?.envVar ?? null,
      canImport: env !== null && keychainUp && env.key !== keychainKey,
    };
  }

  /** Validate and store a key (replacing any stored one). Throws CredentialError with a fix. */
  async set(providerInput: string, rawKey: string, options: { sessionOnly?: boolean } = {}) {
    try {
      const provider = parseProviderId(providerInput);
      const spec = this.source.spec(provider);
      const checked = validateApiKey(spec, rawKey);
      if (!checked.ok) throw new CredentialError('invalid-key', checked.error);
      return await this.store(
        provider,
        checked.key,
        checked.warnings,
        options.sessionOnly === true,
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
  ): Promise<SetKeyResult> {
    this.source.redactor.remember(key);
    if (sessionOnly) {
      const replaced = this.source.sessionKey(provider) !== null;
      this.source.setSessionKey(provider, key);
      this.options.logger?.info('api key held for this session only', { provider });
      return {
        provider,
        storage: 'session-only',
        hint: maskKey(key),
        replaced,
        warnings: [...warnings],
      };
    }
    const previous = await this.source.fromKeychain(provider);
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
    this.source.clearSessionKey(provider);
    this.options.logger?.info(
      previous ? 'api key replaced in keychain' : 'api key stored in keychain',
      {
        provider,
      },
    );
    return {
      provider,
      storage: 'keychain',
      hint: maskKey(key),
      replaced: previous !== null,
      warnings: [...warnings],
    };
  }

  /** Remove the provider's key from the keychain and from session memory. */
  async delete(providerInput: string): Promise<DeleteKeyResult> {
    try {
      const provider = parseProviderId(providerInput);
      const removedFrom: StorageKind[] = [];
      if (this.source.clearSessionKey(provider)) removedFrom.push('session-only');
      if (await this.source.backend.delete(provider)) removedFrom.push('keychain');
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
      const env = this.source.fromEnvironment(provider);
      if (!env) {
        const names = this.source.spec(provider).envVars.join(' or ');
        throw new CredentialError('no-key', `There is no ${names} in the environment to import.`);
      }
      const checked = validateApiKey(this.source.spec(provider), env.key);
      if (!checked.ok) {
        throw new CredentialError(
          'invalid-key',
          `${env.envVar} does not hold a usable key: ${checked.error}`,
        );
      }
      return await this.store(provider, checked.key, checked.warnings, false);
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
    const spec = this.source.spec(provider);
    const { found, keychainError } = await this.source.resolve(provider);
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
    const baseUrl = options.baseUrl ?? this.options.baseUrls?.[provider];
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
