import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runnerSettingsFromConfig } from '../runner/settings-from-config';
import { configFiles, loadConfig } from './config-loader';
import { trustForTests } from '../workspace/trust-testing';
import { runnerSettings } from './effective';

/** Load a user file and a workspace file (null: absent) the way the app and `run` do. */
async function load(
  user: string | null,
  workspace: string | null,
  trust: 'trusted' | 'read_only' | null = 'trusted',
) {
  const root = await mkdtemp(join(tmpdir(), 'vtguard-'));
  const env = { VTCODE_DESKTOP_HOME: join(root, 'app'), HOME: join(root, 'home') };
  const ws = join(root, 'ws');
  mkdirSync(ws);
  mkdirSync(join(root, 'app', 'config'), { recursive: true });
  const userFile = join(root, 'app', 'config', 'vtcode.toml');
  const wsFile = join(ws, 'vtcode.toml');
  if (user !== null) writeFileSync(userFile, user);
  if (workspace !== null) writeFileSync(wsFile, workspace);
  if (trust) trustForTests(env, ws, trust);
  const { config, ok } = await loadConfig(configFiles({ workspace: ws, env }));
  const warnings = config.issues.filter((i) => i.severity === 'warning');
  return { config, ok, warnings, wsFile, userFile, root };
}

describe('a workspace file cannot loosen the sandbox', () => {
  it.each([
    ['[sandbox]\ndefault_policy = "danger_full_access"\n', 'sandbox.default_policy'],
    ['[sandbox]\ndefault_mode = "danger_full_access"\n', 'sandbox.default_mode'],
    ['[sandbox]\ndefault_policy = "external"\n', 'sandbox.default_policy'],
  ])('ignores %j over a trusted folder’s workspace_write, naming %s', async (toml, key) => {
    const { config, ok, warnings, wsFile } = await load(null, toml);
    expect(ok).toBe(true);
    expect(config.sandbox.defaultPolicy).toBe('workspace_write');
    expect(warnings).toEqual([
      expect.objectContaining({
        file: wsFile,
        key,
        line: 2,
        message: expect.stringContaining(
          'a workspace file cannot loosen the sandbox; set it in the user config',
        ) as unknown,
      }),
    ]);
    expect(runnerSettings(config).sandbox.defaultPolicy).toBe('workspace_write');
    expect(runnerSettingsFromConfig(config).mode).toBe('workspace_write');
  });

  it('never takes more than workspace_write from a workspace file, whatever the user file allows', async () => {
    const user = '[sandbox]\ndefault_policy = "danger_full_access"\n';
    const { config, warnings } = await load(user, '[sandbox]\ndefault_policy = "external"\n');
    expect(config.sandbox.defaultPolicy).toBe('danger_full_access');
    expect(warnings[0]?.message).toMatch(/at most "workspace_write"/);
    expect(config.workspaceCeiling.mode).toBe('workspace_write');
  });

  it.each([['read_only' as const], [null]])(
    'a folder that is %s runs commands read-only whatever either file says',
    async (trust) => {
      const user = '[sandbox]\ndefault_policy = "danger_full_access"\n';
      const ws =
        '[sandbox]\ndefault_policy = "workspace_write"\n[commands]\nallow_list = ["rm"]\ndeny_list = ["curl"]\n';
      const { config, warnings } = await load(user, ws, trust);
      expect(config.trust).toBe(trust ?? 'unasked');
      expect(runnerSettingsFromConfig(config).mode).toBe('read_only');
      // Only what tightens is taken from an untrusted workspace file.
      expect(config.commands.allow_list).toEqual([]);
      expect(config.commands.deny_list.map((e) => e.entry)).toEqual(['curl']);
      expect(warnings.map((w) => w.key)).toEqual(['commands.allow_list']);
      expect(warnings.find((w) => w.key === 'commands.allow_list')?.message).toMatch(
        /open read-only \(not trusted\)/,
      );
    },
  );

  it.each([
    ['[sandbox.network]\npolicy = "allow_all"\n', 'sandbox.network.policy'],
    ['[sandbox.network]\nallow_all = true\n', 'sandbox.network.allow_all'],
  ])('ignores %j, naming %s', async (toml, key) => {
    const { config, warnings, wsFile } = await load(null, toml);
    expect(config.sandbox.network.policy).toBe('allowlist_only');
    expect(warnings).toMatchObject([{ file: wsFile, key, line: 2 }]);
    expect(runnerSettingsFromConfig(config).network.policy).toBe('allowlist_only');
  });

  it('keeps the user value when the workspace asks for more, and names the user file', async () => {
    const { config, warnings, userFile } = await load(
      '[sandbox]\ndefault_policy = "workspace_write"\n[sandbox.network]\npolicy = "block_all"\n',
      '[sandbox]\ndefault_policy = "danger_full_access"\n[sandbox.network]\npolicy = "allowlist_only"\n',
    );
    expect(config.sandbox.defaultPolicy).toBe('workspace_write');
    expect(config.sandbox.network.policy).toBe('block_all');
    expect(warnings).toHaveLength(2);
    for (const w of warnings) expect(w.message).toContain(userFile);
    expect(runnerSettingsFromConfig(config)).toMatchObject({
      mode: 'workspace_write',
      network: { policy: 'block_all' },
    });
  });

  it('takes a workspace value that tightens the user value', async () => {
    const { config, warnings } = await load(
      '[sandbox]\ndefault_policy = "danger_full_access"\n[sandbox.network]\npolicy = "allow_all"\n',
      '[sandbox]\ndefault_mode = "read_only"\n[sandbox.network]\nblock_all = true\n',
    );
    expect(warnings).toEqual([]);
    expect(config.sandbox.defaultPolicy).toBe('read_only');
    expect(config.sandbox.network.policy).toBe('block_all');
    expect(runnerSettings(config).sandbox).toMatchObject({
      defaultPolicy: 'read_only',
      network: { policy: 'block_all' },
    });
  });

  it('takes a loosening from the user file and from --config', async () => {
    const user = await load('[sandbox]\ndefault_policy = "danger_full_access"\n', null);
    expect(user.config.sandbox.defaultPolicy).toBe('danger_full_access');
    expect(user.warnings).toEqual([]);
    const explicit = join(user.root, 'explicit.toml');
    writeFileSync(explicit, '[sandbox.network]\npolicy = "allow_all"\n');
    const { config } = await loadConfig(configFiles({ workspace: user.root, explicit }));
    expect(config.sandbox.network.policy).toBe('allow_all');
  });

  it('keeps sandboxing on when the user turned it on', async () => {
    const { config, warnings } = await load(
      '[sandbox]\nenabled = true\n',
      '[sandbox]\nenabled = false\n',
    );
    expect(config.sandbox.enabled).toBe(true);
    expect(warnings).toMatchObject([{ key: 'sandbox.enabled' }]);
  });

  it('honours only workspace allowlist entries that a user entry covers', async () => {
    const { config, warnings } = await load(
      '[sandbox.network]\nallowlist = [{ domain = "api.github.com", port = 443 }, { domain = "*.npmjs.org", port = 443 }]\n',
      '[sandbox.network]\nallowlist = [{ domain = "API.github.com", port = 443 }, { domain = "registry.npmjs.org" },' +
        ' { domain = "evil.example", port = 443 }, { domain = "api.github.com", port = 22 }, { domain = "npmjs.org" }]\n',
    );
    expect(config.sandbox.network.allowlist).toEqual([
      { domain: 'API.github.com', port: 443 },
      { domain: 'registry.npmjs.org', port: 443 },
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.key).toBe('sandbox.network.allowlist');
    expect(warnings[0]?.message).toContain('evil.example:443, api.github.com:22, npmjs.org:443');
    expect(runnerSettingsFromConfig(config).network.allowlist).toHaveLength(2);
  });

  it('drops every workspace allowlist entry when the user file has none', async () => {
    const { config, warnings } = await load(
      null,
      '[sandbox.network]\nallowlist = [{ domain = "evil.example", port = 443 }]\n',
    );
    expect(config.sandbox.network.allowlist).toEqual([]);
    expect(warnings[0]?.message).toContain('cannot loosen the sandbox');
  });

  it('lets the workspace narrow the user allowlist', async () => {
    const { config, warnings } = await load(
      '[sandbox.network]\nallowlist = [{ domain = "a.example", port = 443 }, { domain = "b.example", port = 443 }]\n',
      '[sandbox.network]\nallowlist = [{ domain = "a.example", port = 443 }]\n',
    );
    expect(warnings).toEqual([]);
    expect(config.sandbox.network.allowlist).toEqual([{ domain: 'a.example', port: 443 }]);
  });
});
