import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runnerSettingsFromConfig } from '../runner/settings-from-config';
import { trustForTests } from '../workspace/trust-testing';
import { configFiles, loadConfig } from './config-loader';
import { splitHostEntry } from './key-specs';
import { readLayer } from './layer';

// `[sandbox.network] denylist`, the app's own key: host denials joined across files.

async function setup(user: string | null, workspace: string | null, trusted = true) {
  const root = await mkdtemp(join(tmpdir(), 'vtdeny-'));
  const env = { VTCODE_DESKTOP_HOME: join(root, 'app'), HOME: join(root, 'home') };
  const ws = join(root, 'ws');
  mkdirSync(ws);
  mkdirSync(join(root, 'app', 'config'), { recursive: true });
  const userFile = join(root, 'app', 'config', 'vtcode.toml');
  const wsFile = join(ws, 'vtcode.toml');
  if (user !== null) writeFileSync(userFile, user);
  if (workspace !== null) writeFileSync(wsFile, workspace);
  if (trusted) trustForTests(env, ws);
  return { userFile, wsFile, files: configFiles({ workspace: ws, env }) };
}

const layerOf = (text: string) => readLayer(text, { layer: 'user', file: '/u/vtcode.toml' });

describe('[sandbox.network] denylist', () => {
  it.each([
    ['denylist = "evil.example"', 'array'],
    ['denylist = [{ port = 22 }]', 'domain'],
    ['denylist = [{ domain = "a b" }]', 'domain'],
    ['denylist = [{ domain = "evil.example/path" }]', 'domain'],
    ['denylist = [{ domain = "*" }]', 'domain'],
    ['denylist = [{ domain = "::1" }]', 'domain'],
    ['denylist = [{ domain = "x.example", port = 0 }]', 'port'],
    ['denylist = [{ domain = "x.example", port = 70000 }]', 'port'],
    ['denylist = [{ domain = "x.example", port = "22" }]', 'port'],
    ['denylist = [42]', 'table'],
  ])('rejects %s', (line, word) => {
    const layer = layerOf(`[sandbox.network]\n${line}\n`);
    expect(layer.valid).toBe(false);
    expect(layer.issues[0]?.key).toBe('sandbox.network.denylist');
    expect(layer.issues[0]?.message).toContain(word);
  });

  it('reads tables with and without a port, wildcards, IP literals and bare strings', () => {
    const layer = layerOf(
      '[sandbox.network]\ndenylist = [{ domain = "*.Evil.example" }, { domain = "10.0.0.1", port = 22 }, ' +
        '{ domain = "[::1]", port = 8080 }, "metadata.internal"]\n',
    );
    expect(layer.issues).toEqual([]);
    expect(layer.values.get('sandbox.network.denylist')?.value).toEqual([
      '*.evil.example',
      '10.0.0.1:22',
      '[::1]:8080',
      'metadata.internal',
    ]);
    expect(splitHostEntry('[::1]:8080')).toEqual({ domain: '[::1]', port: 8080 });
    expect(splitHostEntry('[::1]')).toEqual({ domain: '[::1]' });
    expect(splitHostEntry('x.example')).toEqual({ domain: 'x.example' });
  });

  it('joins the user and workspace lists, each entry with its file, and gives them to the runner', async () => {
    const s = await setup(
      '[sandbox.network]\npolicy = "allowlist_only"\nallowlist = [{ domain = "*.example.com", port = 443 }]\ndenylist = [{ domain = "a.example.com" }]\n',
      '[sandbox.network]\ndenylist = [{ domain = "b.example.com", port = 443 }]\n',
    );
    const { config, ok } = await loadConfig(s.files);
    expect(ok).toBe(true);
    expect(config.sandbox.network.denylist).toEqual([
      { domain: 'a.example.com', source: { layer: 'user', file: s.userFile } },
      { domain: 'b.example.com', port: 443, source: { layer: 'workspace', file: s.wsFile } },
    ]);
    expect(runnerSettingsFromConfig(config).network.denylist).toEqual([
      { domain: 'a.example.com' },
      { domain: 'b.example.com', port: 443 },
    ]);
  });

  it('takes denials from an untrusted workspace file (they only tighten)', async () => {
    const s = await setup(null, '[sandbox.network]\ndenylist = ["tracker.example"]\n', false);
    const { config } = await loadConfig(s.files);
    expect(config.trust).not.toBe('trusted');
    expect(config.sandbox.network.denylist.map((e) => e.domain)).toEqual(['tracker.example']);
    expect(config.issues.filter((i) => i.key === 'sandbox.network.denylist')).toEqual([]);
  });
});
