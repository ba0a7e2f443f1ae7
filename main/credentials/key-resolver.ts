import type { KeySource as KeySourceKind, ProviderId } from '../../shared/domain/credentials';
import { CredentialError, asCredentialError } from './errors';
import { KeyBindingsError, normalizeBaseUrl } from './key-bindings';
import type { FoundKey, KeySource } from './key-source';
import { parseProviderId, type ProviderCatalogOptions, type ProviderSpec } from './providers';

/** A key for one outgoing provider request. Hold it for the request, never log or return it. */
export interface ResolvedKey {
  readonly key: string;
  readonly source: KeySourceKind;
}

/** What the request is: where it goes, and the trusted config that says which variables to read. */
export interface KeyRequest {
  /** The base URL the request goes to (after any per-session override). */
  readonly baseUrl: string;
  /** Built from the user file (or `--config FILE`) only, never from a workspace file. */
  readonly catalog: ProviderCatalogOptions;
}

/**
 * INTERNAL TO MAIN. The agent runtime's only way to a key, for the request it is about to make.
 * Never hand this object to an IPC handler, the host, a tool or a log: the bridge exposes the
 * CredentialStore, which answers with masks only.
 */
export interface KeyResolver {
  /**
   * Session key, then keychain, then environment; throws CredentialError('no-key') when there is
   * none, and CredentialError('url-not-allowed') when a stored key was saved for another URL.
   */
  resolveKeyForRequest(provider: string, request: KeyRequest): Promise<ResolvedKey>;
}

/** The refusal for a stored key that would go to a URL it was not saved for. */
function refusal(
  provider: ProviderId,
  spec: ProviderSpec,
  source: 'keychain' | 'session-only',
  savedFor: string | null,
  target: string,
): CredentialError {
  const key = `The ${spec.label} key ${source === 'keychain' ? 'in the keychain' : 'kept for this session'}`;
  const configured = spec.baseUrl === null ? null : normalizeBaseUrl(spec.baseUrl);
  if (savedFor !== null && target === configured) {
    return new CredentialError(
      'url-not-allowed',
      `${key} was saved for ${savedFor}, but ${spec.label} now points at ${target}; the key is not sent there until you save it again for that URL: in Settings › API keys, or with \`vtcode-desktop keys set ${provider}\`.`,
    );
  }
  return new CredentialError(
    'url-not-allowed',
    `${key} was saved for ${savedFor ?? 'no URL'}, so it is not sent to ${target}. To use it there, save it again for that URL: \`vtcode-desktop keys set ${provider} --base-url ${target}\`.`,
  );
}

/** Refuse unless a stored key goes to the URL it was saved for (environment keys are not bound). */
async function checkBinding(
  source: KeySource,
  provider: ProviderId,
  spec: ProviderSpec,
  found: FoundKey,
  baseUrl: string,
): Promise<void> {
  if (found.source === 'environment') return;
  let bound: string | null;
  try {
    bound = await source.boundUrl(provider, found.source);
  } catch (error) {
    if (!(error instanceof KeyBindingsError)) throw error;
    throw new CredentialError(
      'url-not-allowed',
      `${error.message}. No stored key is sent until it can be: fix or delete that file, then save the key again in Settings › API keys.`,
    );
  }
  // A key saved before bindings existed is for the provider's own (or user-file) URL.
  const savedFor = bound ?? (spec.baseUrl === null ? null : normalizeBaseUrl(spec.baseUrl));
  const target = normalizeBaseUrl(baseUrl) ?? baseUrl;
  if (savedFor === null || savedFor !== target) {
    throw refusal(provider, spec, found.source, savedFor, target);
  }
}

/** Create the resolver over the shared key source. */
export function createKeyResolver(source: KeySource): KeyResolver {
  return {
    async resolveKeyForRequest(providerInput, request) {
      let provider;
      try {
        provider = parseProviderId(providerInput);
      } catch (error) {
        throw asCredentialError(error, 'find a key');
      }
      const spec = source.spec(provider, request.catalog);
      const { found, keychainError } = await source.resolve(provider, spec);
      if (found) {
        await checkBinding(source, provider, spec, found, request.baseUrl);
        return { key: found.key, source: found.source };
      }
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
