import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testToken } from '../core/token-test';
import { createCredentials, type Credentials } from '../credentials/credentials';
import { memoryKeychain } from '../credentials/memory-keychain';
import { resolveAppPaths } from '../platform/paths';
import { RunnerService } from './runner-service';
import { withSettings, type RunnerSandboxSettings } from './settings';

/*
 * HTTPS: the proxy terminates TLS towards a host a token is bound to (minting its certificate
 * from the runtime's ephemeral CA, which the trust variables inside point at) and puts the token
 * in; every other host stays end-to-end. The servers use a test CA that this process (where the
 * proxy runs) trusts and the sandbox does not, so a connection the proxy did not terminate shows
 * as one the command must verify itself. No `allowPlaintextInject` here: the app's own setting.
 */

const TOKEN = 'ghp_tlsTokenNeverSeen0123456789abcdefQRST';

let root: string;
let workspace: string;
let caPath: string;
let credentials: Credentials;
let service: RunnerService;
let bound: { server: Server; port: number; seen: (string | undefined)[] };
let other: { server: Server; port: number; seen: (string | undefined)[] };
let plain: { server: HttpServer; port: number; seen: (string | undefined)[] };
let net: RunnerSandboxSettings;
const originalCAs = getCACertificates('default');

function openssl(cwd: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: 'ignore' });
}

/** A test CA and a certificate for 127.0.0.1 and 127.0.0.2 signed by it. */
async function certificates(dir: string): Promise<{ key: string; cert: string; ca: string }> {
  openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=token-test-ca',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  openssl(
    dir,
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    'leaf.key',
    '-out',
    'leaf.csr',
  );
  await writeFile(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,IP:127.0.0.2\n');
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
    '-out',
    'leaf.pem',
  );
  const read = (f: string) => readFile(join(dir, f), 'utf8');
  return { key: await read('leaf.key'), cert: await read('leaf.pem'), ca: await read('ca.pem') };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'token-tls-'));
  workspace = join(root, 'workspace');
  await mkdir(workspace, { recursive: true });
  const tls = await certificates(root);
  caPath = join(root, 'ca.pem');
  setDefaultCACertificates([...originalCAs, tls.ca]);
  const listen = <S extends Server | HttpServer>(server: S, host: string) =>
    new Promise<number>((resolve) =>
      server.listen(0, host, () => resolve((server.address() as AddressInfo).port)),
    );
  const https = (host: string) => {
    const seen: (string | undefined)[] = [];
    const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      seen.push(req.headers.authorization);
      res.statusCode = req.headers.authorization === `Bearer ${TOKEN}` ? 200 : 401;
      res.end('done\n');
    });
    return listen(server, host).then((port) => ({ server, port, seen }));
  };
  bound = await https('127.0.0.1');
  other = await https('127.0.0.2');
  const plainSeen: (string | undefined)[] = [];
  const plainServer = createHttpServer((req, res) => {
    plainSeen.push(req.headers.authorization);
    res.end('plain\n');
  });
  plain = { server: plainServer, port: await listen(plainServer, '127.0.0.1'), seen: plainSeen };
  net = withSettings({
    killGraceMs: 500,
    network: {
      policy: 'allowlist_only',
      allowlist: [
        { domain: '127.0.0.1', port: bound.port },
        { domain: '127.0.0.1', port: plain.port },
        { domain: '127.0.0.2', port: other.port },
      ],
    },
  });
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', VTCODE_DESKTOP_HOME: join(root, 'app') };
  const appPaths = resolveAppPaths(env, 'linux', join(root, 'home'));
  credentials = createCredentials({ env, backend: memoryKeychain() });
  service = new RunnerService({
    appPaths,
    hostEnv: env,
    tokens: credentials.tokens,
    outputRedactor: credentials.redactor.outputRedactor,
  });
  await credentials.tokens.set({
    name: 'github',
    envVar: 'GH_TOKEN',
    hosts: ['127.0.0.1'],
    value: TOKEN,
    testPath: '/user',
  });
}, 60_000);

afterAll(async () => {
  await service.dispose();
  for (const s of [bound.server, other.server, plain.server]) s.close();
  setDefaultCACertificates(originalCAs);
  await rm(root, { recursive: true, force: true });
});

async function run(command: string, settings = net) {
  const id = await service.start({ request: { command }, workspace, settings });
  return service.wait(id);
}

const curl = (url: string, extra = '') =>
  `curl -sS -m 10 --retry 5 --retry-connrefused --retry-delay 1 --noproxy '' ${extra} -o /dev/null -w 'status=%{http_code}\\n' -H "Authorization: Bearer $GH_TOKEN" ${url}; echo "curl=$?"`;

describe('a token over HTTPS, with the real sandbox', () => {
  it('terminates TLS to the bound host with a certificate tools inside trust, and puts the token in', async () => {
    const result = await run(curl(`https://127.0.0.1:${bound.port}/`));
    expect(result.text).toContain('status=200');
    expect(bound.seen.at(-1)).toBe(`Bearer ${TOKEN}`);
  });

  it('points the usual trust variables inside at the bundle with the proxy CA', async () => {
    const result = await run(
      'for v in SSL_CERT_FILE CURL_CA_BUNDLE NODE_EXTRA_CA_CERTS GIT_SSL_CAINFO REQUESTS_CA_BUNDLE; do eval "f=\\${$v:-}"; [ -r "$f" ] && echo "$v ok"; done',
    );
    for (const v of [
      'SSL_CERT_FILE',
      'CURL_CA_BUNDLE',
      'NODE_EXTRA_CA_CERTS',
      'GIT_SSL_CAINFO',
      'REQUESTS_CA_BUNDLE',
    ]) {
      expect(result.text).toContain(`${v} ok`);
    }
  });

  it('leaves every other host end-to-end: the command verifies it and it gets the placeholder', async () => {
    // The sandbox does not trust the test CA: only a connection the proxy terminated would verify.
    const unverified = await run(curl(`https://127.0.0.2:${other.port}/`));
    expect(unverified.text).toMatch(/curl=60|SSL certificate problem/);
    const verified = await run(curl(`https://127.0.0.2:${other.port}/`, `--cacert '${caPath}'`));
    expect(verified.text).toContain('status=401');
    expect(other.seen.at(-1)).toMatch(/^Bearer fake_value_/);
  });

  it('never puts the token into plain HTTP, even to the bound host', async () => {
    await run(curl(`http://127.0.0.1:${plain.port}/`));
    expect(plain.seen.at(-1)).toMatch(/^Bearer fake_value_/);
  });
});

describe('Test in Settings', () => {
  const test = (settings: RunnerSandboxSettings, ws: string | null = workspace) =>
    testToken({
      name: 'github',
      tokens: credentials.tokens,
      runner: service,
      workspace: ws,
      settings: () => Promise.resolve(settings),
      redact: credentials.redactor.redact,
      urlFor: (host, path) => `https://${host}:${bound.port}${path}`,
    });

  it('makes one request as a command would and reports the status, never the token', async () => {
    const before = bound.seen.length;
    const ok = await test(net);
    expect(ok).toEqual({
      name: 'github',
      outcome: 'ok',
      message: expect.stringContaining('HTTP 200') as string,
      httpStatus: 200,
      url: `https://127.0.0.1:${bound.port}/user`,
    });
    expect(bound.seen.slice(before)).toEqual([`Bearer ${TOKEN}`]);
    expect(JSON.stringify(ok)).not.toContain(TOKEN);
  });

  it('says when the host refuses the token', async () => {
    await credentials.tokens.set({
      name: 'github',
      envVar: 'GH_TOKEN',
      hosts: ['127.0.0.1'],
      value: `${TOKEN}-wrong`,
      testPath: '/user',
    });
    try {
      expect(await test(net)).toMatchObject({ outcome: 'rejected', httpStatus: 401 });
    } finally {
      await credentials.tokens.set({
        name: 'github',
        envVar: 'GH_TOKEN',
        hosts: ['127.0.0.1'],
        value: TOKEN,
        testPath: '/user',
      });
    }
  });

  it('says when the network policy does not let commands reach the host, and requests nothing', async () => {
    const before = bound.seen.length;
    const closed = withSettings({ network: { policy: 'block_all', allowlist: [] } }, net);
    const blocked = await test(closed);
    expect(blocked.outcome).toBe('blocked');
    expect(blocked.message).toContain('[[sandbox.network.allowlist]]');
    expect(bound.seen.length).toBe(before);
  });

  it('needs an open workspace and a stored token', async () => {
    expect((await test(net, null)).outcome).toBe('unavailable');
    const missing = await testToken({
      name: 'nope',
      tokens: credentials.tokens,
      runner: service,
      workspace,
      settings: () => Promise.resolve(net),
      redact: credentials.redactor.redact,
    });
    expect(missing.outcome).toBe('no-token');
  });
});
