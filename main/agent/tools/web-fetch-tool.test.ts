import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeLayers } from '../../config/effective';
import { readLayer } from '../../config/layer';
import { createPolicyEngine, type PolicyEngine } from '../../policy/engine';
import { createShellParser } from '../../policy/shell-parser';
import { tempDir } from '../../policy/test-helpers';
import type { ToolContext } from './tool-types';
import { webFetchTool } from './web-fetch-tool';

/*
 * web_fetch under the host policy, against real local servers: what the network policy allows
 * is fetched; loopback, metadata and private addresses are refused unless the user allow-listed
 * that exact host; every redirect is decided again; a large body is cut with a marker.
 */

let server: Server;
let port = 0;
const hits: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/page') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<h1>Hello</h1><p>from the test server</p>');
    } else if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('y'.repeat(3 * 1024 * 1024));
    } else if (req.url?.startsWith('/to?')) {
      res.writeHead(302, { location: decodeURIComponent(req.url.slice(4)) });
      res.end();
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('missing');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function engine(toml: string): Promise<PolicyEngine> {
  const ws = tempDir('web-fetch-');
  const layer = readLayer(toml, { layer: 'user', file: join(ws, 'user.toml') });
  if (!layer.valid) throw new Error(layer.issues.map((i) => i.message).join('; '));
  return createPolicyEngine({
    config: mergeLayers([layer]),
    parser: await createShellParser(),
    workspace: ws,
    home: tempDir('web-home-'),
    appDirs: [],
  });
}

async function fetchWith(policy: PolicyEngine, url: string, approved = true) {
  const ctx = { policy, signal: new AbortController().signal, approved } as unknown as ToolContext;
  return webFetchTool.execute(webFetchTool.schema.parse({ url }), ctx);
}

const ALLOW_LOCAL = '[[sandbox.network.allowlist]]\ndomain = "127.0.0.1"\n';

describe('web_fetch', () => {
  it('fetches a host the user allow-listed by name, as text', async () => {
    const out = await fetchWith(await engine(ALLOW_LOCAL), `http://127.0.0.1:${port}/page`);
    expect(out.status).toBe('ok');
    expect(out.text).toContain('Hello');
    expect(out.text).not.toContain('<h1>');
  });

  it('refuses loopback, metadata and private addresses nobody allow-listed, before connecting', async () => {
    const policy = await engine('');
    const before = hits.length;
    for (const url of [
      `http://127.0.0.1:${port}/page`,
      `http://localhost:${port}/page`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.7/',
      'http://[::1]/',
    ]) {
      const out = await fetchWith(policy, url);
      expect(out.status, url).toBe('error');
      expect(out.text, url).toMatch(/^Not fetched: /);
    }
    expect(hits.length).toBe(before);
  });

  it('decides every redirect again: into a host nobody allowed, it stops there', async () => {
    const policy = await engine(ALLOW_LOCAL);
    const before = hits.length;
    const meta = encodeURIComponent('http://169.254.169.254/latest/meta-data/');
    const out = await fetchWith(policy, `http://127.0.0.1:${port}/to?${meta}`);
    expect(out.status).toBe('error');
    expect(hits.slice(before)).toEqual([`/to?${meta}`]);
    const other = encodeURIComponent(`http://127.0.0.2:${port}/page`);
    const again = await fetchWith(policy, `http://127.0.0.1:${port}/to?${other}`);
    expect(again.text).toMatch(/redirect led there/);
  });

  it('cuts a body over 2 MB and says so', async () => {
    const out = await fetchWith(await engine(ALLOW_LOCAL), `http://127.0.0.1:${port}/big`);
    expect(out.text).toMatch(/\[cut: the response was larger than 2097152 bytes\]$/);
  });

  it('the host decision is part of the call: denied hosts, blocked domains, whitelist, strict https', async () => {
    const table: [string, string, 'allow' | 'prompt' | 'deny'][] = [
      ['', 'https://example.com/', 'prompt'],
      ['[[sandbox.network.allowlist]]\ndomain = "example.com"\n', 'https://example.com/', 'allow'],
      [
        '[[sandbox.network.allowlist]]\ndomain = "*.example.com"\n[[sandbox.network.denylist]]\ndomain = "bad.example.com"\n',
        'https://bad.example.com/',
        'deny',
      ],
      ['[sandbox.network]\npolicy = "block_all"\n', 'https://example.com/', 'deny'],
      ['[tools.web_fetch]\nblocked_domains = ["example.com"]\n', 'https://a.example.com/', 'deny'],
      [
        '[tools.web_fetch]\nmode = "whitelist"\nallowed_domains = ["docs.rs"]\n',
        'https://example.com/',
        'deny',
      ],
      ['[tools.web_fetch]\nstrict_https_only = true\n', 'http://example.com/', 'deny'],
      [
        '[tools.web_fetch]\nblocked_patterns = ["\\\\.exe$"]\n',
        'https://example.com/x.exe',
        'deny',
      ],
      [
        '[permissions]\nallow = ["WebFetch(domain:example.com)"]\n',
        'https://example.com/',
        'allow',
      ],
      [
        '[permissions]\nallow = ["WebFetch(domain:example.com)"]\n[sandbox.network]\npolicy = "block_all"\n',
        'https://example.com/',
        'deny',
      ],
      ['', 'file:///etc/passwd', 'deny'],
    ];
    for (const [toml, url, want] of table) {
      const d = (await engine(toml)).decideUrl(url);
      expect(d.decision, `${toml} ${url}: ${d.reason}`).toBe(want);
    }
  });
});
