import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedProvider, type ScriptedProvider } from '../agent/testing/scripted-provider';
import { testServerBlock } from './testing/manager-fixture';

/* `exec` starts the workspace's MCP servers before its first request and offers their tools. */

let root: string;
let sp: ScriptedProvider;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mcp-exec-'));
  await mkdir(join(root, 'ws'));
  await mkdir(join(root, 'app', 'config'), { recursive: true });
  await writeFile(
    join(root, 'app', 'config', 'vtcode.toml'),
    `[mcp]\nenabled = true\n\n${testServerBlock('t')}`,
  );
  sp = await startScriptedProvider({ responses: [] });
});
afterAll(async () => {
  await sp.close();
  await rm(root, { recursive: true, force: true });
});

async function exec(...flags: string[]): Promise<{ code: number | null; err: string }> {
  sp.setFixture({
    responses: [
      {
        kind: 'stream',
        parts: [{ type: 'tool_call', name: 'mcp__t__echo', arguments: { text: 'hi' } }],
      },
      { kind: 'stream', parts: [{ type: 'text', text: 'Done.' }] },
    ],
  });
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'main/cli/index.ts',
      'exec',
      '--workspace',
      join(root, 'ws'),
      '--provider',
      'openai',
      '--model',
      'm',
      '--base-url',
      sp.url,
      ...flags,
      'go',
    ],
    {
      env: {
        PATH: process.env.PATH,
        HOME: join(root, 'home'),
        VTCODE_DESKTOP_HOME: join(root, 'app'),
        OPENAI_API_KEY: 'sk-mcp-exec-test-0123456789abcdef',
        VTCODE_DESKTOP_KEYCHAIN_SERVICE: 'vtcode-desktop-test-mcp-exec',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  return { code, err };
}

describe('exec with an MCP server', () => {
  it('offers its tools; --yes approves a call that asks, and the result reaches the model', async () => {
    const { code, err } = await exec('--yes');
    expect(code, err).toBe(0);
    expect(JSON.stringify(sp.requests[0]?.body)).toContain('mcp__t__echo');
    expect(JSON.stringify(sp.requests[1]?.body)).toContain('echo: hi');
  }, 60_000);

  it('without --yes a call that asks is denied, and the model is told', async () => {
    const { code, err } = await exec();
    expect(code, err).toBe(0);
    const last = JSON.stringify(sp.requests.at(-1)?.body);
    expect(last).toMatch(/Not run: this call needs the user's approval \(mcp__t__echo asks first/);
    expect(last).not.toContain('echo: hi');
  }, 60_000);
});
