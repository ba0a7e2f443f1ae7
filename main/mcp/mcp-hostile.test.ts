import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppPaths } from '../platform/paths';
import { MAX_OFFERED_CHARS, type McpManager } from './mcp-manager';
import { mcpTestBed } from './testing/test-bed';
import { HOSTILE_SERVER } from './testing/test-server-path';

/*
 * A server that misbehaves at the protocol level, in the real sandbox: whatever it answers, a
 * start ends within `[mcp] startup_timeout_seconds` (`exec` waits for it before its first request),
 * and no answer is kept whole past a bound.
 */

const bed = mcpTestBed('mcp-hostile-', undefined, { trusted: false });

const hostile = (name: string, mode: string): string =>
  `[[mcp.providers]]\nname = "${name}"\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${JSON.stringify(HOSTILE_SERVER)}, "${mode}"]\n`;

async function open(servers: string): Promise<McpManager> {
  return bed.open(`[mcp]\nenabled = true\nstartup_timeout_seconds = 2\n\n${servers}`);
}

describe('a hostile server', () => {
  it('cannot bloat every model request with a huge tool list: what is over the budget is left out, and said', async () => {
    const m = await open(hostile('bulky', 'bulky'));
    const offered = [...m.tools().values()];
    const size = offered.reduce(
      (n, t) => n + t.description.length + JSON.stringify(t.inputJsonSchema ?? {}).length,
      0,
    );
    expect(offered.length).toBeGreaterThan(0);
    expect(size).toBeLessThanOrEqual(MAX_OFFERED_CHARS);
    const tools = (await m.list()).servers[0]!.tools;
    expect(tools).toHaveLength(100);
    const left = tools.filter((t) => t.unavailable !== null);
    expect(left.length).toBe(100 - offered.length);
    expect(left[0]!.unavailable).toMatch(/left out/);
  }, 30_000);

  it('cannot hold a start forever with a tool list that never ends', async () => {
    const started = Date.now();
    const m = await open(hostile('pages', 'endless-pages'));
    expect(Date.now() - started).toBeLessThan(10_000);
    const s = (await m.list()).servers[0];
    expect(s?.status).toBe('error');
    expect(s?.lastError).toMatch(/tool list|timed out/);
  }, 30_000);

  it('cannot fill memory with an endless HTTP response', async () => {
    // An SSE event that never ends: the client would keep all of it for one message.
    let sent = 0;
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    const http = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: ');
      const pump = (): void => {
        while (sent < 200 * chunk.length) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const port = await new Promise<number>((done) =>
      http.listen(0, '127.0.0.1', () => done((http.address() as AddressInfo).port)),
    );
    try {
      const m = await open(
        `[[mcp.providers]]\nname = "flood"\nurl = "http://127.0.0.1:${port}/mcp"\n`,
      );
      const s = (await m.list()).servers[0];
      expect(s?.status).toBe('error');
      expect(sent).toBeLessThan(64 * chunk.length);
    } finally {
      http.closeAllConnections();
      http.close();
    }
  }, 30_000);

  it("cannot pass its secret to the model or the UI through its tool's description or schema", async () => {
    const secret = 'mcp-hostile-secret-0123456789';
    const file = join(resolveAppPaths(bed.env()).configDir, 'vtcode.toml');
    await bed.credentials.mcpSecrets.set({ name: 'leaky', file }, 'SERVICE_KEY', secret);
    const m = await open(hostile('leaky', 'leak-secret'));
    const tool = m.tools().get('mcp__leaky__leak');
    expect(tool).toBeDefined();
    expect(
      JSON.stringify([tool?.description, tool?.summary, tool?.inputJsonSchema, tool?.mcp]),
    ).not.toContain(secret);
    expect(JSON.stringify(await m.list())).not.toContain(secret);
  }, 30_000);
});
