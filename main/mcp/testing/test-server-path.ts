import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** The SDK-built MCP server tests run (stdio, or streamable HTTP with `--http PORT`). */
export const TEST_SERVER = resolve(__dirname, 'test-server.mjs');

/** The test server over streamable HTTP on 127.0.0.1 (outside any sandbox): its process and port. */
export async function startHttpTestServer(): Promise<{ process: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [TEST_SERVER, '--http', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((done, fail) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^listening (\d+)$/.exec(line);
      if (m) done(Number(m[1]));
    });
    child.on('exit', () => fail(new Error('the HTTP test server exited')));
  });
  return { process: child, port };
}

/** The misbehaving MCP server tests run (stdio; its first argument says how it misbehaves). */
export const HOSTILE_SERVER = resolve(__dirname, 'hostile-server.mjs');
