import type { KeychainBackend } from './keychain';

/**
 * TEST SUPPORT. A keychain held in memory, for tests about what crosses the bridge or what a
 * service does with keys, not about keytar (keychain.test.ts covers the real one).
 */
export function memoryKeychain(): KeychainBackend {
  const secrets = new Map<string, string>();
  return {
    get: (a) => Promise.resolve(secrets.get(a) ?? null),
    set: (a, s) => Promise.resolve(void secrets.set(a, s)),
    delete: (a) => Promise.resolve(secrets.delete(a)),
    findAll: () =>
      Promise.resolve([...secrets].map(([account, password]) => ({ account, password }))),
  };
}
