import { describe, expect, it } from 'vitest';
import { KeychainError, classifyKeychainError } from './keychain';
import { createKeytarBackend, resolveKeychainService, type KeytarModule } from './keytar-backend';

describe('classifyKeychainError', () => {
  it.each([
    ['Could not connect: No such file or directory', 'no-secret-service', /gnome-keyring/],
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'no-secret-service', /dbus-run-session/],
    [
      'GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files',
      'no-secret-service',
      /Secret Service provider/,
    ],
    [
      'Object does not exist at path “/org/freedesktop/secrets/collection/login”',
      'no-default-keyring',
      /Login/,
    ],
    ['Cannot create an item in a locked collection', 'locked', /Unlock your login keyring/],
    ['Cannot find module keytar.node', 'module-missing', /npm rebuild keytar/],
    ['Something odd happened', 'error', /keyring is running and unlocked/],
  ])('%s -> %s', (message, problem, fix) => {
    const error = classifyKeychainError(new Error(message), 'linux');
    expect(error.problem).toBe(problem);
    expect(error.fix).toMatch(fix);
    expect(error.message).toContain(message);
  });

  it('gives macOS users a macOS fix for a locked keychain', () => {
    const error = classifyKeychainError(new Error('User interaction is not allowed.'), 'darwin');
    expect(error.problem).toBe('locked');
    expect(error.fix).toMatch(/Keychain Access/);
  });
});

function fakeKeytar(overrides: Partial<KeytarModule> = {}): KeytarModule {
  const store = new Map<string, string>();
  return {
    getPassword: (s, a) => Promise.resolve(store.get(`${s}/${a}`) ?? null),
    setPassword: (s, a, p) => {
      store.set(`${s}/${a}`, p);
      return Promise.resolve();
    },
    deletePassword: (s, a) => Promise.resolve(store.delete(`${s}/${a}`)),
    findCredentials: () => Promise.resolve([]),
    ...overrides,
  };
}

describe('createKeytarBackend', () => {
  it('times out a hung call, fails fast while it is stuck, and recovers when it returns', async () => {
    let release: (value: string | null) => void = () => undefined;
    let calls = 0;
    const keytar = fakeKeytar({
      getPassword: () => {
        calls += 1;
        return calls === 1
          ? new Promise((resolve) => (release = resolve))
          : Promise.resolve('ok-value-1234');
      },
    });
    const backend = createKeytarBackend({ load: () => Promise.resolve(keytar), timeoutMs: 200 });
    const started = Date.now();
    await expect(backend.get('openai')).rejects.toMatchObject({ problem: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(backend.get('openai')).rejects.toThrow(/still waiting for an earlier read/);
    expect(calls).toBe(1);
    release(null);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(backend.get('openai')).resolves.toBe('ok-value-1234');
  });

  it('reports a keytar that cannot load as module-missing, then retries loading', async () => {
    let attempts = 0;
    const backend = createKeytarBackend({
      load: () => {
        attempts += 1;
        return attempts === 1
          ? Promise.reject(new Error("Cannot find module '../build/Release/keytar.node'"))
          : Promise.resolve(fakeKeytar());
      },
    });
    await expect(backend.get('openai')).rejects.toMatchObject({ problem: 'module-missing' });
    await expect(backend.get('openai')).resolves.toBeNull();
  });

  it('classifies errors thrown by keytar', async () => {
    const backend = createKeytarBackend({
      load: () =>
        Promise.resolve(
          fakeKeytar({
            setPassword: () =>
              Promise.reject(new Error('Cannot create an item in a locked collection')),
          }),
        ),
    });
    const error: unknown = await backend
      .set('openai', 'sk-whatever-123456')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeychainError);
    expect(error).toMatchObject({ problem: 'locked' });
  });
});

describe('resolveKeychainService', () => {
  it.each([
    [{}, 'vtcode-desktop'],
    [{ VTCODE_DESKTOP_KEYCHAIN_SERVICE: '' }, 'vtcode-desktop'],
    [{ VTCODE_DESKTOP_KEYCHAIN_SERVICE: 'vtcode-desktop-test-abc' }, 'vtcode-desktop-test-abc'],
  ])('%j -> %s', (env, service) => {
    expect(resolveKeychainService(env)).toBe(service);
  });

  it.each(['other-app', 'vtcode-desktop', 'vtcode-desktop-test-a b'])('refuses %j', (value) => {
    expect(() => resolveKeychainService({ VTCODE_DESKTOP_KEYCHAIN_SERVICE: value })).toThrow(
      /tests only/,
    );
  });
});
