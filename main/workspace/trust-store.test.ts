import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../policy/test-helpers';
import { runCli } from '../cli/cli';
import { TrustStore } from './trust-store';
import { PassThrough } from 'node:stream';

describe('TrustStore', () => {
  it('keeps a choice per real path; a folder inherits the nearest parent’s', async () => {
    const root = tempDir('trust-');
    const store = new TrustStore(join(root, 'data', 'trusted-folders.json'));
    const ws = join(root, 'projects', 'app');
    mkdirSync(join(ws, 'sub'), { recursive: true });
    expect(store.get(ws)).toBeNull();
    await store.set(join(root, 'projects'), 'trusted');
    expect(store.get(join(ws, 'sub'))).toBe('trusted');
    await store.set(ws, 'read_only');
    expect(store.get(join(ws, 'sub'))).toBe('read_only');
    expect(new TrustStore(store.file).get(ws)).toBe('read_only');
    expect(await store.remove(ws)).toBe(true);
    expect(store.get(ws)).toBe('trusted');
  });

  it('a damaged file trusts nothing', () => {
    const root = tempDir('trust-');
    const file = join(root, 'trusted-folders.json');
    writeFileSync(file, '{"version":1,"folders":{"/":"yes"');
    expect(new TrustStore(file).get(root)).toBeNull();
  });
});

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  const code = await runCli(args, { stdout, stderr, stdin: new PassThrough(), env });
  return { code, out };
}

describe('vtcode-desktop trust / untrust', () => {
  it('round trip: trust, then untrust (which sticks inside a trusted parent)', async () => {
    const root = tempDir('trust-cli-');
    const env = { VTCODE_DESKTOP_HOME: join(root, 'app'), HOME: root };
    const ws = join(root, 'ws');
    mkdirSync(join(ws, 'inner'), { recursive: true });
    const store = TrustStore.inDataDir(join(root, 'app', 'data'));
    expect((await cli(['trust', ws], env)).out).toMatch(/: trusted/);
    expect(store.get(ws)).toBe('trusted');
    expect((await cli(['untrust', join(ws, 'inner')], env)).out).toMatch(/opened read-only/);
    expect(store.get(join(ws, 'inner'))).toBe('read_only');
    expect((await cli(['untrust', ws], env)).out).toMatch(/not trusted yet/);
    expect(store.get(ws)).toBeNull();
    expect((await cli(['trust', join(root, 'missing')], env)).code).toBe(2);
  });
});
