import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyExplain } from '../../../shared/domain/policy-explain';
import type { PolicyLintResult } from '../../../shared/domain/policy-lint';
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
let second: string;
let services: Services;
let router: Router;

const client = (id: string): BridgeClient => ({
  id,
  state: newClientState(),
  emit: () => undefined,
});

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'policy-insight-'));
  workspace = join(root, 'home', 'project');
  await mkdir(workspace, { recursive: true });
  await writeFile(
    join(workspace, 'vtcode.toml'),
    '[commands]\nallow_glob = ["*"]\nallow_list = ["ls"]\n[tools.policies]\nexec_command = "prompt"\n',
  );
  second = join(root, 'home', 'second');
  await mkdir(second, { recursive: true });
  await writeFile(
    join(second, 'vtcode.toml'),
    '# mine\n[tools.policies]\nexec_comand = "allow"\nread_file = "allow"\n',
  );
  const userConfig = join(root, 'home', '.config', 'vtcode-desktop');
  await mkdir(userConfig, { recursive: true });
  await writeFile(join(userConfig, 'vtcode.toml'), '[tools.policies]\nexec_command = "allow"\n');
  const env = { HOME: join(root, 'home'), PATH: process.env.PATH ?? '/usr/bin:/bin' };
  trustForTests(env, workspace);
  trustForTests(env, second);
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

async function ok<T>(c: BridgeClient, channel: string, payload: unknown): Promise<T> {
  const result = await router.dispatch(channel, payload, c);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

describe('policy:lint and policy:explain', () => {
  it('need an open workspace', async () => {
    for (const channel of ['policy:lint', 'policy:explain'])
      expect(await router.dispatch(channel, {}, client('none'))).toEqual({
        ok: false,
        error: { code: 'conflict', message: 'Open a workspace first.' },
      });
  });

  it('lint flags allow_glob *, its fix saves, and the finding is gone', async () => {
    const c = client('lint');
    await ok(c, 'workspace:open', { path: workspace });
    const before = await ok<PolicyLintResult>(c, 'policy:lint', {});
    const star = before.findings.find((f) => f.rule?.entry === '*');
    expect(star).toMatchObject({ severity: 'error', kind: 'runs-anything' });
    expect(before.activity).toEqual({ records: 0, since: null });
    const fix = star?.fix;
    if (!fix) throw new Error('no fix');
    await ok(c, 'policy:save', { target: fix.target, edits: fix.edits });
    const after = await ok<PolicyLintResult>(c, 'policy:lint', {});
    expect(after.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(after.findings.find((f) => f.rule?.entry === '*')).toBeUndefined();
  });

  it('a misspelt tool: its rename fix writes the right key and removes the wrong one', async () => {
    const c = client('rename');
    await ok(c, 'workspace:open', { path: second });
    const before = await ok<PolicyLintResult>(c, 'policy:lint', {});
    const typo = before.findings.find((f) => f.kind === 'unknown-tool');
    expect(typo?.fix?.label).toBe('rename exec_comand to exec_command');
    await ok(c, 'policy:save', { target: typo?.fix?.target, edits: typo?.fix?.edits });
    const text = await readFile(join(second, 'vtcode.toml'), 'utf8');
    expect(text).toContain('exec_command = "allow"');
    expect(text).not.toContain('exec_comand');
    expect(text).toContain('# mine');
    const after = await ok<PolicyLintResult>(c, 'policy:lint', {});
    expect(after.findings.filter((f) => f.kind === 'unknown-tool')).toEqual([]);
  });

  it('explain says the workspace file overrode the user file, and what plan mode changes', async () => {
    const c = client('explain');
    await ok(c, 'workspace:open', { path: workspace });
    const e = await ok<PolicyExplain>(c, 'policy:explain', { mode: 'plan' });
    const exec = e.tools.find((t) => t.name === 'exec_command');
    expect(exec).toMatchObject({ value: 'prompt', source: { layer: 'workspace' } });
    expect(exec?.overrode[0]).toMatchObject({ value: 'allow', source: { layer: 'user' } });
    expect(e.tools.find((t) => t.name === 'apply_patch')?.changes[0]?.what).toContain('plan mode');
    // A session not running in this window has no grants (and no agent is opened for it).
    const withSession = await ok<PolicyExplain>(c, 'policy:explain', { sessionId: 's-abcdef12' });
    expect(withSession).toMatchObject({ grants: [], sessionId: 's-abcdef12', modeFrom: 'default' });
  });

  it.each([
    ['policy:lint', { extra: 1 }],
    ['policy:lint', null],
    ['policy:explain', { mode: 'yolo' }],
    ['policy:explain', { sessionId: '../../etc' }],
    ['policy:explain', { sessionId: 42 }],
    ['policy:explain', { sessionId: 's-abcdef12', other: true }],
  ])('refuse a malformed %s request %#', async (channel, payload) => {
    const c = client('bad');
    await ok(c, 'workspace:open', { path: workspace });
    expect(await router.dispatch(channel, payload, c)).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument' },
    });
  });
});
