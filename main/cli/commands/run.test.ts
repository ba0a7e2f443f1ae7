import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError, type CliIo } from '../command';
import { EXIT_REFUSED, createRunCommand, type PolicyGate } from './run';

let root: string;

function io(): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return {
    io: {
      stdout,
      stderr,
      stdin: new PassThrough(),
      env: {
        PATH: process.env.PATH,
        VTCODE_DESKTOP_HOME: join(root, 'app'),
        OPENAI_API_KEY: 'sk-cli-secret',
      },
    },
    out: () => out,
    err: () => err,
  };
}

// PassThrough delivers on a later tick: let it before reading what a command wrote.
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

const gate =
  (verdict: Awaited<ReturnType<PolicyGate>>): PolicyGate =>
  () =>
    Promise.resolve(verdict);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'run-cli-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('vtcode-desktop run', () => {
  it('runs the command in the sandbox, streams its output and returns its exit code', async () => {
    const t = io();
    const code = await createRunCommand(gate({ decision: 'allow' })).run(
      [
        '--workspace',
        root,
        '--',
        'echo "key=${OPENAI_API_KEY:-none}"; touch /etc/cli-escape; exit 3',
      ],
      t.io,
    );
    expect(code).toBe(3);
    await settle();
    expect(t.out()).toContain('key=none');
    expect(t.out()).toContain('[sandbox] blocked');
    expect(existsSync('/etc/cli-escape')).toBe(false);
  });

  it('refuses a command the policy would ask about unless --yes is given', async () => {
    const marker = join(root, 'prompted.txt');
    const writable = join(root, 'writable.toml');
    await writeFile(writable, '[sandbox]\ndefault_policy = "workspace_write"\n');
    const ask = createRunCommand(gate({ decision: 'prompt', reason: 'no rule allows it' }));
    const args = (...extra: string[]): string[] => [
      '--workspace',
      root,
      '--config',
      writable,
      ...extra,
      '--',
      `touch '${marker}'`,
    ];
    const refused = io();
    expect(await ask.run(args(), refused.io)).toBe(EXIT_REFUSED);
    await settle();
    expect(refused.err()).toContain('no rule allows it');
    expect(existsSync(marker)).toBe(false);
    const approved = io();
    expect(await ask.run(args('--yes'), approved.io)).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });

  it('refuses a denied command even with --yes', async () => {
    const t = io();
    const deny = createRunCommand(
      gate({ decision: 'deny', reason: 'rm -rf / is on the deny list' }),
    );
    expect(await deny.run(['--workspace', root, '--yes', '--', 'rm -rf /'], t.io)).toBe(
      EXIT_REFUSED,
    );
    await settle();
    expect(t.err()).toContain('refused by policy: rm -rf / is on the deny list');
  });

  it('applies --config and reports a bad one', async () => {
    const good = join(root, 'ro.toml');
    await writeFile(good, '[sandbox]\ndefault_policy = "read_only"\n');
    const t = io();
    const cmd = createRunCommand(gate({ decision: 'allow' }));
    expect(
      await cmd.run(['--workspace', root, '--config', good, '--', 'touch ro.txt'], t.io),
    ).not.toBe(0);
    expect(existsSync(join(root, 'ro.txt'))).toBe(false);
    const bad = join(root, 'bad.toml');
    await writeFile(bad, '[sandbox]\ndefault_policy = 7\n');
    const b = io();
    expect(await cmd.run(['--workspace', root, '--config', bad, '--', 'true'], b.io)).toBe(2);
    await settle();
    expect(b.err()).toContain('invalid config');
  });

  it('asks the real policy engine: allow-listed runs, unlisted needs --yes, denied never', async () => {
    const config = join(root, 'policy.toml');
    await writeFile(config, '[commands]\nallow_list = ["echo"]\ndeny_list = ["rm -rf /"]\n');
    const cmd = createRunCommand();
    const allowed = io();
    expect(
      await cmd.run(['--workspace', root, '--config', config, '--', 'echo via-policy'], allowed.io),
    ).toBe(0);
    await settle();
    expect(allowed.out()).toContain('via-policy');
    const asked = io();
    expect(await cmd.run(['--workspace', root, '--config', config, '--', 'ls'], asked.io)).toBe(
      EXIT_REFUSED,
    );
    await settle();
    expect(asked.err()).toContain('--yes');
    const denied = io();
    expect(
      await cmd.run(
        ['--workspace', root, '--config', config, '--yes', '--', 'rm -rf /'],
        denied.io,
      ),
    ).toBe(EXIT_REFUSED);
    await settle();
    expect(denied.err()).toContain('refused by policy');
  });

  it('exits 126 with the reason for a workspace that does not exist', async () => {
    const t = io();
    const cmd = createRunCommand(gate({ decision: 'allow' }));
    expect(await cmd.run(['--workspace', join(root, 'nope'), '--', 'true'], t.io)).toBe(
      EXIT_REFUSED,
    );
    await settle();
    expect(t.err()).toContain('does not exist');
  });

  it.each([[['--', 'true']], [['--workspace', '/tmp']], [['--workspace', '/tmp', '--', '  ']]])(
    'is a usage error: %j',
    async (args) => {
      await expect(
        createRunCommand(gate({ decision: 'allow' })).run(args, io().io),
      ).rejects.toThrow(UsageError);
    },
  );
});
