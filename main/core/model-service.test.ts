import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthReport } from '../../shared/domain/app';
import type { KeyTestResult } from '../../shared/domain/credentials';
import type { ModelSetup, ModelTestResult } from '../../shared/domain/model-setup';
import { startScriptedProvider, type ScriptedProvider } from '../agent/testing/scripted-provider';
import { createCredentials } from '../credentials/credentials';
import { memoryKeychain } from '../credentials/memory-keychain';
import { createRouter, newClientState, type BridgeClient, type Router } from '../ipc/router';
import { createHandlers } from '../ipc/handlers';
import { createLogger } from '../log/logger';
import { resolveAppPaths } from '../platform/paths';
import { trustForTests } from '../workspace/trust-testing';
import { createServices, type Services } from './services';

/*
 * Connect a model: what the header, Health and the first-run form say is what a session would
 * use, a Test makes the request a conversation would (same URL, same key), and the first-run
 * save goes to the user's file and the keychain, never the workspace's vtcode.toml.
 */

const KEY = 'local-key-0123456789abcdefXYZ1';

let root: string;
let workspace: string;
let env: NodeJS.ProcessEnv;
let services: Services;
let router: Router;
let provider: ScriptedProvider;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'model-service-'));
  workspace = join(root, 'project');
  await mkdir(workspace, { recursive: true });
  env = {
    HOME: join(root, 'home'),
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    VTCODE_DESKTOP_HOME: join(root, 'app'),
  };
  trustForTests(env, workspace);
  provider = await startScriptedProvider(
    { responses: [] },
    { models: ['local-model', 'other-model'], requireKey: KEY },
  );
  const logger = createLogger({ level: 'error' });
  services = createServices({
    paths: resolveAppPaths(env),
    logger,
    env,
    host: { kind: 'browser', electronVersion: null },
    credentials: createCredentials({ env, backend: memoryKeychain() }),
  });
  router = createRouter(createHandlers(services), logger);
});

afterAll(async () => {
  await services.close();
  await provider.close();
  await rm(root, { recursive: true, force: true });
});

function client(id: string): BridgeClient {
  return { id, state: newClientState(), emit: () => undefined };
}

async function call<T>(c: BridgeClient, channel: string, payload: unknown): Promise<T> {
  const result = await router.dispatch(channel, payload, c);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

describe('connect a model', () => {
  it('says nothing is connected on a fresh home, and Health warns with the field to fix', async () => {
    const c = client('fresh');
    const setup = await call<ModelSetup>(c, 'model:describe', {});
    expect(setup.ready).toBe(false);
    expect(setup.problem?.field).toBe('provider');
    expect(setup.providerSource).toEqual({ kind: 'default' });
    const health = await call<HealthReport>(c, 'health:check', {});
    const model = health.checks.find((check) => check.id === 'model');
    expect(model).toMatchObject({ status: 'warn', settingsField: 'provider' });
    expect(health.status).not.toBe('ok');
  });

  it('tests a draft endpoint with the typed key before saving, and lists its models', async () => {
    const c = client('draft');
    const draft = {
      provider: 'custom',
      customName: 'local',
      baseUrl: provider.url,
      apiFormat: 'openai-chat',
      model: 'local-model',
    };
    const wrong = await call<ModelTestResult>(c, 'model:test', {
      ...draft,
      key: 'wrong-key-0123456789abcdef',
    });
    expect(wrong.outcome).toBe('rejected');
    expect(wrong.problem?.field).toBe('key');
    const right = await call<ModelTestResult>(c, 'model:test', { ...draft, key: KEY });
    expect(right.outcome).toBe('ok');
    expect(right.models).toEqual(['local-model', 'other-model']);
    expect(right.modelListed).toBe(true);
    expect(provider.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
    const typo = await call<ModelTestResult>(c, 'model:test', {
      ...draft,
      key: KEY,
      model: 'lokal-model',
    });
    expect(typo.outcome).toBe('unexpected-response');
    expect(typo.problem?.field).toBe('model');
    expect(typo.message).toContain('local-model');
    // Nothing was saved by a test.
    await expect(
      readFile(join(resolveAppPaths(env).configDir, 'vtcode.toml'), 'utf8'),
    ).rejects.toThrow();
  });

  it('saves to the user file and the keychain; the workspace file stays untouched', async () => {
    const c = client('connect');
    await call(c, 'workspace:open', { path: workspace });
    const setup = await call<ModelSetup>(c, 'model:connect', {
      provider: 'custom',
      customName: 'local',
      baseUrl: provider.url,
      apiFormat: 'openai-chat',
      model: 'local-model',
      key: KEY,
    });
    expect(setup).toMatchObject({
      ready: true,
      provider: 'custom:local',
      model: 'local-model',
      key: 'stored',
      baseUrl: provider.url,
    });
    const userFile = join(resolveAppPaths(env).configDir, 'vtcode.toml');
    expect(setup.providerSource).toEqual({ kind: 'file', layer: 'user', file: userFile });
    const text = await readFile(userFile, 'utf8');
    expect(text).toContain('provider = "local"');
    expect(text).toContain('default_model = "local-model"');
    expect(text).toContain(`base_url = "${provider.url}"`);
    expect(text).not.toContain(KEY);
    await expect(readFile(join(workspace, 'vtcode.toml'), 'utf8')).rejects.toThrow();

    // Settings › API keys › Test exercises what the conversation uses: the endpoint and its key.
    const before = provider.requests.length;
    const tested = await call<KeyTestResult>(c, 'keys:test', { provider: 'custom:local' });
    expect(tested).toMatchObject({ outcome: 'ok', source: 'keychain' });
    expect(tested.message).not.toContain('no base URL');
    expect(provider.requests.length).toBe(before + 1);
    expect(provider.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);

    const health = await call<HealthReport>(c, 'health:check', {});
    expect(health.checks.find((check) => check.id === 'model')?.status).toBe('ok');
  });

  it("never sends the user's key to an endpoint the workspace file declares", async () => {
    const ws = join(root, 'cloned');
    await mkdir(ws, { recursive: true });
    trustForTests(env, ws);
    await writeFile(
      join(ws, 'vtcode.toml'),
      `[agent]\nprovider = "theirs"\ndefault_model = "local-model"\n\n[[custom_providers]]\nname = "theirs"\nbase_url = "${provider.url}"\n`,
    );
    const c = client('cloned');
    await call(c, 'workspace:open', { path: ws });
    const setup = await call<ModelSetup>(c, 'model:describe', {});
    expect(setup).toMatchObject({ provider: 'custom:theirs', key: 'not-needed' });
    expect(setup.providerSource).toMatchObject({ kind: 'file', layer: 'workspace' });
    const before = provider.requests.length;
    const result = await call<ModelTestResult>(c, 'model:test', {});
    // The endpoint wants a key; none is sent to a workspace's endpoint, and the test says so.
    expect(result.outcome).toBe('rejected');
    expect(result.message).toContain('none is sent');
    const last = provider.requests.at(-1);
    expect(last?.headers.authorization).toBeUndefined();
    expect(provider.requests.length).toBe(before + 1);
    expect(JSON.stringify(provider.requests.slice(before))).not.toContain(KEY.slice(4));
  });

  it('refuses an endpoint named like a built-in (it would mean the built-in, not the endpoint)', async () => {
    const c = client('reserved');
    const draft = { provider: 'custom', customName: 'OpenAI', baseUrl: provider.url, model: 'm' };
    const tested = await call<ModelTestResult>(c, 'model:test', draft);
    expect(tested).toMatchObject({ outcome: 'not-set-up', problem: { field: 'provider' } });
    await expect(call(c, 'model:connect', { ...draft, key: KEY })).rejects.toThrow(/built-in/);
  });

  it('points a missing model at the model field and an unknown provider at the provider', async () => {
    const c = client('choices');
    await call(c, 'workspace:open', { path: workspace });
    const unknown = await call<ModelSetup>(c, 'model:describe', { provider: 'nope' });
    expect(unknown.ready).toBe(false);
    expect(unknown.problem?.field).toBe('provider');
    expect(unknown.providerSource).toEqual({ kind: 'chosen' });
    const noKey = await call<ModelSetup>(c, 'model:describe', {
      provider: 'anthropic',
      model: 'claude-x',
    });
    expect(noKey).toMatchObject({ ready: false, key: 'missing' });
    expect(noKey.problem).toMatchObject({ field: 'key', provider: 'anthropic' });
  });
});
