import { describe, expect, it } from 'vitest';
import { checkSandbox, explainSandboxError, type SandboxCheckDeps } from './sandbox-check';

function deps(
  overrides: Partial<SandboxCheckDeps> & { missing?: string[] } = {},
): SandboxCheckDeps {
  const missing = overrides.missing ?? [];
  return {
    platform: overrides.platform ?? 'linux',
    which: (name) => Promise.resolve(missing.includes(name) ? null : `/usr/bin/${name}`),
    probeUserNamespace: overrides.probeUserNamespace ?? (() => Promise.resolve(null)),
  };
}

describe('checkSandbox', () => {
  it('is content when bubblewrap, socat, ripgrep and user namespaces are there', async () => {
    expect(await checkSandbox(deps())).toBeNull();
  });

  it.each([
    ['bwrap', 'apt-get install bubblewrap'],
    ['socat', 'apt-get install socat'],
    ['rg', 'apt-get install ripgrep'],
  ])('names the package when %s is missing', async (binary, fix) => {
    const problem = await checkSandbox(deps({ missing: [binary] }));
    expect(problem?.reason).toContain(`${binary} is not installed`);
    expect(problem?.fix).toContain(fix);
  });

  it('explains user namespaces that are switched off', async () => {
    const problem = await checkSandbox(
      deps({
        probeUserNamespace: () =>
          Promise.resolve('bwrap: No permissions to creating new namespace'),
      }),
    );
    expect(problem?.reason).toContain('cannot create a user namespace');
    expect(problem?.reason).toContain('No permissions');
    expect(problem?.fix).toContain('unprivileged_userns_clone');
  });

  it('says an unsupported OS is unsupported', async () => {
    const problem = await checkSandbox(deps({ platform: 'win32' }));
    expect(problem?.reason).toContain('win32');
    expect(problem?.fix).toContain('Linux or macOS');
  });

  it('checks ripgrep on macOS', async () => {
    expect((await checkSandbox(deps({ platform: 'darwin', missing: ['rg'] })))?.fix).toContain(
      'brew install ripgrep',
    );
  });
});

describe('explainSandboxError', () => {
  it.each([
    ['Sandbox dependencies not available: bubblewrap (bwrap) not installed', 'bubblewrap'],
    ['Sandbox dependencies not available: socat not installed', 'socat'],
    ['ripgrep (rg) not found', 'ripgrep'],
    ['setting up uid map: Operation not permitted', 'user namespaces'],
    ['Unsupported platform', 'Linux (bubblewrap)'],
    ['something new', 'SRT_DEBUG=1'],
  ])('explains %j', (message, fix) => {
    const problem = explainSandboxError(new Error(message));
    expect(problem.reason).toBe(message);
    expect(problem.fix).toContain(fix);
  });
});
