import { execFile, spawn } from 'node:child_process';
import { createServer as createHttpServer, type Server } from 'node:http';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import {
  createServer as createNetServer,
  type AddressInfo,
  type Server as NetServer,
} from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeysCommand } from './keys';

/*
 * The `keys` command, spawned the way users run it. The keyring round trip needs a Secret Service:
 *   dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run main/credentials main/cli/commands/keys.test.ts'
 * The tests without a keychain run everywhere: they point D-Bus at a socket that does not exist
 * or that never answers.
 */
const HAS_BUS = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);
if (!HAS_BUS) {
  console.warn(
    'SKIPPED `keys` keyring round trip: DBUS_SESSION_BUS_ADDRESS is unset (no D-Bus session bus).',
  );
}

const ROOT = resolve(import.meta.dirname, '../../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const SERVICE = `vtcode-desktop-test-cli-${process.pid}-${Date.now()}`;
const execFileAsync = promisify(execFile);

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

let home: string;

function cli(
  args: string[],
  options: { stdin?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Result> {
  const started = Date.now();
  return new Promise((resolveRun, reject) => {
    const child = spawn(TSX, [join(ROOT, 'main/cli/index.ts'), 'keys', ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        VTCODE_DESKTOP_HOME: join(home, 'app'),
        XDG_CONFIG_HOME: join(home, '.config'),
        VTCODE_DESKTOP_KEYCHAIN_SERVICE: SERVICE,
        ...(process.env.DBUS_SESSION_BUS_ADDRESS
          ? { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS }
          : {}),
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolveRun({ code, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && (await readFile(join(entry.parentPath, entry.name))).includes(needle)) {
      hits.push(join(entry.parentPath, entry.name));
    }
  }
  return hits;
}

async function keyringAccounts(): Promise<string[]> {
  const { stdout, stderr } = await execFileAsync('secret-tool', [
    'search',
    '--all',
    'service',
    SERVICE,
  ]);
  return [...`${stdout}\n${stderr}`.matchAll(/attribute\.account = (.+)/g)].map((m) =>
    (m[1] ?? '').trim(),
  );
}

let provider: Server;
let providerUrl: string;
const GOOD_KEY = 'sk-proj-cli0123456789abcdefGOOD';

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'vtcode-keys-cli-'));
  provider = createHttpServer((req, res) => {
    const ok = req.headers.authorization === `Bearer ${GOOD_KEY}`;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(ok ? '{"data":[]}' : '{"error":{"message":"Incorrect API key provided"}}');
  });
  await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
  providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise((r) => provider.close(r));
  if (HAS_BUS) {
    for (const account of await keyringAccounts()) {
      await execFileAsync('secret-tool', ['clear', 'service', SERVICE, 'account', account]);
    }
  }
  await rm(home, { recursive: true, force: true });
});

describe('keys without a Secret Service', () => {
  const noBus = () => ({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, 'no-such-bus')}` });

  it('set says exactly that no keychain is available and how to fix it, and stores nothing', async () => {
    const key = 'sk-proj-nobus0123456789abcdefNOBU';
    const result = await cli(['set', 'openai'], { stdin: key, env: noBus() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /Could not store the key: No keychain is available: there is no Secret Service on the D-Bus session bus/,
    );
    expect(result.stderr).toMatch(
      /Fix: Install and start a Secret Service provider: .*gnome-keyring libsecret-1-0/,
    );
    expect(result.stdout).toBe('');
    expect(`${result.stdout}${result.stderr}`).not.toContain(key);
    expect(await filesContaining(home, key)).toEqual([]);
    if (HAS_BUS) expect(await keyringAccounts()).not.toContain('openai');
  });

  it('list still answers, flagging the keychain and showing environment keys masked', async () => {
    const envKey = 'AIzaSyEnv-0123456789abcdefghijklmnEnvG';
    const result = await cli(['list'], { env: { ...noBus(), GEMINI_API_KEY: envKey } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Keychain: NOT available\. No keychain is available/);
    expect(result.stdout).toMatch(/gemini +from environment \(GEMINI_API_KEY\) +…EnvG/);
    expect(result.stdout).not.toContain(envKey);
  });

  it('a bus that accepts but never answers is caught before keytar, with a clear message', async () => {
    const socket = join(home, 'silent-bus');
    const silent: NetServer = createNetServer((connection) =>
      connection.on('data', () => undefined),
    );
    await new Promise<void>((r) => silent.listen(socket, r));
    try {
      const key = 'sk-proj-hang0123456789abcdefHANG';
      const result = await cli(['set', 'openai'], {
        stdin: key,
        env: {
          DBUS_SESSION_BUS_ADDRESS: `unix:path=${socket}`,
          VTCODE_DESKTOP_KEYCHAIN_TIMEOUT_MS: '1000',
        },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /accepted a connection but did not answer within 1s, so the keychain cannot be reached/,
      );
      expect(result.stderr).toMatch(
        /Fix: Check that DBUS_SESSION_BUS_ADDRESS points at a live session bus/,
      );
      expect(result.stderr).not.toContain(key);
      expect(result.ms).toBeLessThan(15_000);
    } finally {
      silent.close();
    }
  });

  it('a Secret Service that hangs after the handshake times out and the CLI still ends', async () => {
    // Speaks just enough of the D-Bus auth protocol for libsecret to connect, then goes silent.
    const socket = join(home, 'mute-bus');
    const mute: NetServer = createNetServer((connection) => {
      let buffer = '';
      connection.on('data', (data: Buffer) => {
        buffer += data.toString('latin1').replaceAll('\0', '');
        let end: number;
        while ((end = buffer.indexOf('\r\n')) !== -1) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (line === 'AUTH EXTERNAL') connection.write('DATA\r\n');
          else if (line.startsWith('AUTH EXTERNAL ') || line.startsWith('DATA')) {
            connection.write(`OK ${'0'.repeat(32)}\r\n`);
          } else if (line.startsWith('AUTH')) connection.write('REJECTED EXTERNAL\r\n');
          else if (line === 'NEGOTIATE_UNIX_FD') connection.write('AGREE_UNIX_FD\r\n');
        }
      });
    });
    await new Promise<void>((r) => mute.listen(socket, r));
    try {
      const result = await cli(['set', 'openai'], {
        stdin: 'sk-proj-mute0123456789abcdefMUTE',
        env: {
          DBUS_SESSION_BUS_ADDRESS: `unix:path=${socket}`,
          VTCODE_DESKTOP_KEYCHAIN_TIMEOUT_MS: '1000',
        },
      });
      expect(result.stderr).toMatch(/The keychain did not answer within 1s \(read\)/);
      expect(result.stderr).toMatch(/Fix: Unlock your keyring/);
      expect(result.stderr).toMatch(/still stuck; exiting forcibly/);
      expect(result.code).not.toBe(0);
      expect(result.ms).toBeLessThan(15_000);
    } finally {
      mute.close();
    }
  });

  it('test uses the environment key against the provider: accepted, rejected, unreachable', async () => {
    const ok = await cli(['test', 'openai', '--base-url', providerUrl], {
      env: { ...noBus(), OPENAI_API_KEY: GOOD_KEY },
    });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^OK \(ok\): OpenAI accepted the key\. \[key from environment\]/);

    const bad = await cli(['test', 'openai', '--base-url', providerUrl], {
      env: { ...noBus(), OPENAI_API_KEY: 'sk-proj-wrong0123456789abcdef' },
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/FAILED \(rejected\): OpenAI rejected the key \(HTTP 401\)/);
    expect(bad.stderr).not.toContain('wrong0123456789');

    const down = await cli(['test', 'openai', '--base-url', 'http://127.0.0.1:9/v1'], {
      env: { ...noBus(), OPENAI_API_KEY: GOOD_KEY },
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(
      /FAILED \(unreachable\): Could not reach OpenAI at http:\/\/127\.0\.0\.1:9/,
    );

    const none = await cli(['test', 'openai', '--base-url', providerUrl], { env: noBus() });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /FAILED \(no-key\): No key for OpenAI: none is stored and OPENAI_API_KEY is not set \(the keychain could not be read/,
    );
  });
});

describe.skipIf(!HAS_BUS)('keys on a real gnome-keyring', () => {
  it('set (stdin), list (masked), replace, test and delete', async () => {
    const first = 'sk-ant-api03-cli0123456789abcdefAAAA';
    const second = 'sk-ant-api03-cli0123456789abcdefBBBB';
    const set = await cli(['set', 'anthropic'], { stdin: `${first}\n` });
    expect(set).toMatchObject({
      code: 0,
      stdout:
        'Stored the anthropic key in the OS keychain (…AAAA), for https://api.anthropic.com/v1 only.\n',
    });
    expect(
      (await execFileAsync('secret-tool', ['lookup', 'service', SERVICE, 'account', 'anthropic']))
        .stdout,
    ).toBe(first);

    const replace = await cli(['set', 'anthropic'], { stdin: second });
    expect(replace.stdout).toBe(
      'Replaced the anthropic key in the OS keychain (…BBBB), for https://api.anthropic.com/v1 only.\n',
    );

    const list = await cli(['list', '--json']);
    expect(list.code).toBe(0);
    const parsed = JSON.parse(list.stdout) as {
      providers: Array<{ provider: string; status: string; hint: string }>;
    };
    expect(parsed.providers.find((p) => p.provider === 'anthropic')).toMatchObject({
      status: 'stored',
      hint: '…BBBB',
    });

    await cli(['set', 'openai'], { stdin: GOOD_KEY });
    const tested = await cli(['test', 'openai', '--base-url', providerUrl]);
    expect(tested.stdout).toMatch(/OK \(ok\): OpenAI accepted the key\. \[key from keychain\]/);

    const deleted = await cli(['delete', 'anthropic']);
    expect(deleted.stdout).toBe('Deleted the anthropic key from the keychain.\n');
    expect(await keyringAccounts()).not.toContain('anthropic');
    await cli(['delete', 'openai']);

    for (const r of [set, replace, list, tested, deleted]) {
      for (const key of [first, second, GOOD_KEY])
        expect(`${r.stdout}${r.stderr}`).not.toContain(key);
    }
    for (const key of [first, second, GOOD_KEY])
      expect(await filesContaining(home, key)).toEqual([]);
  });
});

describe.skipIf(!HAS_BUS)('keys set --base-url on a real gnome-keyring', () => {
  it('binds the key to that URL, says so, and list shows where it is sent', async () => {
    const set = await cli(['set', 'openai', '--base-url', `${providerUrl}/`], { stdin: GOOD_KEY });
    expect(set.stdout).toBe(
      `Stored the openai key in the OS keychain (…GOOD), for ${providerUrl} only.\n`,
    );
    const list = JSON.parse((await cli(['list', '--json'])).stdout) as {
      providers: Array<{ provider: string; baseUrl: string | null }>;
    };
    expect(list.providers.find((p) => p.provider === 'openai')?.baseUrl).toBe(providerUrl);
    const record = JSON.parse(
      await readFile(join(home, 'app', 'data', 'key-bindings.json'), 'utf8'),
    ) as { keys: Record<string, { baseUrl: string }> };
    expect(record.keys.openai?.baseUrl).toBe(providerUrl);
    const bad = await cli(['set', 'openai', '--base-url', 'ftp://x.test'], { stdin: GOOD_KEY });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/The base URL must be an http:\/\/ or https:\/\/ address/);
    await cli(['delete', 'openai']);
    expect(await filesContaining(home, GOOD_KEY)).toEqual([]);
  });
});

describe('keys input handling (in process)', () => {
  function io(stdin: string) {
    let out = '';
    let err = '';
    return {
      io: {
        stdin: Readable.from([stdin]),
        stdout: new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) }),
        stderr: new Writable({ write: (c: Buffer, _e, cb) => ((err += c.toString()), cb()) }),
        env: { VTCODE_DESKTOP_KEYCHAIN_SERVICE: SERVICE },
      },
      output: () => ({ out, err }),
    };
  }
  const command = createKeysCommand();

  it('refuses an empty stdin with a clear message', async () => {
    const t = io('');
    expect(await command.run(['set', 'openai'], t.io)).toBe(2);
    expect(t.output().err).toMatch(
      /No key on stdin \(it was empty\); nothing was stored\. Pipe the key in: printf %s/,
    );
  });

  it('refuses a key on the command line without echoing it', async () => {
    const t = io('');
    await expect(
      command.run(['set', 'openai', 'sk-proj-argv0123456789abcdef'], t.io),
    ).rejects.toThrow(/key is read from stdin, never from the command line/);
    await expect(
      command.run(['set', 'openai', '--key=sk-proj-argv0123456789abcdef'], t.io),
    ).rejects.toThrow(/^Unrecognised option; options are --base-url and --json\.$/);
  });

  it.each([
    [['frobnicate'], /Unknown keys action "frobnicate"/],
    [['set'], /keys set needs a PROVIDER/],
    [['list', 'openai'], /Too many arguments for keys list/],
    [
      ['delete', 'openai', '--base-url', 'http://127.0.0.1'],
      /--base-url applies to keys test and keys set only/,
    ],
    [[], /Say what to do/],
  ])('%j is a usage error', async (args, message) => {
    await expect(command.run(args, io('').io)).rejects.toThrow(message);
  });

  it('reports an unknown provider and a bad key without storing or printing them', async () => {
    const t = io('sk-proj-abc 0123456789abcdef');
    expect(await command.run(['set', 'mistral'], t.io)).toBe(1);
    expect(t.output().err).toMatch(/Unknown provider "mistral"/);
    const u = io('sk-proj-abc 0123456789abcdef');
    expect(await command.run(['set', 'openai'], u.io)).toBe(1);
    expect(u.output().err).toMatch(/whitespace character \(U\+0020\) at position 12/);
    expect(u.output().err).not.toContain('0123456789abcdef');
  });
});
