import type { KeySource as KeySourceKind } from '../../shared/domain/credentials';
import { CredentialError, asCredentialError } from './errors';
import type { KeySource } from './key-source';
import { parseProviderId } from './providers';

/** A key for one outgoing provider request. Hold it for the request, never log or return it. */
export interface ResolvedKey {
  readonly key: string;
  readonly source: KeySourceKind;
}

/**
 * INTERNAL TO MAIN. The agent runtime's only way to a key, for the request it is about to make.
 * Never hand this object to an IPC handler, the host, a tool or a log: the bridge exposes the
 * CredentialStore, which answers with masks only.
 */
export interface KeyResolver {
  /** Session key, then keychain, then environment; throws CredentialError('no-key') otherwise. */
  resolveKeyForRequest(provider: string): Promise<ResolvedKey>;
}

/** Create the resolver over the shared key source. */
export function createKeyResolver(source: KeySource): KeyResolver {
  return {
    async resolveKeyForRequest(providerInput) {
      let provider;
      try {
        provider = parseProviderId(providerInput);
      } catch (error) {
        throw asCredentialError(error, 'find a key');
      }
      const { found, keychainError } = await source.resolve(provider);
      if (found) return { key: found.key, source: found.source };
      const spec = source.spec(provider);
      if (keychainError) {
        throw new CredentialError(
          'keychain',
          `No key for ${spec.label}: the keychain could not be read (${keychainError.message}) and ${spec.envVars.join(' / ')} is not set.`,
          { fix: keychainError.fix, keychainProblem: keychainError.problem },
        );
      }
      throw new CredentialError(
        'no-key',
        `No API key for ${spec.label}: add one in Settings, or set ${spec.envVars.join(' / ')}.`,
      );
    },
  };
}
