import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { configFiles } from '../config/config-loader';
import { createConfigStore } from '../config/config-store';
import { trustForTests } from '../workspace/trust-testing';
import {
  applyHostAlways,
  previewHostAlways,
  withAllowlistEntry,
  HostAlwaysError,
} from './host-always';

const allowlist = (text: string) =>
  (parse(text) as { sandbox?: { network?: { allowlist?: unknown } } }).sandbox?.network?.allowlist;

async function setup(user: string | null, workspace: string | null) {
  const root = await mkdtemp(join(tmpdir(), 'vthost-'));
  const env = { VTCODE_DESKTOP_HOME: join(root, 'app'), HOME: join(root, 'home') };
  const ws = join(root, 'ws');
  mkdirSync(ws);
  mkdirSync(join(root, 'app', 'config'), { recursive: true });
  const userFile = join(root, 'app', 'config', 'vtcode.toml');
  const wsFile = join(ws, 'vtcode.toml');
  if (user !== null) writeFileSync(userFile, user);
  if (workspace !== null) writeFileSync(wsFile, workspace);
  trustForTests(env, ws);
  const store = await createConfigStore(configFiles({ workspace: ws, env }));
  return { store, userFile, wsFile };
}

describe('withAllowlistEntry', () => {
  it('appends a [[sandbox.network.allowlist]] table and keeps every comment', () => {
    const text =
      '# my settings\n[sandbox.network]\npolicy = "allowlist_only" # ask for the rest\n\n[[sandbox.network.allowlist]]\n# github\ndomain = "api.github.com"\nport = 443\n';
    const out = withAllowlistEntry(text, 'Registry.npmjs.org', 443);
    expect(out.startsWith(text)).toBe(true);
    expect(out.slice(text.length)).toBe(
      '\n[[sandbox.network.allowlist]]\ndomain = "registry.npmjs.org"\nport = 443\n',
    );
    expect(allowlist(out)).toEqual([
      { domain: 'api.github.com', port: 443 },
      { domain: 'registry.npmjs.org', port: 443 },
    ]);
  });

  it('extends an inline list where it is written', () => {
    const text =
      '[sandbox.network]\n# hosts\nallowlist = [{ domain = "a.example", port = 443 }]\n\n[agent]\n# model\nprovider = "openai"\n';
    const out = withAllowlistEntry(text, 'b.example', 8080);
    expect(out).toContain('# hosts\n');
    expect(out).toContain('# model\n');
    expect(allowlist(out)).toEqual([
      { domain: 'a.example', port: 443 },
      { domain: 'b.example', port: 8080 },
    ]);
  });

  it('writes into an empty or missing file, and leaves a listed host alone', () => {
    const out = withAllowlistEntry('', 'a.example', 443);
    expect(allowlist(out)).toEqual([{ domain: 'a.example', port: 443 }]);
    expect(withAllowlistEntry(out, 'A.example', 443)).toBe(out);
    expect(
      withAllowlistEntry('[sandbox.network]\nallowlist = ["a.example"]\n', 'a.example', 443),
    ).toBe('[sandbox.network]\nallowlist = ["a.example"]\n');
  });

  it.each([
    ['::1', 443],
    ['*.example.com', 443],
  ])('refuses %s', (host, port) => {
    expect(() => withAllowlistEntry('', host, port)).toThrow(HostAlwaysError);
  });
});

describe('previewHostAlways and applyHostAlways', () => {
  it('shows the user-file diff, says the host will be allowed, then writes exactly that', async () => {
    const user = '# mine\n[sandbox.network]\npolicy = "allowlist_only"\n';
    const s = await setup(user, null);
    const preview = await previewHostAlways(s.store, 'user', 'api.example.com', 443);
    expect(preview).toMatchObject({
      target: 'user',
      file: s.userFile,
      effective: true,
      refusal: null,
    });
    expect(preview.lines.filter((l) => l.kind === 'add').map((l) => l.text)).toEqual([
      '',
      '[[sandbox.network.allowlist]]',
      'domain = "api.example.com"',
      'port = 443',
    ]);
    const written = await applyHostAlways(s.store, 'user', 'api.example.com', 443);
    expect(written.note).toContain('api.example.com');
    expect(readFileSync(s.userFile, 'utf8').startsWith(user)).toBe(true);
    expect(s.store.current().sandbox.network.allowlist).toEqual([
      { domain: 'api.example.com', port: 443 },
    ]);
    s.store.close();
  });

  it('says when a workspace entry would be ignored (the user file does not cover it)', async () => {
    const s = await setup('[sandbox.network]\npolicy = "allowlist_only"\n', '[tools]\n');
    const preview = await previewHostAlways(s.store, 'workspace', 'api.example.com', 443);
    expect(preview.effective).toBe(false);
    expect(preview.note).toContain('ignored');
    expect(preview.lines.some((l) => l.kind === 'add')).toBe(true);
    const v6 = await previewHostAlways(s.store, 'user', '::1', 443);
    expect(v6.refusal).toContain('IPv4');
    s.store.close();
  });
});
