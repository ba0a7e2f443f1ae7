import { describe, expect, it } from 'vitest';
import { readLayer } from './layer';
import { allowlistProblem, mcpSettings, parseProviders, requirementProblem } from './mcp-settings';

const user = (text: string) => readLayer(text, { layer: 'user', file: '/u/vtcode.toml' });
const workspace = (text: string) => readLayer(text, { layer: 'workspace', file: '/w/vtcode.toml' });

describe('[[mcp.providers]]', () => {
  it.each([
    [[{ name: 'a' }], /either command .* or url/],
    [[{ name: 'a', command: 'x', url: 'http://h/' }], /either command/],
    [[{ name: 'a__b', command: 'x' }], /never "__"/],
    [[{ name: 'a_', command: 'x' }], /cannot end with "_"/],
    [[{ name: '', command: 'x' }], /name/],
    [[{ name: 'a', command: '' }], /program/],
    [[{ name: 'a', command: 'x', args: 'y' }], /args must be an array/],
    [[{ name: 'a', command: 'x', args: ['\0'] }], /args must be an array/],
    [[{ name: 'a', command: 'x', env: { 'BAD-NAME': 'v' } }], /env.BAD-NAME/],
    [[{ name: 'a', command: 'x', env: { A: 1 } }], /env.A/],
    [[{ name: 'a', url: 'ftp://h/' }], /http:\/\/ or https/],
    [[{ name: 'a', url: 'https://u:p@h/' }], /credentials/],
    [[{ name: 'a', url: 'not a url' }], /not a URL/],
    [[{ name: 'a', command: 'x', network: 'yes' }], /network must be true or false/],
    [[{ name: 'a', command: 'x', surprise: 1 }], /unknown key "surprise"/],
    [
      [
        { name: 'a', command: 'x' },
        { name: 'a', command: 'y' },
      ],
      /two servers are named "a"/,
    ],
    ['x', /array of tables/],
    [['x'], /must be a table/],
  ])('refuses %j', (raw, message) => {
    const r = parseProviders(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it('reads VT Code flat keys and the older transport table', () => {
    const r = parseProviders([
      { name: 'a', command: 'npx', args: ['srv'], env: { A: '1' }, cwd: 'tools' },
      { name: 'b', transport: { type: 'stdio', command: 'uvx', args: ['x'] } },
      { name: 'c', url: 'https://mcp.example.com/mcp', enabled: false },
    ]);
    expect(r.ok && r.value).toEqual([
      expect.objectContaining({
        name: 'a',
        command: 'npx',
        args: ['srv'],
        env: { A: '1' },
        cwd: 'tools',
        network: false,
        writable: [],
      }),
      expect.objectContaining({ name: 'b', command: 'uvx', args: ['x'] }),
      expect.objectContaining({ name: 'c', url: 'https://mcp.example.com/mcp', enabled: false }),
    ]);
  });

  it('an invalid entry is a config error with its key', () => {
    const layer = user('[[mcp.providers]]\nname = "x"\n');
    expect(layer.valid).toBe(false);
    expect(layer.issues[0]).toMatchObject({ key: 'mcp.providers' });
  });
});

describe('mcpSettings across files', () => {
  const server = (name: string, command: string) =>
    `[[mcp.providers]]\nname = "${name}"\ncommand = "${command}"\n`;

  it('tags each server with its file; a workspace cannot redefine a user server', () => {
    const s = mcpSettings([
      user(server('gh', 'github-mcp')),
      workspace(server('gh', 'evil') + server('repo', 'repo-mcp')),
    ]);
    expect(s.providers.map((p) => [p.name, p.command, p.source.layer])).toEqual([
      ['gh', 'github-mcp', 'user'],
      ['repo', 'repo-mcp', 'workspace'],
    ]);
    expect(s.issues.join('\n')).toMatch(/"gh" ignored/);
  });

  it('a workspace may turn MCP off but not on, and only tighten validation', () => {
    expect(
      mcpSettings([user('[mcp]\nenabled = false\n'), workspace('[mcp]\nenabled = true\n')]).enabled,
    ).toBe(false);
    expect(mcpSettings([user(''), workspace('[mcp]\nenabled = false\n')]).enabled).toBe(false);
    const v = mcpSettings([
      user(
        '[mcp.security.validation]\nmax_argument_size = 1000\npath_traversal_protection = false\n',
      ),
      workspace(
        '[mcp.security.validation]\nmax_argument_size = 5000000\npath_traversal_protection = true\n',
      ),
    ]).validation;
    expect(v).toEqual({ maxArgumentSize: 1000, pathTraversalProtection: true });
    const loose = mcpSettings([
      user(''),
      workspace('[mcp.security.validation]\npath_traversal_protection = false\n'),
    ]).validation;
    expect(loose.pathTraversalProtection).toBe(true);
  });

  it('reads [mcp.requirements] from the user file only, matching commands exactly', () => {
    const s = mcpSettings([
      user(
        '[mcp.requirements]\nenforce = true\nallowed_stdio_commands = ["npx"]\nallowed_http_endpoints = ["https://mcp.example.com/*"]\n',
      ),
      workspace('[mcp.requirements]\nenforce = false\n'),
    ]);
    expect(s.requirements.enforce).toBe(true);
    const p = (command: string | null, url: string | null) => ({
      name: 'x',
      command,
      url,
      args: [],
      env: {},
      headers: {},
      cwd: null,
      enabled: true,
      network: false,
      writable: [],
      source: { layer: 'user' as const, file: null },
    });
    expect(requirementProblem(s, p('npx', null))).toBeNull();
    expect(requirementProblem(s, p('/tmp/evil/npx', null))).toMatch(/allowed_stdio_commands/);
    expect(requirementProblem(s, p(null, 'https://mcp.example.com/a'))).toBeNull();
    expect(requirementProblem(s, p(null, 'https://evil.example/a'))).toMatch(
      /allowed_http_endpoints/,
    );
  });

  it.each([
    // A prefix entry matches the endpoint's own origin, never a host that only starts the same.
    ['https://mcp.example.com*', 'https://mcp.example.com/mcp', true],
    ['https://mcp.example.com*', 'https://mcp.example.com.evil.test/mcp', false],
    ['https://mcp.example.com*', 'https://mcp.example.com:8443/mcp', false],
    ['https://mcp.example.com/v1*', 'https://mcp.example.com/v1/mcp', true],
    ['https://mcp.example.com/v1*', 'https://mcp.example.com/v2/mcp', false],
    ['https://mcp.example.com/*', 'https://mcp.example.com/x/../../mcp', true],
    ['https://mcp.example.com/mcp', 'https://mcp.example.com/mcp', true],
  ])('allowed_http_endpoints %s lets %s start: %s', (entry, url, allowed) => {
    const s = mcpSettings([
      user(
        `[mcp.requirements]\nenforce = true\nallowed_http_endpoints = [${JSON.stringify(entry)}]\n`,
      ),
    ]);
    const p = {
      name: 'x',
      command: null,
      url,
      args: [],
      env: {},
      headers: {},
      cwd: null,
      enabled: true,
      network: false,
      writable: [],
      source: { layer: 'workspace' as const, file: '/w/vtcode.toml' },
    };
    expect(requirementProblem(s, p) === null).toBe(allowed);
  });
});

describe('VT Code compatibility', () => {
  it('reads endpoint, working_directory and headers, and refuses headers the app sets', () => {
    const r = parseProviders([
      {
        name: 'h',
        endpoint: 'https://mcp.example.com/mcp',
        headers: { 'X-Team': 'core' },
        protocol_version: '2024-11-05',
      },
      { name: 's', command: 'srv', working_directory: 'tools' },
    ]);
    expect(r.ok && r.value).toEqual([
      expect.objectContaining({
        url: 'https://mcp.example.com/mcp',
        headers: { 'X-Team': 'core' },
      }),
      expect.objectContaining({ cwd: 'tools', headers: {} }),
    ]);
    for (const headers of [
      { Host: 'x' },
      { 'Proxy-Authorization': 'x' },
      { 'X-A': 'a\nb' },
      { 'bad name': 'x' },
    ])
      expect(parseProviders([{ name: 'h', url: 'https://h/', headers }]).ok).toBe(false);
    expect(parseProviders([{ name: 's', command: 'x', headers: { 'X-A': 'a' } }]).ok).toBe(false);
  });

  it('[mcp.allowlist] with enforce offers only the tools a pattern lists, per server or by default', () => {
    const s = mcpSettings([
      user(
        '[mcp.allowlist]\nenforce = true\n[mcp.allowlist.default]\ntools = ["get_*"]\n[mcp.allowlist.providers.docs]\ntools = ["search", "read_?"]\n',
      ),
      workspace('[mcp.allowlist]\nenforce = false\n'),
    ]);
    expect(allowlistProblem(s, 'time', 'get_now')).toBeNull();
    expect(allowlistProblem(s, 'time', 'set_now')).toMatch(/no tools pattern/);
    expect(allowlistProblem(s, 'docs', 'search')).toBeNull();
    expect(allowlistProblem(s, 'docs', 'read_x')).toBeNull();
    expect(allowlistProblem(s, 'docs', 'read_xy')).toMatch(/providers.docs/);
    expect(allowlistProblem(s, 'docs', 'get_now')).toMatch(/providers.docs/);
    expect(s.issues.join()).toMatch(/\[mcp.allowlist\] is read from the user's file only/);
    const off = mcpSettings([user('[mcp.allowlist.default]\ntools = []\n')]);
    expect(allowlistProblem(off, 'x', 'anything')).toBeNull();
  });
});
