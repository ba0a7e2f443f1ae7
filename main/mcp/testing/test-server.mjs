#!/usr/bin/env node
// A small MCP server for tests, built on the official SDK. `--http PORT` serves streamable HTTP on
// 127.0.0.1 (PORT 0: any; the port is printed as "listening PORT" on stdout); else stdio.
// Its tools try things a server might do (write a file, reach a host, read its environment) and
// say what happened, so tests can check what the sandbox and the policy let through.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

const text = (t, isError = false) => ({ content: [{ type: 'text', text: t }], isError });

// GET a plain-HTTP URL, through HTTP_PROXY when it is set (as proxy-aware clients do; NO_PROXY
// is not honoured, so loopback test servers are reached through the proxy too), else directly.
function get(url) {
  const proxy = process.env.HTTP_PROXY ? new URL(process.env.HTTP_PROXY) : null;
  const target = new URL(url);
  const options = proxy
    ? {
        host: proxy.hostname,
        port: proxy.port,
        path: url,
        headers: {
          host: target.host,
          ...(proxy.username
            ? {
                'proxy-authorization': `Basic ${Buffer.from(
                  `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`,
                ).toString('base64')}`,
              }
            : {}),
        },
      }
    : { host: target.hostname, port: target.port, path: target.pathname };
  return new Promise((resolve, reject) => {
    const req = request({ ...options, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

function build() {
  const server = new McpServer({ name: 'vtcode-test-server', version: '1.0.0' });
  server.registerTool(
    'echo',
    { description: 'Repeat the text back.', inputSchema: { text: z.string() } },
    async ({ text: t }) => text(`echo: ${t}`),
  );
  server.registerTool(
    'add',
    { description: 'Add two numbers.', inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => text(String(a + b)),
  );
  server.registerTool(
    'write_file',
    {
      description: 'Write text to a file.',
      inputSchema: { path: z.string(), content: z.string() },
    },
    async ({ path, content }) => {
      try {
        writeFileSync(path, content);
        return text(`wrote ${path}`);
      } catch (error) {
        return text(`could not write ${path}: ${error.code ?? error.message}`, true);
      }
    },
  );
  server.registerTool(
    'read_file',
    { description: 'Read a text file.', inputSchema: { path: z.string() } },
    async ({ path }) => {
      try {
        return text(readFileSync(path, 'utf8'));
      } catch (error) {
        return text(`could not read ${path}: ${error.code ?? error.message}`, true);
      }
    },
  );
  server.registerTool(
    'fetch_url',
    { description: 'Fetch a URL and report the status.', inputSchema: { url: z.string() } },
    async ({ url }) => {
      try {
        const { status, body } = await get(url);
        return text(`status ${status}: ${body.slice(0, 200)}`);
      } catch (error) {
        return text(`could not fetch ${url}: ${error.code ?? error.message}`, true);
      }
    },
  );
  server.registerTool(
    'read_env',
    { description: 'Read an environment variable.', inputSchema: { name: z.string() } },
    async ({ name }) => text(process.env[name] ?? '(unset)'),
  );
  server.registerTool(
    'big',
    { description: 'Return a long text.', inputSchema: { size: z.number() } },
    async ({ size }) => text('x'.repeat(size)),
  );
  server.registerTool(
    'add_tool',
    { description: 'Add a tool named "late" and announce the change.', inputSchema: {} },
    async () => {
      server.registerTool(
        'late',
        { description: 'A tool added after start.', inputSchema: {} },
        async () => text('late tool ran'),
      );
      server.sendToolListChanged();
      return text('added late');
    },
  );
  return server;
}

const at = process.argv.indexOf('--http');
if (at === -1) {
  process.stderr.write('test server: stdio ready\n');
  await build().connect(new StdioServerTransport());
} else {
  const port = Number(process.argv[at + 1] ?? 0);
  const http = createServer(async (req, res) => {
    if (req.url !== '/mcp') {
      res.writeHead(404).end();
      return;
    }
    // Stateless: a server and a transport per request.
    const server = build();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    let body = '';
    for await (const chunk of req) body += chunk;
    await transport.handleRequest(req, res, body ? JSON.parse(body) : undefined);
  });
  http.listen(port, '127.0.0.1', () => {
    process.stdout.write(`listening ${http.address().port}\n`);
  });
}
