import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapTestHosts } from '../../runner/hosts-testing';
import type { CliIo } from '../command';
import { createRunCommand } from './run';

// `vtcode-desktop run` with the real sandbox: a host nobody can be asked about is refused, with
// the setting that would allow it on stderr.

let root: string;
let server: Server;
let port: number;
let hits = 0;
let unmap: () => void;

beforeAll(async () => {
  unmap = mapTestHosts('.vt.localhost');
  root = await mkdtemp(join(tmpdir(), 'run-net-'));
  await mkdir(join(root, 'ws'), { recursive: true });
  server = createServer((_req, res) => {
    hits++;
    res.end('SERVER-BODY');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.close();
  unmap();
  await rm(root, { recursive: true, force: true });
});

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const cli: CliIo = {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: { PATH: process.env.PATH, VTCODE_DESKTOP_HOME: join(root, 'app') },
  };
  return { cli, out: () => out, err: () => err };
}

describe('vtcode-desktop run and the network', () => {
  it('denies a host no rule allows and names the allow-list entry and file that would allow it', async () => {
    const config = join(root, 'net.toml');
    await writeFile(
      config,
      `[commands]\nallow_list = ["curl"]\n[sandbox.network]\npolicy = "allowlist_only"\nallowlist = [{ domain = "ok.vt.localhost", port = ${port} }]\n`,
    );
    const curl = (host: string) =>
      `curl -sS -f -m 20 --retry 5 --retry-connrefused --retry-delay 1 --noproxy '' http://${host}:${port}/`;
    const t = io();
    const cmd = createRunCommand();
    const args = (command: string) => [
      '--workspace',
      join(root, 'ws'),
      '--config',
      config,
      '--',
      command,
    ];
    expect(
      await cmd.run(args(`${curl('ok.vt.localhost')}; ${curl('nope.vt.localhost')}`), t.cli),
    ).not.toBe(0);
    await new Promise((r) => setTimeout(r, 20));
    expect(t.out()).toContain('SERVER-BODY');
    expect(hits).toBe(1);
    const lines = t
      .err()
      .split('\n')
      .filter((l) => l.includes('network: blocked'));
    expect(lines).toEqual([
      `vtcode-desktop run: network: blocked nope.vt.localhost:${port}: not on the [sandbox.network] allowlist; a headless run cannot ask; to allow it, add [[sandbox.network.allowlist]] domain = "nope.vt.localhost", port = ${port} to ${config}`,
    ]);
  });
});
