import { describe, expect, it } from 'vitest';
import { RunnerConfigError, runnerSettingsFromToml } from './settings-from-toml';
import { DEFAULT_RUNNER_SETTINGS } from './settings';

describe('runnerSettingsFromToml', () => {
  it('gives the defaults for an empty file', () => {
    expect(runnerSettingsFromToml('')).toEqual(DEFAULT_RUNNER_SETTINGS);
  });

  it("maps VT Code's sandbox, network, sensitive path, timeout and pty keys", () => {
    const settings = runnerSettingsFromToml(`
[sandbox]
default_policy = "read_only"
[sandbox.network]
policy = "allowlist_only"
allowlist = [{ domain = "api.github.com", port = 443 }, { domain = "*.npmjs.org" }]
[sandbox.sensitive_paths]
use_defaults = false
additional = ["~/.secrets"]
exceptions = ["~/.aws/config"]
[timeouts]
pty_ceiling_seconds = 600
[pty]
command_timeout_seconds = 90
max_scrollback_bytes = 65536
max_sessions = 3
`);
    expect(settings).toMatchObject({
      mode: 'read_only',
      network: {
        policy: 'allowlist_only',
        allowlist: [{ domain: 'api.github.com', port: 443 }, { domain: '*.npmjs.org' }],
      },
      sensitivePaths: {
        useDefaults: false,
        additional: ['~/.secrets'],
        exceptions: ['~/.aws/config'],
      },
      timeouts: { ptyCeilingSeconds: 600, commandTimeoutSeconds: 90 },
      pty: { maxScrollbackBytes: 65536, maxSessions: 3 },
    });
  });

  it('reads the older keys: default_mode and the network booleans', () => {
    const s = runnerSettingsFromToml(
      '[sandbox]\ndefault_mode = "workspace_write"\n[sandbox.network]\nallow_all = true\n',
    );
    expect(s.mode).toBe('workspace_write');
    expect(s.network.policy).toBe('allow_all');
  });

  it('treats an explicit enabled = false as danger_full_access', () => {
    expect(runnerSettingsFromToml('[sandbox]\nenabled = false\n').mode).toBe('danger_full_access');
  });

  it.each([
    ['[sandbox', 'not valid TOML'],
    ['sandbox = 3', '[sandbox] must be a table'],
    ['[sandbox]\ndefault_policy = "external"', 'not supported'],
    ['[sandbox]\ndefault_policy = 3', 'must be a string'],
    ['[sandbox.network]\nallowlist = [{ port = 1 }]', 'needs a domain'],
    ['[sandbox.network]\nallowlist = [{ domain = "a b" }]', 'domain'],
    ['[sandbox.network]\npolicy = "sometimes"', 'network.policy'],
    ['[pty]\nmax_scrollback_bytes = 1', 'maxScrollbackBytes'],
    ['[sandbox.sensitive_paths]\nadditional = [1]', 'list of strings'],
  ])('rejects %j', (text, message) => {
    expect(() => runnerSettingsFromToml(text)).toThrow(RunnerConfigError);
    expect(() => runnerSettingsFromToml(text)).toThrow(message);
  });
});
