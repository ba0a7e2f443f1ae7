import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunnerEvent } from '../../shared/domain/runner';
import { configFiles } from '../config/config-loader';
import { createConfigStore } from '../config/config-store';
import { resolveAppPaths, type AppPaths } from '../platform/paths';
import { applyHostAlways } from '../policy/host-always';
import { trustForTests } from '../workspace/trust-testing';
import type { HostAnswer, HostAsker, HostQuestion, HostRecord, RunOrigin } from './host-gate';
import { mapTestHosts } from './hosts-testing';
import { RunnerService } from './runner-service';
import { runnerSettingsFromConfig } from './settings-from-config';
import { withSettings, type RunnerSandboxSettings } from './settings';

// Integration tests: the real sandbox and its proxy, local HTTP servers reached by name.

let root: string;
let workspace: string;
let appPaths: AppPaths;
let service: RunnerService;
let unmap: () => void;
let server: Server;
let port: number;
const hits: string[] = [];
const events: RunnerEvent[] = [];
const records: HostRecord[] = [];
const base = withSettings({ killGraceMs: 300 });

function net(network: Partial<RunnerSandboxSettings['network']>): RunnerSandboxSettings {
  return withSettings(
    { network: { policy: 'allowlist_only', allowlist: [], denylist: [], ...network } },
    base,
  );
}

/** Fetch through the sandbox's proxy; `--noproxy ''` since NO_PROXY lists localhost. */
const curl = (host: string, p = port) =>
  `curl -sS -f -m 60 --retry 5 --retry-connrefused --retry-delay 1 --noproxy '' http://${host}:${p}/; echo " curl=$?"`;

/** An asker a test answers by hand. */
function handAsker() {
  const asked: { question: HostQuestion; answer: (a: HostAnswer) => void }[] = [];
  const waiters: (() => void)[] = [];
  const asker: HostAsker = {
    ask: (question) =>
      new Promise((resolve) => {
        asked.push({ question, answer: resolve });
        for (const w of waiters.splice(0)) w();
      }),
  };
  const next = async (n: number) => {
    while (asked.length < n) await new Promise<void>((r) => waiters.push(r));
    return asked[n - 1]!;
  };
  return { asker, asked, next };
}

const origin = (asker: HostAsker | null): RunOrigin => ({ sessionId: null, asker, grants: null });

async function run(command: string, settings: RunnerSandboxSettings, asker: HostAsker | null) {
  const runId = await service.start({
    request: { command },
    workspace,
    settings,
    origin: origin(asker),
  });
  return { runId, done: service.wait(runId) };
}

function listen(body: string): Promise<{ server: Server; port: number }> {
  const s = createServer((req, res) => {
    hits.push(`${req.headers.host ?? '?'} ${body}`);
    res.end(body);
  });
  return new Promise((resolve) =>
    s.listen(0, '127.0.0.1', () => resolve({ server: s, port: (s.address() as AddressInfo).port })),
  );
}

beforeAll(async () => {
  // Before the runtime starts: its proxy resolves *.vt.localhost to this machine.
  unmap = mapTestHosts('.vt.localhost');
  root = await mkdtemp(join(tmpdir(), 'net-ask-'));
  workspace = join(root, 'workspace');
  await mkdir(workspace, { recursive: true });
  appPaths = resolveAppPaths(
    { VTCODE_DESKTOP_HOME: join(root, 'app') },
    'linux',
    join(root, 'home'),
  );
  service = new RunnerService({
    appPaths,
    hostEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' },
    network: { onRecord: (r) => records.push(r) },
  });
  service.subscribe((e) => events.push(e));
  ({ server, port } = await listen('SERVER-BODY'));
});

afterAll(async () => {
  await service.dispose();
  server.close();
  unmap();
  await rm(root, { recursive: true, force: true });
});

beforeEach(() => {
  hits.length = 0;
  events.length = 0;
  records.length = 0;
});

describe('hosts no rule covers, with the real sandbox', () => {
  it('asks about an unknown host; the command gets through only after Allow', async () => {
    const { asker, next } = handAsker();
    const { done } = await run(curl('api.vt.localhost'), net({}), asker);
    const q = await next(1);
    expect(q.question).toMatchObject({ host: 'api.vt.localhost', port, canSession: false });
    expect(q.question.runs.map((r) => r.command)).toEqual([curl('api.vt.localhost')]);
    // The connection waits for the answer: nothing reached the server yet.
    await new Promise((r) => setTimeout(r, 300));
    expect(hits).toEqual([]);
    q.answer({ kind: 'once' });
    const result = await done;
    expect(result.text).toContain('SERVER-BODY curl=0');
    expect(hits).toEqual([`api.vt.localhost:${port} SERVER-BODY`]);
    expect(records.map((r) => [r.host, r.decision, r.by, r.answer])).toEqual([
      ['api.vt.localhost', 'allow', 'user', 'once'],
    ]);
  });

  it('Deny blocks the connection', async () => {
    const { asker, next } = handAsker();
    const { done } = await run(curl('denied.vt.localhost'), net({}), asker);
    (await next(1)).answer({ kind: 'deny' });
    const result = await done;
    expect(result.text).not.toContain('SERVER-BODY');
    expect(result.text).toMatch(/curl=[1-9]/);
    expect(hits).toEqual([]);
  });

  it('Always writes the allow-list entry (comments kept), and the next run needs no question', async () => {
    const env = { VTCODE_DESKTOP_HOME: join(root, 'app'), HOME: join(root, 'home') };
    const userFile = join(appPaths.configDir, 'vtcode.toml');
    await mkdir(appPaths.configDir, { recursive: true });
    const before = '# my network\n[sandbox.network]\npolicy = "allowlist_only" # ask the rest\n';
    await writeFile(userFile, before);
    trustForTests(env, workspace);
    const store = await createConfigStore(configFiles({ workspace, env }));
    try {
      const { asker, asked, next } = handAsker();
      const settings = runnerSettingsFromConfig(store.current());
      const { done } = await run(curl('always.vt.localhost'), settings, asker);
      const q = await next(1);
      const { note } = await applyHostAlways(store, 'user', q.question.host, q.question.port);
      q.answer({ kind: 'always', note });
      expect((await done).text).toContain('SERVER-BODY curl=0');
      const text = await readFile(userFile, 'utf8');
      expect(text.startsWith(before)).toBe(true);
      expect(text).toContain(
        `[[sandbox.network.allowlist]]\ndomain = "always.vt.localhost"\nport = ${port}\n`,
      );
      const again = await run(
        curl('always.vt.localhost'),
        runnerSettingsFromConfig(store.current()),
        asker,
      );
      expect((await again.done).text).toContain('SERVER-BODY curl=0');
      expect(asked).toHaveLength(1);
    } finally {
      store.close();
    }
  });

  it('a denylist entry wins over an allow-list wildcard, and nothing is asked', async () => {
    const { asker, asked } = handAsker();
    const settings = net({
      allowlist: [{ domain: '*.vt.localhost' }],
      denylist: [{ domain: 'blocked.vt.localhost', port }],
    });
    const ok = await run(curl('open.vt.localhost'), settings, asker);
    expect((await ok.done).text).toContain('SERVER-BODY curl=0');
    const blocked = await run(curl('blocked.vt.localhost'), settings, asker);
    const result = await blocked.done;
    expect(result.text).toMatch(/curl=[1-9]/);
    expect(result.text).toContain('blocked.vt.localhost');
    expect(hits).toEqual([`open.vt.localhost:${port} SERVER-BODY`]);
    expect(asked).toHaveLength(0);
  });

  it('block_all never asks', async () => {
    const { asker, asked } = handAsker();
    const { done } = await run(curl('api.vt.localhost'), net({ policy: 'block_all' }), asker);
    expect((await done).text).toMatch(/curl=[1-9]/);
    expect(asked).toHaveLength(0);
    expect(hits).toEqual([]);
  });

  it('a run that cannot ask is denied, and the host is reported', async () => {
    const { done } = await run(curl('headless.vt.localhost'), net({}), null);
    const result = await done;
    expect(result.text).toMatch(/curl=[1-9]/);
    expect(result.text).toContain(
      `[sandbox] blocked: deny network-outbound headless.vt.localhost:${port} (not on the [sandbox.network] allowlist, and this run cannot ask)`,
    );
    expect(records.map((r) => [r.host, r.decision, r.by])).toEqual([
      ['headless.vt.localhost', 'deny', 'headless'],
    ]);
  });

  it('runs with different allow-lists both complete: the second waits (cancellable), then runs', async () => {
    const other = await listen('OTHER-BODY');
    try {
      const first = net({ allowlist: [{ domain: 'one.vt.localhost', port }] });
      const second = net({ allowlist: [{ domain: 'two.vt.localhost', port: other.port }] });
      const a = await run(`sleep 1.5; ${curl('one.vt.localhost')}`, first, null);
      const b = await run(curl('two.vt.localhost', other.port), second, null);
      const c = await run('echo never', second, null);
      const status = service.status(b.runId);
      expect(status?.state).toBe('queued');
      expect(status?.state === 'queued' && status.reason).toContain('sleep 1.5');
      expect(events.some((e) => e.type === 'queued' && e.summary.runId === b.runId)).toBe(true);
      expect(service.cancel(c.runId)).toBe(true);
      expect((await c.done).exit).toMatchObject({ outcome: 'cancelled' });
      const [ra, rb] = await Promise.all([a.done, b.done]);
      expect(ra.text).toContain('SERVER-BODY curl=0');
      expect(rb.text).toContain('OTHER-BODY curl=0');
      expect(events.filter((e) => e.type === 'started').map((e) => e.summary.runId)).toEqual([
        a.runId,
        b.runId,
      ]);
    } finally {
      other.server.close();
    }
  });
});
