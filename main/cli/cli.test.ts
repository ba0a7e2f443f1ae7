import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadCommands, runCli } from './cli';
import type { CliIo } from './command';

function io(): CliIo & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { stdout, stderr, stdin: new PassThrough(), env: {}, out: () => out, err: () => err };
}

describe('runCli (commands loaded on use)', () => {
  it('finds every command under its own name', async () => {
    const commands = await loadCommands();
    expect(commands.map((c) => c.name)).toEqual([
      'serve',
      'keys',
      'tokens',
      'policy',
      'mcp',
      'run',
      'exec',
      'trust',
      'untrust',
      'scripted-provider',
    ]);
    for (const command of commands) {
      const s = io();
      expect(await runCli([command.name, '--help'], s)).toBe(0);
      expect(s.out()).toBe(`${command.summary}\n\nUsage: ${command.usage}\n`);
    }
  });

  it('lists every command in the help', async () => {
    const s = io();
    expect(await runCli(['--help'], s)).toBe(0);
    for (const command of await loadCommands()) expect(s.out()).toContain(`  ${command.name} `);
  });

  it.each([['nope'], ['constructor'], ['__proto__'], ['toString']])(
    'refuses an unknown command %s with the help',
    async (name) => {
      const s = io();
      expect(await runCli([name], s)).toBe(2);
      expect(s.err()).toContain(`Unknown command: ${name}`);
      expect(s.err()).toContain('Commands:');
    },
  );

  it('prints a command usage mistake with exit code 2', async () => {
    const s = io();
    expect(await runCli(['exec', 'a prompt'], s)).toBe(2);
    expect(s.err()).toContain('--workspace DIR is required');
    expect(s.err()).toContain('Usage: vtcode-desktop exec');
  });
});
