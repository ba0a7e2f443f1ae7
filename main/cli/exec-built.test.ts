import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedProvider } from '../agent/testing/scripted-provider';

/*
 * The built CLI as a user runs it (`npm test` builds before the unit tests): an `exec` with tool
 * steps against the scripted provider sends each request with the key and the SDK's user agent,
 * and never loads undici (Node's fetch), which would cost about 25 ms and 12 MiB at start.
 */

const CLI = resolve(import.meta.dirname, '..', '..', 'out', 'main', 'cli.js');
let root = '';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'exec-built-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe.skipIf(!existsSync(CLI))('the built exec', () => {
  it('runs tool steps over the providers’ own fetch and never loads undici', async () => {
    const ws = join(root, 'ws');
    const home = join(root, 'home');
    await mkdir(ws, { recursive: true });
    await mkdir(home, { recursive: true });
    await writeFile(join(ws, 'a.txt'), 'alpha\n');
    const hook = join(root, 'report.mjs');
    await writeFile(
      hook,
      "process.on('exit', () => process._rawDebug('UNDICI ' + process.moduleLoadList.some((m) => m.includes('undici'))));\n",
    );
    const sp = await startScriptedProvider({
      responses: [
        {
          kind: 'stream',
          parts: [{ type: 'tool_call', name: 'read_file', arguments: { path: 'a.txt' } }],
        },
        {
          kind: 'stream',
          parts: [{ type: 'tool_call', name: 'list_files', arguments: { path: '.' } }],
        },
        { kind: 'stream', parts: [{ type: 'text', text: 'Read it all.' }] },
      ],
    });
    try {
      const child = spawn(
        process.execPath,
        [
          '--import',
          hook,
          CLI,
          'exec',
          '--workspace',
          ws,
          '--provider',
          'openai',
          '--base-url',
          sp.url,
          '--model',
          'm',
          'Read a.txt.',
        ],
        {
          cwd: ws,
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            HOME: home,
            XDG_CONFIG_HOME: join(home, '.config'),
            XDG_DATA_HOME: join(home, '.local', 'share'),
            OPENAI_API_KEY: 'sk-built-0123456789abcdef',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((r) => child.once('exit', r));
      expect(code, err).toBe(0);
      expect(out).toContain('Read it all.');
      expect(err).toContain('[tool] read_file ok');
      expect(err).toContain('UNDICI false');
      const chat = sp.requests.filter((q) => q.body !== null);
      expect(chat).toHaveLength(3);
      for (const q of chat) {
        expect(q.headers.authorization).toBe('Bearer sk-built-0123456789abcdef');
        expect(String(q.headers['user-agent'])).toMatch(
          /^ai-sdk.openai\/[\d.]+ .*ai-sdk.provider-utils\/[\d.]+ /,
        );
        expect(q.headers['content-type']).toBe('application/json');
      }
      // The tool's result went back to the model.
      expect(JSON.stringify(chat[1]!.body)).toContain('alpha');
    } finally {
      await sp.close();
    }
  });
});
