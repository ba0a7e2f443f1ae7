import { trustForTests } from '../../workspace/trust-testing';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventChannel } from '../../../shared/ipc/contract';
import { createServices, type Services } from '../../core/services';
import { createCredentials } from '../../credentials/credentials';
import { memoryKeychain } from '../../credentials/memory-keychain';
import { createLogger } from '../../log/logger';
import { resolveAppPaths } from '../../platform/paths';
import { createRouter, newClientState, type BridgeClient, type Router } from '../router';
import { createHandlers } from './index';

interface TestClient extends BridgeClient {
  readonly events: { channel: EventChannel; payload: unknown }[];
}

function client(id: string): TestClient {
  const events: TestClient['events'] = [];
  return {
    id,
    state: newClientState(),
    events,
    emit: (channel, payload) => events.push({ channel, payload }),
  };
}

let root: string;
let workspace: string;
let services: Services;
let router: Router;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'handlers-'));
  workspace = join(root, 'home', 'project');
  await mkdir(workspace, { recursive: true });
  await writeFile(join(workspace, 'vtcode.toml'), '[commands]\ndeny_glob = ["rm *"]\n');
  // Write access comes from the user file: a workspace file cannot loosen the sandbox.
  const userConfig = join(root, 'home', '.config', 'vtcode-desktop');
  await mkdir(userConfig, { recursive: true });
  await writeFile(
    join(userConfig, 'vtcode.toml'),
    '[sandbox]\ndefault_policy = "workspace_write"\n',
  );
  const env = {
    HOME: join(root, 'home'),
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    OPENAI_API_KEY: '',
  };
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

async function ok(c: BridgeClient, channel: string, payload: unknown): Promise<unknown> {
  const result = await router.dispatch(channel, payload, c);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function waitFor(
  c: TestClient,
  channel: EventChannel,
  match: (p: unknown) => boolean = () => true,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${channel} event`)), 15_000);
    const poll = setInterval(() => {
      const found = c.events.find((e) => e.channel === channel && match(e.payload));
      if (found) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(found.payload);
      }
    }, 10);
  });
}

describe('policy channels', () => {
  it('need an open workspace', async () => {
    expect(await router.dispatch('policy:get', {}, client('a'))).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'Open a workspace first.' },
    });
  });

  it('show, check and save the policy, and push the change', async () => {
    const c = client('p');
    await ok(c, 'workspace:open', { path: workspace });
    const snapshot = (await ok(c, 'policy:get', {})) as { commands: { entry: string }[] };
    expect(snapshot.commands.map((r) => r.entry)).toContain('rm *');
    expect(await ok(c, 'policy:check', { command: 'rm -rf src' })).toMatchObject({
      decision: 'deny',
    });
    await ok(c, 'policy:save', {
      target: 'workspace',
      edits: [{ kind: 'command-rules', list: 'allow_list', value: ['ls'] }],
    });
    await waitFor(c, 'policy:changed');
    expect(await ok(c, 'policy:check', { command: 'ls -la' })).toMatchObject({ decision: 'allow' });
  });

  it.each([
    [{ target: 'workspace', edits: [] }, /nothing to save/],
    [{ target: 'elsewhere', edits: [{ kind: 'default-policy', value: 'allow' }] }, /target/],
    [{ target: 'workspace', edits: [{ kind: 'default-policy', value: 'maybe' }] }, /edits/],
    [{ target: 'workspace', edits: [{ kind: 'raw-toml', value: 'x = 1' }] }, /edits/],
    [
      { target: 'workspace', edits: [{ kind: 'tool-policy', tool: '../../etc', value: 'allow' }] },
      /not a tool name/,
    ],
  ])('refuse a malformed save %#', async (payload, message) => {
    const c = client('bad');
    await ok(c, 'workspace:open', { path: workspace });
    const result = await router.dispatch('policy:save', payload, c);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument', message: expect.stringMatching(message) as unknown },
    });
  });
});

describe('runner channels (real sandbox)', () => {
  it('run a command in the sandbox and stream its output and exit to the caller only', async () => {
    const c = client('r');
    const other = client('other');
    await ok(c, 'workspace:open', { path: workspace });
    const summary = (await ok(c, 'runner:start', {
      command: 'echo hello-from-sandbox && touch made-here',
    })) as {
      runId: string;
      sandbox: { kind: string };
    };
    expect(summary.sandbox.kind).toBe('sandboxed');
    const exit = (await waitFor(c, 'runner:exit')) as { exitCode: number };
    expect(exit.exitCode).toBe(0);
    const output = c.events
      .filter((e) => e.channel === 'runner:output')
      .map((e) => (e.payload as { data: string }).data)
      .join('');
    expect(output).toContain('hello-from-sandbox');
    expect(other.events).toEqual([]);
    expect(await router.dispatch('runner:cancel', { runId: summary.runId }, other)).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('resize only a running command of the caller, with sizes checked', async () => {
    const c = client('z');
    const other = client('z-other');
    await ok(c, 'workspace:open', { path: workspace });
    const { runId } = (await ok(c, 'runner:start', { command: 'sleep 0.5; stty size' })) as {
      runId: string;
    };
    expect(await router.dispatch('runner:resize', { runId, cols: 90, rows: 20 }, other)).toEqual({
      ok: true,
      value: false,
    });
    expect(await router.dispatch('runner:resize', { runId, cols: 0, rows: 20 }, c)).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument' },
    });
    expect(await ok(c, 'runner:resize', { runId, cols: 101, rows: 33 })).toBe(true);
    await waitFor(c, 'runner:exit');
    const output = c.events
      .filter((e) => e.channel === 'runner:output')
      .map((e) => (e.payload as { data: string }).data)
      .join('');
    expect(output).toContain('33 101');
  });

  it('refuse a command the policy denies, with the reason', async () => {
    const c = client('d');
    await ok(c, 'workspace:open', { path: workspace });
    const result = await router.dispatch('runner:start', { command: 'rm -rf /tmp/x' }, c);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/rm \*/) as unknown },
    });
  });

  it('cancel a run when its client goes away', async () => {
    const c = client('gone');
    await ok(c, 'workspace:open', { path: workspace });
    const summary = (await ok(c, 'runner:start', { command: 'sleep 30' })) as { runId: string };
    for (const dispose of c.state.disposers.splice(0)) dispose();
    const exit = (await waitFor(c, 'runner:exit')) as { outcome: string };
    expect(exit.outcome).toBe('cancelled');
    expect(services.runner.status(summary.runId)?.state).toBe('finished');
  });
});

describe('keys channels', () => {
  const key = 'sk-proj-TESTKEY1234567890abcdefABCDEF';

  it('set a key and never send it back', async () => {
    const c = client('k');
    const set = await ok(c, 'keys:set', { provider: 'openai', key });
    expect(set).toMatchObject({
      provider: 'openai',
      storage: 'keychain',
      hint: expect.stringContaining('CDEF') as unknown,
    });
    const list = await ok(c, 'keys:list', {});
    expect(JSON.stringify([set, list])).not.toContain(key);
    expect(JSON.stringify(list)).toContain('"stored"');
    await ok(c, 'keys:delete', { provider: 'openai' });
    expect(JSON.stringify(await ok(c, 'keys:list', {}))).not.toContain('CDEF');
  });

  it('refuse a malformed key request without echoing the key', async () => {
    const c = client('k2');
    for (const payload of [
      { provider: 'nope', key },
      { provider: 'openai', key, extra: 1 },
      { provider: 'openai', key: 'has space inside' },
    ]) {
      const result = await router.dispatch('keys:set', payload, c);
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).not.toContain(key);
    }
  });
});
