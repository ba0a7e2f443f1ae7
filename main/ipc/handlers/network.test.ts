import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventChannel } from '../../../shared/ipc/contract';
import { createServices, type Services } from '../../core/services';
import { createCredentials } from '../../credentials/credentials';
import { memoryKeychain } from '../../credentials/memory-keychain';
import { createLogger } from '../../log/logger';
import { resolveAppPaths } from '../../platform/paths';
import { mapTestHosts } from '../../runner/hosts-testing';
import { trustForTests } from '../../workspace/trust-testing';
import { createRouter, newClientState, type BridgeClient, type Router } from '../router';
import { createHandlers } from './index';

// The network channels: "Try a host", the "Always" preview, and a terminal run's host question.

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
let userFile: string;
let services: Services;
let router: Router;
let server: Server;
let port: number;
let unmap: () => void;

beforeAll(async () => {
  unmap = mapTestHosts('.vt.localhost');
  server = createServer((_req, res) => res.end('TERMINAL-BODY'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  root = await mkdtemp(join(tmpdir(), 'net-handlers-'));
  workspace = join(root, 'home', 'project');
  await mkdir(workspace, { recursive: true });
  await writeFile(
    join(workspace, 'vtcode.toml'),
    '[sandbox.network]\ndenylist = ["bad.example"]\n',
  );
  const userConfig = join(root, 'home', '.config', 'vtcode-desktop');
  await mkdir(userConfig, { recursive: true });
  userFile = join(userConfig, 'vtcode.toml');
  await writeFile(
    userFile,
    '# user\n[sandbox.network]\npolicy = "allowlist_only"\nallowlist = [{ domain = "*.github.com", port = 443 }]\n',
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
  server.close();
  unmap();
});

async function ok(c: BridgeClient, channel: string, payload: unknown): Promise<unknown> {
  const result = await router.dispatch(channel, payload, c);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function waitFor(c: TestClient, channel: EventChannel): Promise<unknown> {
  const until = Date.now() + 20_000;
  for (;;) {
    const found = c.events.find((e) => e.channel === channel);
    if (found) return found.payload;
    if (Date.now() > until) throw new Error(`no ${channel} event`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('policy:check-host and policy:preview-host-always', () => {
  it('say allow, ask or deny and which entry (in which file) decided', async () => {
    const c = client('h');
    await ok(c, 'workspace:open', { path: workspace });
    expect(await ok(c, 'policy:check-host', { host: 'api.github.com' })).toMatchObject({
      decision: 'allow',
      port: 443,
      entry: { list: 'allowlist', domain: '*.github.com', port: 443, file: userFile },
    });
    expect(await ok(c, 'policy:check-host', { host: 'BAD.example.', port: 80 })).toMatchObject({
      host: 'bad.example',
      decision: 'deny',
      entry: { list: 'denylist', domain: 'bad.example', file: join(workspace, 'vtcode.toml') },
    });
    expect(await ok(c, 'policy:check-host', { host: 'npmjs.org', port: 443 })).toMatchObject({
      decision: 'ask',
      entry: null,
      policy: 'allowlist_only',
    });
    await ok(c, 'policy:save', {
      target: 'user',
      edits: [{ kind: 'network-denylist', value: [{ domain: 'gist.github.com', port: 443 }] }],
    });
    expect(await ok(c, 'policy:check-host', { host: 'gist.github.com' })).toMatchObject({
      decision: 'deny',
      entry: { list: 'denylist', file: userFile },
    });
    const preview = (await ok(c, 'policy:preview-host-always', {
      host: 'npmjs.org',
      port: 443,
      target: 'user',
    })) as { lines: { kind: string; text: string }[]; effective: boolean; file: string };
    expect(preview.file).toBe(userFile);
    expect(preview.effective).toBe(true);
    // The user file writes its list inline: the entry joins that line, comments stay.
    const added = preview.lines.filter((l) => l.kind === 'add').map((l) => l.text);
    expect(added).toEqual([
      'allowlist = [{ domain = "*.github.com", port = 443 }, { domain = "npmjs.org", port = 443 }]',
    ]);
    // Nothing was written by the preview.
    expect(await readFile(userFile, 'utf8')).not.toContain('npmjs.org');
  });

  it.each([
    ['policy:check-host', {}],
    ['policy:check-host', { host: '' }],
    ['policy:check-host', { host: 'https://x.com' }],
    ['policy:check-host', { host: 'x.com', port: 0 }],
    ['policy:check-host', { host: 'x.com', extra: 1 }],
    ['policy:preview-host-always', { host: 'x.com', port: 443 }],
    ['policy:preview-host-always', { host: 'x.com', port: 443, target: 'system' }],
    [
      'policy:save',
      { target: 'user', edits: [{ kind: 'network-denylist', value: [{ domain: 'a b' }] }] },
    ],
    [
      'policy:save',
      {
        target: 'user',
        edits: [{ kind: 'network-denylist', value: [{ domain: 'x.com', port: 0 }] }],
      },
    ],
    ['runner:answer-host', { approvalId: 'nope', answer: 'approve-once' }],
  ])('refuse a malformed %s request %#', async (channel, payload) => {
    const c = client('bad');
    await ok(c, 'workspace:open', { path: workspace });
    expect(await router.dispatch(channel, payload, c)).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument' },
    });
  });
});

describe('a terminal run meets a new host (real sandbox)', () => {
  it('asks the window that started it, takes only answers for ids main made, then lets it through', async () => {
    const c = client('t');
    const other = client('o');
    await ok(c, 'workspace:open', { path: workspace });
    await ok(other, 'workspace:open', { path: workspace });
    await ok(c, 'runner:start', {
      command: `curl -sS -f -m 60 --retry 5 --retry-connrefused --retry-delay 1 --noproxy '' http://term.vt.localhost:${port}/`,
    });
    const ask = (await waitFor(c, 'runner:host-ask')) as {
      approvalId: string;
      host: string;
      port: number;
      canSession: boolean;
    };
    expect(ask).toMatchObject({ host: 'term.vt.localhost', port, canSession: false });
    expect(other.events.some((e) => e.channel === 'runner:host-ask')).toBe(false);
    // Another window cannot answer it, and an id main did not make is refused.
    expect(
      await router.dispatch(
        'runner:answer-host',
        { approvalId: ask.approvalId, answer: 'approve-once' },
        other,
      ),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(
      await router.dispatch(
        'runner:answer-host',
        { approvalId: 'ap-00000000', answer: 'approve-once' },
        c,
      ),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
    await ok(c, 'runner:answer-host', { approvalId: ask.approvalId, answer: 'approve-once' });
    expect(await waitFor(c, 'runner:host-resolved')).toMatchObject({
      approvalId: ask.approvalId,
      outcome: 'approved-once',
    });
    const exit = (await waitFor(c, 'runner:exit')) as { exitCode: number };
    expect(exit.exitCode).toBe(0);
    const output = c.events
      .filter((e) => e.channel === 'runner:output')
      .map((e) => (e.payload as { data: string }).data)
      .join('');
    expect(output).toContain('TERMINAL-BODY');
    // The answer is in the workspace's activity log, as a network record.
    const until = Date.now() + 5000;
    let page: { records: { record: { kind: string; subject: string; answer?: string } }[] };
    do {
      page = (await ok(c, 'policy:list-activity', {})) as typeof page;
      if (page.records.some((r) => r.record.kind === 'network')) break;
      await new Promise((r) => setTimeout(r, 50));
    } while (Date.now() < until);
    expect(page.records.map((r) => r.record)).toContainEqual(
      expect.objectContaining({
        kind: 'network',
        tool: 'terminal',
        subject: `term.vt.localhost:${port}`,
        answer: 'approved-once',
      }),
    );
  });
});
