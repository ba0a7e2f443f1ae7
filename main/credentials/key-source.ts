import type { KeySource as KeySourceKind, ProviderId } from '../../shared/domain/credentials';
import { memoryKeyBindings, type KeyBindings } from './key-bindings';
import { classifyKeychainError, type KeychainBackend, type KeychainError } from './keychain';
import { providerSpec, type ProviderCatalogOptions, type ProviderSpec } from './providers';
import type { SecretRedactor } from './redact';

/** A key and where it came from. Only ever held inside main. */
export interface FoundKey {
  readonly key: string;
  readonly source: KeySourceKind;
  /** The variable it came from when source is `environment`. */
  readonly envVar: string | null;
}

/** A key from the environment and the variable that held it. */
export interface EnvKey {
  readonly key: string;
  readonly envVar: string;
}

export interface KeySourceOptions {
  readonly backend: KeychainBackend;
  readonly env: NodeJS.ProcessEnv;
  readonly redactor: SecretRedactor;
  /** Which URL each keychain key was saved for. */
  readonly bindings: KeyBindings;
}

/*
 * The one place keys are read: session memory, then the keychain, then the environment. Both the
 * UI-facing store (which turns keys into masks) and the agent's resolver sit on top of it; nothing
 * here is reachable from the bridge directly. Every key it sees is handed to the redactor. Which
 * variables are read comes from the caller's catalog, built from trusted config only.
 */
export class KeySource {
  readonly backend: KeychainBackend;
  readonly redactor: SecretRedactor;
  /** Which URL each keychain key was saved for. */
  readonly bindings: KeyBindings;
  private readonly env: NodeJS.ProcessEnv;
  private readonly session = new Map<ProviderId, string>();
  /** Which URL each session-only key was entered for (gone with the keys when the app quits). */
  private readonly sessionBindings = memoryKeyBindings();

  constructor(options: KeySourceOptions) {
    this.backend = options.backend;
    this.env = options.env;
    this.redactor = options.redactor;
    this.bindings = options.bindings;
  }

  /** The provider's spec under a catalog (trusted config only). */
  spec(provider: ProviderId, catalog: ProviderCatalogOptions = {}): ProviderSpec {
    return providerSpec(provider, catalog);
  }

  /** The first non-empty environment variable for the provider, trimmed. */
  fromEnvironment(spec: ProviderSpec): EnvKey | null {
    for (const name of spec.envVars) {
      const value = this.env[name]?.trim();
      if (value) {
        this.redactor.remember(value);
        return { key: value, envVar: name };
      }
    }
    return null;
  }

  sessionKey(provider: ProviderId): string | null {
    return this.session.get(provider) ?? null;
  }

  sessionProviders(): ProviderId[] {
    return [...this.session.keys()];
  }

  /** Hold a key for this session, for requests to `baseUrl` only (null: none recorded). */
  async setSessionKey(provider: ProviderId, key: string, baseUrl: string | null): Promise<void> {
    this.redactor.remember(key);
    this.session.set(provider, key);
    await this.sessionBindings.set(provider, baseUrl);
  }

  /** Forget the session key; true if there was one. */
  clearSessionKey(provider: ProviderId): boolean {
    void this.sessionBindings.set(provider, null);
    return this.session.delete(provider);
  }

  /** The URL a stored key was saved for; null when none was recorded (a key from before bindings). */
  boundUrl(provider: ProviderId, source: 'keychain' | 'session-only'): Promise<string | null> {
    return source === 'keychain' ? this.bindings.get(provider) : this.sessionBindings.get(provider);
  }

  /** The keychain's key for the provider; keychain failures propagate as KeychainError. */
  async fromKeychain(provider: ProviderId): Promise<string | null> {
    try {
      const key = await this.backend.get(provider);
      if (key) this.redactor.remember(key);
      return key || null;
    } catch (error) {
      throw classifyKeychainError(error);
    }
  }

  /**
   * Resolve the key a request would use. A keychain failure falls through to the environment and is
   * returned alongside, so callers can say why a stored key was not used.
   */
  async resolve(
    provider: ProviderId,
    spec: ProviderSpec,
  ): Promise<{ found: FoundKey | null; keychainError: KeychainError | null }> {
    const session = this.sessionKey(provider);
    if (session)
      return { found: { key: session, source: 'session-only', envVar: null }, keychainError: null };
    let keychainError: KeychainError | null = null;
    try {
      const stored = await this.fromKeychain(provider);
      if (stored)
        return { found: { key: stored, source: 'keychain', envVar: null }, keychainError };
    } catch (error) {
      keychainError = classifyKeychainError(error);
    }
    const env = this.fromEnvironment(spec);
    return {
      found: env ? { key: env.key, source: 'environment', envVar: env.envVar } : null,
      keychainError,
    };
  }
}
