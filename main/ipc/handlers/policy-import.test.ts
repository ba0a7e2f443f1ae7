import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../core/services';
import { createCredentials } from '../../credentials/credentials';
import { memoryKeychain } from '../../credentials/memory-keychain';
import { createLogger } from '../../log/logger';
import { resolveAppPaths } from '../../platform/paths';
import { trustForTests } from '../../workspace/trust-testing';
import { createRouter, newClientState, type BridgeClient, type Router } from '../router';
import { createHandlers } from './index';

let root: string;
let workspace: string;
let services: Services;
let router: Router;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'import-handlers-'));
  workspace = join(root, 'home', 'project');
  await mkdir(join(workspace, '.claude'), { recursive: true });
  await writeFile(
    join(workspace, '.claude', 'settings.json'),
    JSON.stringify({ permissions: { allow: ['Bash(git status)'], deny: ['Grep'] } }),
  );
  const env = { HOME: join(root, 'home'), PATH: process.env.PATH ?? '/usr/bin:/bin' };
  trustForTests(env, workspace);
  const logger = createLogger({ level: 'error' });
  services = createServices({
    paths: resolveAppPaths(env, 'linux'),
    logger,
    env,
    host: { kind: 'browser', electronVersion: null },
    credentials: createCredentials({ env, backend: memoryKeychain() }),
  });
  router = createRouter(createHandlers(services), logger);
});

afterAll(async () => {
  await services.close();
});

const client = (id: string): BridgeClient => ({
  id,
  state: newClientState(),
  emit: () => undefined,
});

async function opened(): Promise<BridgeClient> {
  const c = client(`c${Math.random()}`);
  const r = await router.dispatch('workspace:open', { path: workspace }, c);
  if (!r.ok) throw new Error(r.error.message);
  return c;
}

describe('policy:import-preview and policy:import-apply', () => {
  it('need an open workspace', async () => {
    const r = await router.dispatch(
      'policy:import-preview',
      { from: 'claude', source: { kind: 'detect' } },
      client('none'),
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('preview, then add the chosen rows', async () => {
    const c = await opened();
    const preview = await router.dispatch(
      'policy:import-preview',
      { from: 'claude', source: { kind: 'detect' } },
      c,
    );
    if (!preview.ok) throw new Error(preview.error.message);
    const rows = (preview.value as { rows: { id: string; status: string }[] }).rows;
    expect(rows.map((r) => r.status)).toEqual(['new', 'not-mapped']);
    const applied = await router.dispatch(
      'policy:import-apply',
      { from: 'claude', source: { kind: 'detect' }, target: 'workspace', accept: [rows[0]?.id] },
      c,
    );
    expect(applied).toMatchObject({ ok: true });
    expect(await readFile(join(workspace, 'vtcode.toml'), 'utf8')).toContain(
      'exec_command(git status)',
    );
  });

  it.each([
    ['policy:import-preview', {}, /from/],
    ['policy:import-preview', { from: 'cursor', source: { kind: 'detect' } }, /from/],
    ['policy:import-preview', { from: 'claude' }, /source/],
    [
      'policy:import-preview',
      { from: 'claude', source: { kind: 'url', url: 'http://x' } },
      /source/,
    ],
    [
      'policy:import-preview',
      { from: 'claude', source: { kind: 'text', text: '' } },
      /nothing pasted/,
    ],
    [
      'policy:import-preview',
      { from: 'claude', source: { kind: 'text', text: 'x'.repeat(1024 * 1024 + 1) } },
      /1 MB/,
    ],
    ['policy:import-preview', { from: 'claude', source: { kind: 'file', path: '' } }, /source/],
    [
      'policy:import-preview',
      { from: 'claude', source: { kind: 'file', path: '/etc/passwd' } },
      /not one of the files/,
    ],
    ['policy:import-preview', { from: 'claude', source: { kind: 'detect', extra: 1 } }, /source/],
    [
      'policy:import-preview',
      { from: 'claude', source: { kind: 'detect' }, target: 'system' },
      /target/,
    ],
    [
      'policy:import-preview',
      { from: 'claude', source: { kind: 'detect' }, edits: [] },
      /edits|Unrecognized/,
    ],
    [
      'policy:import-apply',
      { from: 'claude', source: { kind: 'detect' }, target: 'workspace', accept: [] },
      /no rows chosen/,
    ],
    [
      'policy:import-apply',
      { from: 'claude', source: { kind: 'detect' }, accept: ['0123456789abcdef'] },
      /target/,
    ],
    [
      'policy:import-apply',
      { from: 'claude', source: { kind: 'detect' }, target: 'workspace', accept: ['../x'] },
      /not a row id/,
    ],
    [
      'policy:import-apply',
      {
        from: 'claude',
        source: { kind: 'detect' },
        target: 'workspace',
        accept: ['0123456789abcdef'],
      },
      /not in the preview/,
    ],
    [
      'policy:import-apply',
      {
        from: 'claude',
        source: { kind: 'detect' },
        target: 'workspace',
        accept: ['0123456789abcdef'],
        edits: [{ kind: 'default-policy', value: 'allow' }],
      },
      /edits|Unrecognized/,
    ],
  ])('%s refuses %j', async (channel, payload, message) => {
    const c = await opened();
    const result = await router.dispatch(channel, payload, c);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument', message: expect.stringMatching(message) as unknown },
    });
  });
});
