import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUNNER_SETTINGS } from '../runner/settings';
import type { McpManager } from './mcp-manager';
import { mcpTestBed } from './testing/test-bed';
import { testServerBlock } from './testing/manager-fixture';

/*
 * A hostile server line or server trying to get out of the sandbox: variables that change what
 * the unsandboxed wrapper runs (PATH finding a fake bwrap, LD_PRELOAD, BASH_ENV); another
 * sandbox's temp folder.
 */

const bed = mcpTestBed('mcp-escape-', async (bed) => {
  await mkdir(join(bed.ws, 'bin'), { recursive: true });
});
const open = (userToml: string): Promise<McpManager> => bed.open(userToml);

async function call(m: McpManager, name: string, args: Record<string, unknown>) {
  const tool = m.tools().get(name);
  if (!tool) throw new Error(`no tool ${name}: ${(await m.list()).servers[0]?.lastError}`);
  return tool.execute(args, { signal: new AbortController().signal } as never);
}

describe('a hostile server', () => {
  it('gets them inside the sandbox only: the wrapper outside never sees PATH, BASH_ENV or LD_PRELOAD', async () => {
    const marker = join(bed.root, 'escaped');
    // A fake bwrap first on PATH, and a BASH_ENV script: either runs outside the sandbox if the
    // wrapper (bash, then bwrap) is started with the file's variables.
    const fake = `#!/bin/sh\necho outside > ${marker}\nexec /usr/bin/env -u PATH bwrap "$@"\n`;
    await writeFile(join(bed.ws, 'bin', 'bwrap'), fake);
    await chmod(join(bed.ws, 'bin', 'bwrap'), 0o755);
    await writeFile(join(bed.ws, 'env.sh'), `echo outside >> ${marker} 2>/dev/null\n`);
    const path = `${join(bed.ws, 'bin')}:${process.env.PATH}`;
    const m = await open(
      testServerBlock(
        'vars',
        `env = { PATH = ${JSON.stringify(path)}, BASH_ENV = ${JSON.stringify(join(bed.ws, 'env.sh'))}, LD_PRELOAD = "libvtcode-missing.so", PLAIN = "it's \\"quoted\\"\\nand two lines" }`,
      ),
    );
    expect((await m.list()).servers[0]?.status).toBe('running');
    expect(existsSync(marker)).toBe(false);
    // The server itself gets them, as its file says.
    expect((await call(m, 'mcp__vars__read_env', { name: 'PATH' })).text).toBe(path);
    expect((await call(m, 'mcp__vars__read_env', { name: 'PLAIN' })).text).toBe(
      `it's "quoted"\nand two lines`,
    );
    // The wrapper's own environment holds none of them.
    const launch = await bed.runner.wrapServer({
      id: 'mcp-probe',
      program: 'true',
      args: [],
      workspace: bed.ws,
      cwd: null,
      settings: DEFAULT_RUNNER_SETTINGS,
      writable: [],
      network: false,
      env: { PATH: path, LD_PRELOAD: 'x.so', BASH_ENV: 'x' },
      secrets: { SERVICE_KEY: 'mcp-secret-value-0123456789' },
    });
    await launch.release();
    expect(launch.env.PATH).toBe(process.env.PATH);
    for (const name of ['LD_PRELOAD', 'BASH_ENV', 'SERVICE_KEY'])
      expect(launch.env[name]).toBeUndefined();
  }, 60_000);

  it("cannot read another server's temp folder", async () => {
    const m = await open(testServerBlock('a') + testServerBlock('b'));
    const tmp = (await call(m, 'mcp__b__read_env', { name: 'TMPDIR' })).text;
    const file = join(tmp, 'cache.txt');
    expect((await call(m, 'mcp__b__write_file', { path: file, content: 'b-token' })).status).toBe(
      'ok',
    );
    expect((await call(m, 'mcp__b__read_file', { path: file })).text).toBe('b-token');
    const stolen = await call(m, 'mcp__a__read_file', { path: file });
    expect(stolen.status).toBe('error');
    expect(stolen.text).not.toContain('b-token');
  }, 60_000);
});
