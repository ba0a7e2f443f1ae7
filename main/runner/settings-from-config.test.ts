import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/config-loader';
import type { VtcodeConfig } from '../config/effective';
import { RunnerConfigError, runnerSettingsFromConfig } from './settings-from-config';

function withSandbox(
  patch: Partial<VtcodeConfig['sandbox']>,
  rest: Partial<VtcodeConfig> = {},
): VtcodeConfig {
  const base = defaultConfig();
  return { ...base, ...rest, sandbox: { ...base.sandbox, ...patch } };
}

describe('runnerSettingsFromConfig', () => {
  it('sandboxes by default, whatever [sandbox] enabled says', () => {
    const settings = runnerSettingsFromConfig(defaultConfig());
    expect(settings.mode).not.toBe('danger_full_access');
  });

  it('maps the network allow-list and the sensitive paths', () => {
    const base = defaultConfig();
    const settings = runnerSettingsFromConfig(
      withSandbox(
        {
          defaultPolicy: 'read_only',
          network: {
            policy: 'allowlist_only',
            allowlist: [{ domain: 'api.github.com', port: 443 }],
            denylist: [
              { domain: '*.evil.example', source: { layer: 'workspace', file: '/w/vtcode.toml' } },
              { domain: '10.0.0.1', port: 22, source: { layer: 'user', file: '/u/vtcode.toml' } },
            ],
          },
          sensitivePaths: { useDefaults: false, additional: [], exceptions: ['~/.aws/config'] },
        },
        {
          sensitiveAdditional: [
            { entry: '~/.secrets', source: { layer: 'user', file: '/u.toml' } },
          ],
        },
      ),
    );
    expect(settings).toMatchObject({
      mode: 'read_only',
      network: {
        policy: 'allowlist_only',
        allowlist: [{ domain: 'api.github.com', port: 443 }],
        denylist: [{ domain: '*.evil.example' }, { domain: '10.0.0.1', port: 22 }],
      },
      sensitivePaths: {
        useDefaults: false,
        additional: ['~/.secrets'],
        exceptions: ['~/.aws/config'],
      },
    });
    expect(base.sandbox.defaultPolicy).toBeDefined();
  });

  it('treats a 0 ceiling as none and keeps a timeout under the ceiling', () => {
    const base = defaultConfig();
    const settings = runnerSettingsFromConfig({
      ...base,
      timeouts: { ...base.timeouts, ptyCeilingSeconds: 60 },
      pty: { ...base.pty, commandTimeoutSeconds: 600, maxScrollbackBytes: 0 },
    });
    expect(settings.timeouts).toEqual({ ptyCeilingSeconds: 60, commandTimeoutSeconds: 60 });
    expect(settings.pty.maxScrollbackBytes).toBeGreaterThanOrEqual(1024);
  });

  it.each([
    [{ defaultPolicy: 'external' as const }, 'external'],
    [
      {
        network: {
          policy: 'allowlist_only' as const,
          allowlist: [{ domain: 'a b', port: 1 }],
          denylist: [],
        },
      },
      'domain',
    ],
  ])('rejects %j', (patch, message) => {
    expect(() => runnerSettingsFromConfig(withSandbox(patch))).toThrow(RunnerConfigError);
    expect(() => runnerSettingsFromConfig(withSandbox(patch))).toThrow(message);
  });
});
