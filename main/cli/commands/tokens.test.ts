import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenList } from '../../../shared/domain/tokens';
import { createCredentials } from '../../credentials/credentials';
import type { KeychainBackend } from '../../credentials/keychain';
import { memoryKeychain } from '../../credentials/memory-keychain';
import { createTokensCommand } from './tokens';

const TOKEN = 'ghp_cliTokenFromStdin0123456789abcdefUVWX';

let home: string;
let keychain: KeychainBackend;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'tokens-cli-'));
  keychain = memoryKeychain();
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

const command = createTokensCommand({
  createCredentials: (io) => createCredentials({ env: io.env, backend: keychain }),
});

async function cli(args: string[], stdin = '') {
  let out = '';
  let err = '';
  const code = await command.run(args, {
    stdin: Readable.from([stdin]),
    stdout: new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) }),
    stderr: new Writable({ write: (c: Buffer, _e, cb) => ((err += c.toString()), cb()) }),
    env: { HOME: home, VTCODE_DESKTOP_HOME: join(home, 'app') },
  });
  return { code, out, err };
}

async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path, 'utf8')).includes(needle)) hits.push(path);
  }
  return hits;
}

describe('vtcode-desktop tokens', () => {
  it('sets a token from stdin, lists it masked, deletes it', async () => {
    const set = await cli(
      [
        'set',
        'github',
        '--env',
        'GH_TOKEN',
        '--host',
        'api.github.com',
        '--host',
        'uploads.github.com',
      ],
      `${TOKEN}\n`,
    );
    expect(set).toEqual({
      code: 0,
      out: 'Stored the github token (…UVWX). Sandboxed commands see a placeholder in $GH_TOKEN; it is sent to api.github.com, uploads.github.com only.\n',
      err: '',
    });
    const list = await cli(['list']);
    expect(list.out).toMatch(
      /^NAME\s+VARIABLE\s+TOKEN\s+SENT ONLY TO\ngithub\s+GH_TOKEN\s+…UVWX\s+api\.github\.com, uploads\.github\.com\n$/,
    );
    const json = JSON.parse((await cli(['list', '--json'])).out) as TokenList;
    expect(json.tokens[0]).toMatchObject({ name: 'github', envVar: 'GH_TOKEN', hint: '…UVWX' });
    for (const r of [set, list]) expect(r.out + r.err).not.toContain(TOKEN);
    // The binding is in the app's data folder, and holds no secret.
    expect(await filesContaining(home, 'uploads.github.com')).toEqual([
      join(home, 'app', 'data', 'token-bindings.json'),
    ]);
    expect(await filesContaining(home, TOKEN)).toEqual([]);
    expect(await cli(['delete', 'github'])).toMatchObject({
      code: 0,
      out: 'Deleted the github token.\n',
    });
    expect((await cli(['list'])).out).toContain('No tokens.');
  });

  it('never takes a token from the command line, and never echoes one', async () => {
    await expect(
      cli(['set', 'github', TOKEN, '--env', 'GH_TOKEN', '--host', 'api.github.com']),
    ).rejects.toThrow(/read from stdin, never from the command line/);
    const error = await cli(['set', 'github', `--value=${TOKEN}`]).catch((e: unknown) => e);
    expect(String(error)).toMatch(/Unrecognised option; options are --env, --host/);
    expect(String(error)).not.toContain(TOKEN);
  });

  it.each<[string[], RegExp]>([
    [['frobnicate'], /Unknown tokens action "frobnicate"/],
    [['set'], /tokens set needs a NAME/],
    [['set', 'github', '--host', 'api.github.com'], /needs --env VAR/],
    [['set', 'github', '--env', 'GH_TOKEN'], /needs --host HOST/],
    [['list', 'github'], /Too many arguments for tokens list/],
    [['delete', 'github', '--host', 'x.example.com'], /apply to tokens set only/],
    [[], /Say what to do/],
  ])('usage mistakes: %j', async (args, message) => {
    await expect(cli(args, TOKEN)).rejects.toThrow(message);
  });

  it.each<[string[], RegExp]>([
    [['set', 'GitHub', '--env', 'GH_TOKEN', '--host', 'api.github.com'], /name: a token name is/],
    [
      ['set', 'github', '--env', 'PATH', '--host', 'api.github.com'],
      /envVar: the sandbox or the shell uses/,
    ],
    [
      ['set', 'github', '--env', 'GH_TOKEN', '--host', 'https://api.github.com'],
      /hosts.0: a host is/,
    ],
    [['set', 'github', '--env', 'GH_TOKEN', '--host', '*'], /hosts.0: a host is/],
    [
      ['set', 'github', '--env', 'GH_TOKEN', '--host', 'api.github.com', '--test-path', 'x'],
      /testPath/,
    ],
  ])('refuses %j with exit 1 and a reason', async (args, message) => {
    const result = await cli(args, TOKEN);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(message);
    expect(result.err + result.out).not.toContain(TOKEN);
    expect(await keychain.findAll()).toEqual([]);
  });

  it('refuses an empty stdin', async () => {
    const result = await cli(
      ['set', 'github', '--env', 'GH_TOKEN', '--host', 'api.github.com'],
      '',
    );
    expect(result.code).toBe(2);
    expect(result.err).toContain('printf %s "$TOKEN" | vtcode-desktop tokens set github');
  });
});
