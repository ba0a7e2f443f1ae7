import { probeSessionBus } from './bus-probe';
import {
  KEYCHAIN_SERVICE,
  classifyKeychainError,
  timeoutError,
  type KeychainBackend,
} from './keychain';

/** The part of keytar we use (its own typings, restated so loading it can be lazy). */
export interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

export interface KeytarBackendOptions {
  readonly service?: string;
  /** How long one keychain call may take. Unlock prompts on macOS need a human, hence generous. */
  readonly timeoutMs?: number;
  /** Tests and odd hosts may supply the module; by default keytar is imported on first use. */
  readonly load?: () => Promise<KeytarModule>;
  /** Checked before keytar is first used; by default, on Linux, that the session bus answers. */
  readonly probe?: () => Promise<void>;
  /** Where the session bus address is read (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

export const DEFAULT_KEYCHAIN_TIMEOUT_MS = 15_000;

/** Tests put their keys under their own service; it must say so in its name. */
export const TEST_SERVICE_PREFIX = `${KEYCHAIN_SERVICE}-test-`;

/**
 * The keychain service to use: `vtcode-desktop`, or `VTCODE_DESKTOP_KEYCHAIN_SERVICE` when it names
 * a test service, so a test run can never read or overwrite a user's real keys.
 */
export function resolveKeychainService(env: NodeJS.ProcessEnv): string {
  const override = env.VTCODE_DESKTOP_KEYCHAIN_SERVICE;
  if (override === undefined || override === '') return KEYCHAIN_SERVICE;
  if (!override.startsWith(TEST_SERVICE_PREFIX) || !/^[A-Za-z0-9._-]{1,128}$/.test(override)) {
    throw new Error(
      `VTCODE_DESKTOP_KEYCHAIN_SERVICE must start with "${TEST_SERVICE_PREFIX}" (it exists for tests only).`,
    );
  }
  return override;
}

async function importKeytar(): Promise<KeytarModule> {
  const mod = (await import('keytar')) as KeytarModule & { default?: KeytarModule };
  return mod.default ?? mod;
}

/**
 * keytar over the OS keychain, every call bounded by a timeout. libsecret blocks a worker thread
 * forever when the bus never answers, so after one timeout later calls fail fast until it returns.
 */
export function createKeytarBackend(options: KeytarBackendOptions = {}): KeychainBackend {
  const service = options.service ?? KEYCHAIN_SERVICE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_KEYCHAIN_TIMEOUT_MS;
  const load = options.load ?? importKeytar;
  const env = options.env ?? process.env;
  const probe =
    options.probe ??
    (process.platform === 'linux'
      ? () => probeSessionBus(env, Math.min(timeoutMs, 5000))
      : () => Promise.resolve());
  let probed = false;
  let loaded: Promise<KeytarModule> | null = null;
  let stuck: string | null = null;

  const call = async <T>(operation: string, run: (keytar: KeytarModule) => Promise<T>) => {
    if (stuck !== null) {
      throw timeoutError(`still waiting for an earlier ${stuck}`, timeoutMs);
    }
    let keytar: KeytarModule;
    try {
      if (!probed) {
        await probe();
        probed = true;
      }
      loaded ??= load();
      keytar = await loaded;
    } catch (error) {
      loaded = null;
      throw classifyKeychainError(error);
    }
    const pending = run(keytar);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const first = await Promise.race([pending.then((value) => ({ value })), expired]);
      if (first === 'timeout') {
        stuck = operation;
        pending.then(
          () => (stuck = null),
          () => (stuck = null),
        );
        throw timeoutError(operation, timeoutMs);
      }
      return first.value;
    } catch (error) {
      throw classifyKeychainError(error);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    get: (account) => call('read', (k) => k.getPassword(service, account)),
    set: (account, secret) => call('write', (k) => k.setPassword(service, account, secret)),
    delete: (account) => call('delete', (k) => k.deletePassword(service, account)),
    findAll: () => call('list', (k) => k.findCredentials(service)),
  };
}
