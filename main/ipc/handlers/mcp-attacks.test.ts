import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpActionResult, McpList } from '../../../shared/domain/mcp';
import { type Services } from '../../core/services';
import { type AppPaths } from '../../platform/paths';
import { testServerBlock } from '../../mcp/testing/manager-fixture';
import { newClientState, type BridgeClient, type Router } from '../router';
import { openHandlerTestBed } from './handler-test-bed';

/*
 * The mcp:* channels as a renderer (or anything speaking the bridge) can call them: malformed
 * requests are refused with a clear error; a repository's server is never approved under another
 * line, nor removed, turned off or shadowed through the channels that edit the user's file; a
 * secret's value never comes back.
 */

const SECRET = 'mcp-ipc-secret-value-0123456789';

let root: string;
let workspace: string;
let paths: AppPaths;
let services: Services;
let router: Router;
const c: BridgeClient = { id: 'mcp', state: newClientState(), emit: () => undefined };

beforeAll(async () => {
  ({ root, workspace, paths, services, router } = await openHandlerTestBed(
    'mcp-ipc-',
    `[mcp]\nenabled = true\n\n${testServerBlock('repo')}`,
  ));
  await ok(c, 'workspace:open', { path: workspace });
}, 30_000);

afterAll(async () => {
  await services.close();
  await rm(root, { recursive: true, force: true });
});

async function ok<T>(client: BridgeClient, channel: string, payload: unknown): Promise<T> {
  const result = await router.dispatch(channel, payload, client);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

const userFile = (): Promise<string> =>
  readFile(join(paths.configDir, 'vtcode.toml'), 'utf8').catch(() => '');

describe('mcp channels', () => {
  it.each<[string, unknown]>([
    ['mcp:add', {}],
    ['mcp:add', { name: 'a__b', command: 'x' }],
    ['mcp:add', { name: 'a', command: 'x', url: 'http://h/' }],
    ['mcp:add', { name: 'a', command: 'x', env: { 'A-B': 'v' } }],
    ['mcp:add', { name: 'a', command: 'x', args: 'y' }],
    ['mcp:approve', { name: 'repo' }],
    ['mcp:approve', { name: 'repo', commandLine: '' }],
    ['mcp:set-secret', { server: 'repo', name: 'A B', value: SECRET }],
    ['mcp:set-secret', { server: 'repo', name: 'A', value: '' }],
    ['mcp:set-secret', { server: '../x', name: 'A', value: SECRET }],
    ['mcp:remove', { name: '../x' }],
    ['mcp:start', null],
    ['mcp:stderr', { name: 7 }],
  ])('refuses a malformed %s request with a clear error', async (channel, payload) => {
    const result = await router.dispatch(channel, payload, c);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid-argument');
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it("never approves another line than the repository server's, nor edits it through the user's file", async () => {
    const before = await userFile();
    const list = await ok<McpList>(c, 'mcp:list', {});
    const repo = list.servers.find((s) => s.name === 'repo')!;
    expect(repo.status).toBe('needs-approval');
    const refused = async (channel: string, payload: unknown): Promise<string> => {
      const r = await ok<McpActionResult>(c, channel, payload);
      expect(r.ok, channel).toBe(false);
      return r.ok ? '' : r.error;
    };
    expect(
      await refused('mcp:approve', { name: 'repo', commandLine: `${repo.commandLine} --evil` }),
    ).toMatch(/changed since/);
    expect(await refused('mcp:remove', { name: 'repo' })).toMatch(/change it there/);
    expect(await refused('mcp:set-enabled', { name: 'repo', enabled: false })).toMatch(
      /change it there/,
    );
    expect(await refused('mcp:add', { name: 'repo', command: 'true' })).toMatch(/exists already/);
    expect(await refused('mcp:add', { name: 'f', url: 'file:///etc/passwd' })).toMatch(
      /https?:\/\//,
    );
    expect(await userFile()).toBe(before);
    expect(
      (await ok<McpList>(c, 'mcp:list', {})).servers.find((s) => s.name === 'repo')?.status,
    ).toBe('needs-approval');
  });

  it("keeps a secret's value in main: only its name is listed", async () => {
    const r = await ok<McpActionResult>(c, 'mcp:set-secret', {
      server: 'repo',
      name: 'SERVICE_KEY',
      value: SECRET,
    });
    expect(r.ok).toBe(true);
    const list = await ok<McpList>(c, 'mcp:list', {});
    expect(list.servers.find((s) => s.name === 'repo')?.secrets).toEqual(['SERVICE_KEY']);
    expect(JSON.stringify([r, list])).not.toContain(SECRET);
  });
});
