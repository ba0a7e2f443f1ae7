import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunnerEvent } from '../../shared/domain/runner';
import { createCredentials, type Credentials } from '../credentials/credentials';
import { memoryKeychain } from '../credentials/memory-keychain';
import { REDACTED } from '../credentials/redact';
import { tokenBindingsPath } from '../credentials/token-bindings';
import { resolveAppPaths, type AppPaths } from '../platform/paths';
import { runProcesses } from './process-tree';
import { RunnerService } from './runner-service';
import { SandboxBackend, SandboxConflictError } from './sandbox';
import { withSettings, type RunnerSandboxSettings } from './settings';

/*
 * Tokens commands use but never see, against the real sandbox and real HTTP servers on loopback:
 * `bound` (127.0.0.1) is the host the token is bound to, `other` (127.0.0.2) any other allowed
 * host. Plain HTTP needs the runtime's `allowPlaintextInject`, which only tests turn on; HTTPS
 * (TLS termination) has its own suite in token-tls.test.ts.
 */

const TOKEN = 'ghp_realTokenNeverSeen0123456789abcdefWXYZ';

interface Seen {
  readonly authorization: string | undefined;
  readonly body: string;
}

interface EchoServer {
  readonly server: Server;
  readonly port: number;
  readonly seen: Seen[];
}

/** Records what it is sent and echoes the Authorization header back, as some servers do. */
function echoServer(host: string): Promise<EchoServer> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const authorization = req.headers.authorization;
      seen.push({ authorization, body });
      res.end(`you sent: ${authorization ?? 'nothing'}\n`);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, host, () =>
      resolve({ server, port: (server.address() as AddressInfo).port, seen }),
    ),
  );
}

let root: string;
let workspace: string;
let appPaths: AppPaths;
let credentials: Credentials;
let service: RunnerService;
let bound: EchoServer;
let other: EchoServer;
let net: RunnerSandboxSettings;
const events: RunnerEvent[] = [];

const curl = (url: string, header = 'Authorization: Bearer $GH_TOKEN'): string =>
  `curl -sS -m 5 --retry 5 --retry-connrefused --retry-delay 1 --noproxy '' -H "${header}" ${url}; echo " curl=$?"`;

async function run(command: string, settings = net, ws = workspace) {
  const runId = await service.start({ request: { command }, workspace: ws, settings });
  return service.wait(runId);
}

/** What the renderer would have been sent for every run so far. */
const streamed = (): string =>
  events
    .filter((e) => e.type === 'output')
    .map((e) => (e.type === 'output' ? e.event.data : ''))
    .join('');

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'token-sandbox-'));
  workspace = join(root, 'workspace');
  await mkdir(workspace, { recursive: true });
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', VTCODE_DESKTOP_HOME: join(root, 'app') };
  appPaths = resolveAppPaths(env, 'linux', join(root, 'home'));
  await mkdir(appPaths.dataDir, { recursive: true });
  credentials = createCredentials({ env, backend: memoryKeychain() });
  bound = await echoServer('127.0.0.1');
  other = await echoServer('127.0.0.2');
  net = withSettings({
    killGraceMs: 500,
    network: {
      policy: 'allowlist_only',
      allowlist: [
        { domain: '127.0.0.1', port: bound.port },
        { domain: '127.0.0.2', port: other.port },
      ],
    },
  });
  service = new RunnerService({
    appPaths,
    hostEnv: env,
    backend: new SandboxBackend(undefined, { allowPlaintextInject: true }),
    tokens: credentials.tokens,
    outputRedactor: credentials.redactor.outputRedactor,
  });
  service.subscribe((e) => events.push(e));
});

afterAll(async () => {
  await service.dispose();
  bound.server.close();
  other.server.close();
  await rm(root, { recursive: true, force: true });
});

beforeEach(async () => {
  events.length = 0;
  bound.seen.length = 0;
  other.seen.length = 0;
  await credentials.tokens.set({
    name: 'github',
    envVar: 'GH_TOKEN',
    hosts: ['127.0.0.1'],
    value: TOKEN,
  });
});

describe('a token bound to a host, with the real sandbox', () => {
  it('shows commands only a placeholder: env, /proc/self/environ and every process in the sandbox', async () => {
    // base64, so the output redactor cannot hide a leak from this test.
    const result = await run(
      'env | base64 -w0; echo; base64 -w0 /proc/self/environ; echo; ' +
        'cat /proc/[0-9]*/environ 2>/dev/null | base64 -w0; echo',
    );
    const [env = '', environ = '', all = ''] = result.text
      .trim()
      .split(/\r?\n/)
      .map((line) => Buffer.from(line.trim(), 'base64').toString('utf8'));
    for (const text of [env, environ, all]) {
      expect(text).toMatch(/GH_TOKEN=fake_value_[0-9a-f-]{36}/);
      expect(text).not.toContain(TOKEN);
    }
  });

  it('holds no token in the environment or arguments of the run on the host either', async () => {
    const id = await service.start({
      request: { command: 'sleep 2' },
      workspace,
      settings: net,
    });
    const status = service.status(id);
    const pid = status?.state === 'running' ? status.pid : 0;
    await new Promise((r) => setTimeout(r, 400));
    const tree = runProcesses(pid);
    expect(tree.length).toBeGreaterThan(1);
    for (const p of tree) {
      for (const file of ['environ', 'cmdline']) {
        let text: string;
        try {
          text = readFileSync(`/proc/${p.pid}/${file}`, 'latin1');
        } catch {
          continue; // the process ended meanwhile
        }
        expect(text).not.toContain(TOKEN);
      }
    }
    await service.wait(id);
    expect(JSON.stringify(process.env)).not.toContain(TOKEN);
  });

  it('sends the real token to the bound host and the placeholder to any other', async () => {
    const toBound = await run(curl(`http://127.0.0.1:${bound.port}/`));
    const toOther = await run(curl(`http://127.0.0.2:${other.port}/`));
    expect(bound.seen.map((s) => s.authorization)).toEqual([`Bearer ${TOKEN}`]);
    expect(other.seen).toHaveLength(1);
    expect(other.seen[0]?.authorization).toMatch(/^Bearer fake_value_[0-9a-f-]{36}/);
    expect(other.seen[0]?.authorization).not.toContain(TOKEN);
    expect(toOther.text).toMatch(/you sent: Bearer fake_value_/);
    // The bound host echoed the token: what the command printed is redacted, live and at the end.
    expect(toBound.text).toContain(`you sent: Bearer ${REDACTED}`);
    expect(toBound.text).not.toContain(TOKEN);
    expect(streamed()).not.toContain(TOKEN);
  });

  it('swaps the placeholder in request bodies for the bound host too', async () => {
    await run(
      `curl -sS -m 5 --retry 5 --retry-connrefused --noproxy '' --data "token=$GH_TOKEN" http://127.0.0.1:${bound.port}/`,
    );
    expect(bound.seen[0]?.body).toBe(`token=${TOKEN}`);
  });

  it('does not open the network: a bound host the allow-list leaves out is not reached', async () => {
    const onlyOther = withSettings(
      {
        network: {
          policy: 'allowlist_only',
          allowlist: [{ domain: '127.0.0.2', port: other.port }],
        },
      },
      net,
    );
    const result = await run(curl(`http://127.0.0.1:${bound.port}/`), onlyOther);
    expect(result.text).toContain('blocked by network allowlist');
    expect(bound.seen).toHaveLength(0);
  });

  it('takes a replaced or added token at once, without waiting for a running command', async () => {
    const long = await service.start({ request: { command: 'sleep 3' }, workspace, settings: net });
    try {
      await credentials.tokens.set({
        name: 'github',
        envVar: 'GH_TOKEN',
        hosts: ['127.0.0.1'],
        value: `${TOKEN}-v2`,
      });
      await credentials.tokens.set({
        name: 'npm',
        envVar: 'NPM_TOKEN',
        hosts: ['127.0.0.2'],
        value: 'npm_secondTokenValue0123456789',
      });
      await run(curl(`http://127.0.0.1:${bound.port}/`));
      await run(curl(`http://127.0.0.2:${other.port}/`, 'Authorization: Bearer $NPM_TOKEN'));
      expect(bound.seen.map((s) => s.authorization)).toEqual([`Bearer ${TOKEN}-v2`]);
      expect(other.seen.map((s) => s.authorization)).toEqual([
        'Bearer npm_secondTokenValue0123456789',
      ]);
    } finally {
      service.cancel(long);
      await service.wait(long);
      await credentials.tokens.delete('npm');
    }
  });

  it('starts nothing new while a command that was given a since-deleted token runs', async () => {
    const long = await service.start({ request: { command: 'sleep 3' }, workspace, settings: net });
    await credentials.tokens.delete('github');
    await expect(run('true')).rejects.toThrow(SandboxConflictError);
    service.cancel(long);
    await service.wait(long);
    expect((await run('echo "[${GH_TOKEN-unset}]"')).text).toContain('[unset]');
  });

  it('after a delete, hands no token and no longer swaps the old placeholder', async () => {
    const before = await run('printf %s "$GH_TOKEN"');
    const placeholder = before.text.trim();
    expect(placeholder).toMatch(/^fake_value_/);
    await credentials.tokens.delete('github');
    const after = await run(
      `echo "[\${GH_TOKEN-unset}]"; ${curl(`http://127.0.0.1:${bound.port}/`, `Authorization: Bearer ${placeholder}`)}`,
    );
    expect(after.text).toContain('[unset]');
    expect(bound.seen.map((s) => s.authorization)).toEqual([`Bearer ${placeholder}`]);
  });

  it('cannot be rebound by a command: the bindings file is out of its reach', async () => {
    const file = tokenBindingsPath(appPaths.dataDir);
    const original = await readFile(file, 'utf8');
    // The widest case: the workspace holds the app's folders.
    const result = await run(
      `cat '${file}'; echo '{"version":1,"tokens":{}}' > '${file}'; echo " rc=$?"`,
      net,
      root,
    );
    expect(result.text).not.toContain('GH_TOKEN');
    expect(await readFile(file, 'utf8')).toBe(original);
  });

  it('ignores a workspace that tries to bind a token', async () => {
    const ws = join(root, 'hostile');
    await mkdir(join(ws, '.vtcode'), { recursive: true });
    const binding = JSON.stringify({
      version: 1,
      tokens: { evil: { envVar: 'EVIL_TOKEN', hosts: ['127.0.0.2'], savedAt: 'x' } },
    });
    await writeFile(join(ws, 'token-bindings.json'), binding);
    await writeFile(join(ws, '.vtcode', 'token-bindings.json'), binding);
    await writeFile(
      join(ws, 'vtcode.toml'),
      '[[tokens]]\nname = "github"\nenv_var = "EVIL_TOKEN"\nhosts = ["127.0.0.2"]\n',
    );
    const result = await run(
      `echo "[\${EVIL_TOKEN-unset}]"; ${curl(`http://127.0.0.2:${other.port}/`)}`,
      net,
      ws,
    );
    expect(result.text).toContain('[unset]');
    expect(other.seen.map((s) => s.authorization)).not.toContain(`Bearer ${TOKEN}`);
    const list = await credentials.tokens.list();
    expect(list.tokens.map((t) => t.name)).toEqual(['github']);
  });
});
