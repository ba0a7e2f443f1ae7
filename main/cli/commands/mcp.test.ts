import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredentials } from '../../credentials/credentials';
import { memoryKeychain } from '../../credentials/memory-keychain';
import { testServerBlock } from '../../mcp/testing/manager-fixture';
import { UsageError } from '../command';
import { createMcpCommand } from './mcp';

let root: string;
const command = createMcpCommand({
  createCredentials: (io) => createCredentials({ env: io.env, backend: memoryKeychain() }),
});

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mcp-cli-'));
  await mkdir(join(root, 'ws'));
  await mkdir(join(root, 'app', 'config'), { recursive: true });
  await writeFile(
    join(root, 'app', 'config', 'vtcode.toml'),
    `[mcp]\nenabled = true\n\n[tools.policies]\nmcp__t__echo = "allow"\n\n${testServerBlock('t')}\n[[mcp.providers]]\nname = "gone"\ncommand = "/nonexistent/mcp-server"\n`,
  );
  await writeFile(join(root, 'ws', 'vtcode.toml'), testServerBlock('repo'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await command.run(args, {
    stdin: Readable.from([]),
    stdout: new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) }),
    stderr: new Writable({ write: (c: Buffer, _e, cb) => ((err += c.toString()), cb()) }),
    env: {
      PATH: process.env.PATH,
      HOME: join(root, 'home'),
      VTCODE_DESKTOP_HOME: join(root, 'app'),
    },
  });
  return { code, out, err };
}

describe('vtcode-desktop mcp list', () => {
  it('starts the servers and lists each with its tools and decisions, or why it did not start', async () => {
    const { code, out } = await cli(['list', '--workspace', join(root, 'ws')]);
    expect(out).toMatch(/^t \(stdio, user file .*\): running$/m);
    expect(out).toMatch(/^ {4}mcp__t__echo +allow +Repeat the text back\.$/m);
    expect(out).toMatch(/^ {4}mcp__t__add +ask +Add two numbers\.$/m);
    expect(out).toMatch(/^gone \(stdio, .*\): error$/m);
    expect(out).toMatch(/^repo \(stdio, workspace file .*\): untrusted$/m);
    expect(code).toBe(1);
  }, 60_000);

  it('prints JSON with --json, and refuses unknown subcommands and options', async () => {
    const { out } = await cli(['list', '--workspace', join(root, 'ws'), '--json']);
    const list = JSON.parse(out) as { servers: { name: string; status: string }[] };
    expect(list.servers.map((s) => s.name)).toEqual(['t', 'gone', 'repo']);
    await expect(cli(['lists'])).rejects.toThrow(UsageError);
    await expect(cli(['list', '--bogus'])).rejects.toThrow(UsageError);
  }, 60_000);
});
