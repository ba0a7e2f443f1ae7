import type { KeychainProblem } from '../../shared/domain/credentials';
import { BridgeError } from '../../shared/ipc/errors';
import { KeychainError } from './keychain';
import { UnknownProviderError } from './providers';

export type CredentialErrorReason =
  | 'unknown-provider'
  | 'invalid-key'
  | 'keychain'
  | 'no-key'
  /** A stored key would go to a URL other than the one it was saved for. */
  | 'url-not-allowed'
  /** A base URL given for a key is not an http(s) URL. */
  | 'invalid-url'
  /** Which URL a key is for could not be recorded. */
  | 'bindings'
  /** A token binding's name, variable, hosts or test path is not acceptable. */
  | 'invalid-binding';

/**
 * A credentials operation failed in a way the user can act on. It is a BridgeError so the router
 * passes the message through unchanged; messages never contain a key.
 */
export class CredentialError extends BridgeError {
  readonly reason: CredentialErrorReason;
  /** What the user can do, when there is something (install a keyring, unlock it, ...). */
  readonly fix: string | null;
  readonly keychainProblem: KeychainProblem | null;
  /** True when the key could still be used for this session only (held in memory until the app quits). */
  readonly sessionOnlyPossible: boolean;

  constructor(
    reason: CredentialErrorReason,
    message: string,
    details: { fix?: string; keychainProblem?: KeychainProblem } = {},
  ) {
    super(
      reason === 'keychain' || reason === 'bindings'
        ? 'unavailable'
        : reason === 'no-key'
          ? 'not-found'
          : reason === 'url-not-allowed'
            ? 'forbidden'
            : 'invalid-argument',
      message,
    );
    this.name = 'CredentialError';
    this.reason = reason;
    this.fix = details.fix ?? null;
    this.keychainProblem = details.keychainProblem ?? null;
    this.sessionOnlyPossible = reason === 'keychain';
  }
}

/** Wrap a keychain failure so the UI gets the problem, the fix and the session-only fallback. */
export function keychainFailure(error: KeychainError, action: string): CredentialError {
  return new CredentialError('keychain', `Could not ${action}: ${error.message}`, {
    fix: error.fix,
    keychainProblem: error.problem,
  });
}

/** Turn the errors credential code throws into CredentialErrors; anything else is rethrown. */
export function asCredentialError(error: unknown, action: string): CredentialError {
  if (error instanceof CredentialError) return error;
  if (error instanceof KeychainError) return keychainFailure(error, action);
  if (error instanceof UnknownProviderError) {
    return new CredentialError('unknown-provider', error.message);
  }
  throw error;
}
