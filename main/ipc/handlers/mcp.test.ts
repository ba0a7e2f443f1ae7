import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpActionResult, McpList } from '../../../shared/domain/mcp';
import { type Services } from '../../core/services';
import { TEST_SERVER } from '../../mcp/testing/test-server-path';
import { type AppPaths } from '../../platform/paths';
import { newClientState, type BridgeClient, type Router } from '../router';
import { openHandlerTestBed } from './handler-test-bed';

/* The mcp:* channels: checked inputs, the user file written as asked, workspace servers left alone. */

const SECRET = 'mcp-ipc-secret-never-back-0123456789';

let root: string;
let workspace: string;
let paths: AppPaths;
let services: Services;
let router: Router;
const events: McpList[] = [];
let policyEvents = 0;

beforeAll(async () => {
  ({ root, workspace, paths, services, router } = await openHandlerTestBed(
    'mcp-ipc-',
    `[[mcp.providers]]\nname = "repo"\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${JSON.stringify(TEST_SERVER)}]\n`,
  ));
}, 30_000);

afterAll(async () => {
  await services.close();
  await rm(root, { recursive: true, force: true });
});

const c: BridgeClient = {
  id: 'm',
  state: newClientState(),
  emit: (channel, payload) => {
    if (channel === 'mcp:changed') events.push(payload as McpList);
    if (channel === 'policy:changed') policyEvents++;
  },
};

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const result = await router.dispatch(channel, payload, c);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

const userFile = () => readFile(join(paths.configDir, 'vtcode.toml'), 'utf8');

describe('mcp channels', () => {
  it('need an open workspace, and refuse malformed requests', async () => {
    await expect(call('mcp:list', {})).rejects.toThrow(/Open a workspace first/);
    await call('workspace:open', { path: workspace });
    for (const [channel, payload] of [
      ['mcp:add', { name: 'a' }],
      ['mcp:add', { name: 'a__b', command: 'x' }],
      ['mcp:add', { name: 'a', command: 'x', url: 'https://h/' }],
      ['mcp:add', { name: 'a', url: 'not a url' }],
      ['mcp:add', { name: 'a', command: 'x', env: { 'BAD NAME': 'v' } }],
      ['mcp:start', { name: '../x' }],
      ['mcp:set-secret', { server: 'repo', name: 'PATH X', value: 'v' }],
      ['mcp:set-secret', { server: 'repo', name: 'K', value: '' }],
      ['mcp:approve', { name: 'repo' }],
      ['mcp:set-all-enabled', { enabled: 'yes' }],
      ['mcp:list', { extra: 1 }],
    ] as const)
      await expect(
        call(channel, payload),
        `${channel} ${JSON.stringify(payload)}`,
      ).rejects.toThrow();
  });

  it('a workspace with servers settles: no endless stream of events', async () => {
    await new Promise((r) => setTimeout(r, 300));
    const before = events.length + policyEvents;
    await new Promise((r) => setTimeout(r, 300));
    expect(events.length + policyEvents).toBe(before);
  });

  it('add writes the server to the user file and turns MCP on; it runs', async () => {
    const added = await call<McpActionResult>('mcp:add', {
      name: 'mine',
      command: process.execPath,
      args: [TEST_SERVER],
    });
    expect(added.ok).toBe(true);
    const text = await userFile();
    expect(text).toMatch(/\[mcp\]\s*\nenabled = true/);
    expect(text).toMatch(/\[\[mcp\.providers\]\]\s*\nname = "mine"/);
    const manager = await services.mcp.forWorkspace(workspace);
    await manager.settled();
    const list = await call<McpList>('mcp:list', {});
    expect(list.servers.map((s) => [s.name, s.status, s.source.layer])).toEqual([
      ['mine', 'running', 'user'],
      ['repo', 'needs-approval', 'workspace'],
    ]);
    expect(events.length).toBeGreaterThan(0);
  }, 30_000);

  it('secrets go in and never come back; a workspace server cannot be removed or toggled from here', async () => {
    const set = await call<McpActionResult>('mcp:set-secret', {
      server: 'mine',
      name: 'API_KEY',
      value: SECRET,
    });
    expect(set.ok && set.list.servers.find((s) => s.name === 'mine')?.secrets).toEqual(['API_KEY']);
    expect(JSON.stringify(set)).not.toContain(SECRET);
    expect(await userFile()).not.toContain(SECRET);
    const removed = await call<McpActionResult>('mcp:remove', { name: 'repo' });
    expect(removed).toMatchObject({
      ok: false,
      error: expect.stringMatching(/change it there/) as string,
    });
    const toggled = await call<McpActionResult>('mcp:set-enabled', {
      name: 'repo',
      enabled: false,
    });
    expect(toggled.ok).toBe(false);
    const wrong = await call<McpActionResult>('mcp:approve', {
      name: 'repo',
      commandLine: 'sh -c true',
    });
    expect(wrong).toMatchObject({
      ok: false,
      error: expect.stringMatching(/changed since/) as string,
    });
  });

  it('set-all-enabled turns every server off in the user file, and remove takes a server out', async () => {
    const off = await call<McpActionResult>('mcp:set-all-enabled', { enabled: false });
    expect(off.ok && off.list).toMatchObject({ enabled: false });
    expect(off.ok && off.list.servers.every((s) => s.status === 'disabled')).toBe(true);
    expect(await userFile()).toMatch(/enabled = false/);
    const removed = await call<McpActionResult>('mcp:remove', { name: 'mine' });
    expect(removed.ok && removed.list.servers.map((s) => s.name)).toEqual(['repo']);
    expect(await userFile()).not.toContain('name = "mine"');
  }, 30_000);
});
