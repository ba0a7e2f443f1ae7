import type { KeychainProblem } from '../../shared/domain/credentials';

/** The service name every key is filed under in the OS keychain. */
export const KEYCHAIN_SERVICE = 'vtcode-desktop';

/** The keychain operations the store needs; keytar in the app, the same interface in tests. */
export interface KeychainBackend {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  /** Every account (and its secret) under the service. */
  findAll(): Promise<ReadonlyArray<{ account: string; password: string }>>;
}

/** The keychain could not be used; `fix` tells the user what to do about it. */
export class KeychainError extends Error {
  readonly problem: KeychainProblem;
  readonly fix: string;

  constructor(problem: KeychainProblem, message: string, fix: string) {
    super(message);
    this.name = 'KeychainError';
    this.problem = problem;
    this.fix = fix;
  }
}

const LINUX_SECRET_SERVICE_FIX =
  'Install and start a Secret Service provider: on Debian/Ubuntu `sudo apt install gnome-keyring libsecret-1-0` ' +
  '(KDE: kwalletmanager), then log in to a desktop session, or for a headless shell run ' +
  "`dbus-run-session -- sh -c 'echo -n PASSWORD | gnome-keyring-daemon --unlock --components=secrets; <command>'`.";

/** Map a libsecret / Keychain / Credential Manager failure to a problem the user can act on. */
export function classifyKeychainError(
  error: unknown,
  platform: NodeJS.Platform = process.platform,
): KeychainError {
  if (error instanceof KeychainError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  const text = detail.toLowerCase();
  if (
    text.includes('could not connect') ||
    text.includes('autolaunch') ||
    text.includes('dbus_session_bus_address') ||
    text.includes('serviceunknown') ||
    text.includes('was not provided by any .service files') ||
    text.includes('no such interface') ||
    text.includes('cannot spawn a message bus')
  ) {
    return new KeychainError(
      'no-secret-service',
      `No keychain is available: there is no Secret Service on the D-Bus session bus (${detail}).`,
      LINUX_SECRET_SERVICE_FIX,
    );
  }
  if (text.includes('object does not exist at path') || text.includes('no such object')) {
    return new KeychainError(
      'no-default-keyring',
      `The Secret Service has no default keyring to store keys in (${detail}).`,
      'Create a default keyring: open "Passwords and Keys" (seahorse) and add a "Login" keyring, or unlock ' +
        'gnome-keyring once with `echo -n PASSWORD | gnome-keyring-daemon --unlock`, which creates it.',
    );
  }
  if (
    text.includes('locked') ||
    text.includes('prompt') ||
    text.includes('user interaction is not allowed') ||
    text.includes('errsecinteractionnotallowed') ||
    text.includes('dismissed')
  ) {
    return new KeychainError(
      'locked',
      `The keychain is locked and could not be unlocked (${detail}).`,
      platform === 'darwin'
        ? 'Unlock the login keychain in Keychain Access (or `security unlock-keychain`), then try again.'
        : 'Unlock your login keyring (log in to the desktop, or open "Passwords and Keys" and unlock "Login"), then try again.',
    );
  }
  if (
    text.includes('cannot find module') ||
    text.includes('keytar.node') ||
    text.includes('was compiled against a different node.js version')
  ) {
    return new KeychainError(
      'module-missing',
      `The keychain module (keytar) could not be loaded (${detail}).`,
      'Reinstall the app, or in a checkout run `npm rebuild keytar` (it needs libsecret-1-dev on Linux).',
    );
  }
  return new KeychainError(
    'error',
    `The keychain reported an error: ${detail}`,
    platform === 'linux'
      ? `Check that your keyring is running and unlocked. ${LINUX_SECRET_SERVICE_FIX}`
      : 'Check that your keychain is unlocked and try again.',
  );
}

/** A keychain call did not answer in time; its work may still be pending underneath. */
export function timeoutError(operation: string, ms: number): KeychainError {
  return new KeychainError(
    'timeout',
    `The keychain did not answer within ${Math.round(ms / 100) / 10}s (${operation}). ` +
      'The Secret Service may be hung or waiting for an unlock prompt nobody can see.',
    'Unlock your keyring and try again; on Linux restart it with `gnome-keyring-daemon --replace`, ' +
      'or check that DBUS_SESSION_BUS_ADDRESS points at a live session bus.',
  );
}
