import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordedCall } from '../../activity/activity-fixtures';
import { activityStoreFor } from '../../activity/what-if';
import { createServices, type Services } from '../../core/services';
import { createCredentials } from '../../credentials/credentials';
import { memoryKeychain } from '../../credentials/memory-keychain';
import { SessionSealer } from '../../guard/session-seal';
import { createLogger } from '../../log/logger';
import { resolveAppPaths } from '../../platform/paths';
import { trustForTests } from '../../workspace/trust-testing';
import { createRouter, newClientState, type BridgeClient, type Router } from '../router';
import { createHandlers } from './index';

let root: string;
let workspace: string;
let services: Services;
let router: Router;

function client(id: string): BridgeClient {
  return { id, state: newClientState(), emit: () => undefined };
}

async function ok(c: BridgeClient, channel: string, payload: unknown): Promise<unknown> {
  const result = await router.dispatch(channel, payload, c);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'what-if-'));
  workspace = join(root, 'home', 'project');
  await mkdir(workspace, { recursive: true });
  await writeFile(
    join(workspace, 'vtcode.toml'),
    '[commands]\nallow_list = ["git status", "npm test"]\ndeny_glob = ["rm *"]\n',
  );
  const env = { HOME: join(root, 'home'), PATH: process.env.PATH ?? '/usr/bin:/bin' };
  trustForTests(env, workspace);
  const logger = createLogger({ level: 'error' });
  const paths = resolveAppPaths(env, 'linux');
  services = createServices({
    paths,
    logger,
    env,
    host: { kind: 'browser', electronVersion: null },
    credentials: createCredentials({ env, backend: memoryKeychain() }),
  });
  router = createRouter(createHandlers(services), logger);
  // Past calls, decided by the policy in force and sealed as the app seals them.
  const policy = await services.policy.forWorkspace(workspace);
  const store = activityStoreFor(
    workspace,
    policy.current().config.audit,
    paths,
    SessionSealer.forDataDir(paths.dataDir),
  );
  const commands = ['git status', 'npm test', 'cargo build', 'rm -rf dist', 'npm test'];
  commands.forEach((command, i) =>
    store.append(
      recordedCall(policy.current(), {
        id: `r${i}`,
        at: `2026-11-0${i + 1}T10:00:00.000Z`,
        tool: 'exec_command',
        subjects: [{ kind: 'command', command }],
      }),
    ),
  );
});

afterAll(async () => {
  await services.close();
});

const EDIT = {
  target: 'workspace',
  edits: [{ kind: 'command-rules', list: 'allow_list', value: ['git status', 'cargo build'] }],
};

describe('policy:what-if', () => {
  it('lists the past decisions the unsaved edits would change, newest first, with counts', async () => {
    const c = client('w');
    await ok(c, 'workspace:open', { path: workspace });
    const result = (await ok(c, 'policy:what-if', EDIT)) as {
      checked: number;
      changed: number;
      rows: { id: string; before: string; after: string; subject: string }[];
      transitions: { before: string; after: string; count: number }[];
      skipped: Record<string, number>;
    };
    expect(result.checked).toBe(5);
    expect(result.changed).toBe(3);
    expect(result.rows.map((r) => [r.id, r.subject, r.before, r.after])).toEqual([
      ['r4', 'npm test', 'allow', 'prompt'],
      ['r2', 'cargo build', 'prompt', 'allow'],
      ['r1', 'npm test', 'allow', 'prompt'],
    ]);
    expect(result.transitions).toEqual([
      { before: 'allow', after: 'prompt', count: 2 },
      { before: 'prompt', after: 'allow', count: 1 },
    ]);
    expect(result.skipped).toEqual({ unsealed: 0, unreplayable: 0, unreadable: 0 });
  });

  it('checks a command against the same unsaved edits', async () => {
    const c = client('t');
    await ok(c, 'workspace:open', { path: workspace });
    expect(await ok(c, 'policy:check', { command: 'cargo build' })).toMatchObject({
      decision: 'prompt',
    });
    expect(await ok(c, 'policy:check', { command: 'cargo build', draft: EDIT })).toMatchObject({
      decision: 'allow',
    });
  });

  it('lets a newer request from the same window supersede an older one', async () => {
    const c = client('s');
    const other = client('s2');
    await ok(c, 'workspace:open', { path: workspace });
    await ok(other, 'workspace:open', { path: workspace });
    const first = router.dispatch('policy:what-if', EDIT, c);
    const elsewhere = router.dispatch('policy:what-if', EDIT, other);
    const second = router.dispatch('policy:what-if', EDIT, c);
    expect(await first).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/Superseded/) as unknown },
    });
    expect(await second).toMatchObject({ ok: true, value: { changed: 3 } });
    expect(await elsewhere).toMatchObject({ ok: true, value: { changed: 3 } });
  });

  it('answers an invalid edit with the error a save gives', async () => {
    const c = client('e');
    await ok(c, 'workspace:open', { path: workspace });
    const result = await router.dispatch(
      'policy:what-if',
      { target: 'workspace', edits: [{ kind: 'command-rules', list: 'deny_regex', value: ['('] }] },
      c,
    );
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-argument',
        message: expect.stringMatching(/^Not saved: commands\.deny_regex/) as unknown,
      },
    });
  });

  it.each([
    [{}, /target/],
    [{ target: 'workspace' }, /edits/],
    [{ target: 'workspace', edits: [] }, /a draft without edits/],
    [{ target: 'elsewhere', edits: EDIT.edits }, /target/],
    [{ target: 'workspace', edits: [{ kind: 'raw-toml', value: 'x = 1' }] }, /edits/],
    [{ ...EDIT, extra: true }, /extra|Unrecognized/i],
    ['workspace', /object/i],
    [{ target: 'workspace', edits: Array(201).fill(EDIT.edits[0]) }, /edits/],
  ])('refuses a malformed request %#', async (payload, message) => {
    const c = client('bad');
    await ok(c, 'workspace:open', { path: workspace });
    const result = await router.dispatch('policy:what-if', payload, c);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument', message: expect.stringMatching(message) as unknown },
    });
  });

  it.each([
    [{ command: 'ls', draft: { target: 'workspace', edits: [] } }],
    [{ command: 'ls', draft: { target: 'workspace' } }],
    [{ command: 'ls', draft: EDIT, extra: 1 }],
    [{ path: 'a', op: 'read', draft: 'workspace' }],
  ])('refuses a malformed check with a draft %#', async (payload) => {
    const c = client('bad-check');
    await ok(c, 'workspace:open', { path: workspace });
    expect(await router.dispatch('policy:check', payload, c)).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument' },
    });
  });

  it('needs an open workspace', async () => {
    expect(await router.dispatch('policy:what-if', EDIT, client('none'))).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'Open a workspace first.' },
    });
  });
});
