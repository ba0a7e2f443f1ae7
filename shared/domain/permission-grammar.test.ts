import { describe, expect, it } from 'vitest';
import {
  hostMatches,
  knownPermissionName,
  mcpToolName,
  parsePermissionRule,
  type PermissionRule,
} from './permission-grammar';
import { permissionInWords } from './permission-words';

const READ = ['read_file', 'list_files', 'code_search'];
const WRITE = ['write_file', 'edit_file', 'apply_patch'];

describe('[permissions] rule grammar', () => {
  it.each<[string, PermissionRule]>([
    ['exec_command', { kind: 'shell', pattern: null }],
    ['bash', { kind: 'shell', pattern: null }],
    ['Bash', { kind: 'shell', pattern: null }],
    ['exec_command(*)', { kind: 'shell', pattern: null }],
    ['exec_command(cargo check *)', { kind: 'shell', pattern: 'cargo check *' }],
    ['Bash(npm run test:*)', { kind: 'shell', pattern: 'npm run test:*' }],
    ['run_pty_cmd(git status)', { kind: 'shell', pattern: 'git status' }],
    ['exec_command( echo (a) )', { kind: 'shell', pattern: 'echo (a)' }],
    ['write_stdin', { kind: 'tools', group: null, tools: ['write_stdin'] }],
    ['send_pty_input', { kind: 'tools', group: null, tools: ['write_stdin'] }],
    ['web_search', { kind: 'tools', group: null, tools: ['web_search'] }],
    ['task_tracker', { kind: 'tools', group: null, tools: ['task_tracker'] }],
    ['code_search', { kind: 'tools', group: 'read', tools: READ }],
    ['read', { kind: 'tools', group: 'read', tools: READ }],
    ['READ', { kind: 'tools', group: 'read', tools: READ }],
    ['read(*)', { kind: 'tools', group: 'read', tools: READ }],
    ['write', { kind: 'tools', group: 'write', tools: WRITE }],
    ['edit', { kind: 'tools', group: 'write', tools: WRITE }],
    ['apply_patch', { kind: 'tools', group: 'write', tools: WRITE }],
    ['write_file', { kind: 'tools', group: 'write', tools: WRITE }],
    ['webfetch', { kind: 'tools', group: 'web_fetch', tools: ['web_fetch'] }],
    ['WebFetch', { kind: 'tools', group: 'web_fetch', tools: ['web_fetch'] }],
    [
      'apply_patch(/docs/**)',
      { kind: 'path', group: 'write', anchor: 'workspace', pattern: 'docs/**' },
    ],
    [
      'edit(//etc/hosts)',
      { kind: 'path', group: 'write', anchor: 'absolute', pattern: 'etc/hosts' },
    ],
    ['read(~/notes/*.md)', { kind: 'path', group: 'read', anchor: 'home', pattern: 'notes/*.md' }],
    ['read(./src/**)', { kind: 'path', group: 'read', anchor: 'relative', pattern: 'src/**' }],
    ['Read(src/**)', { kind: 'path', group: 'read', anchor: 'relative', pattern: 'src/**' }],
    ['read(.env)', { kind: 'path', group: 'read', anchor: 'relative', pattern: '.env' }],
    [
      'code_search(/vendor/)',
      { kind: 'path', group: 'read', anchor: 'workspace', pattern: 'vendor' },
    ],
    ['write(/)', { kind: 'path', group: 'write', anchor: 'workspace', pattern: '' }],
    [
      'WebFetch(domain:example.com)',
      { kind: 'host', domain: 'example.com', subdomainsOnly: false },
    ],
    ['webfetch(domain:Docs.RS.)', { kind: 'host', domain: 'docs.rs', subdomainsOnly: false }],
    ['WebFetch(domain:*.github.com)', { kind: 'host', domain: 'github.com', subdomainsOnly: true }],
    ['mcp__context7', { kind: 'mcp', server: 'context7', tool: null }],
    ['mcp__context7__*', { kind: 'mcp', server: 'context7', tool: null }],
    ['mcp__context7__search-docs', { kind: 'mcp', server: 'context7', tool: 'search-docs' }],
    ['mcp', { kind: 'mcp', server: null, tool: null }],
  ])('%s', (text, rule) => {
    const parsed = parsePermissionRule(text);
    expect(parsed).toEqual({ ok: true, rule, warning: null });
  });

  it('warns about a tool name nobody has, and keeps it as an exact name', () => {
    const parsed = parsePermissionRule('frobnicate');
    expect(parsed).toMatchObject({
      ok: true,
      rule: { kind: 'tools', group: null, tools: ['frobnicate'] },
    });
    expect(parsed.ok && parsed.warning).toMatch(/not a tool/);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['exec_command(rm -rf', /must end with '\)'/],
    ['exec_command)', /without '\('/],
    ['exec_command()', /empty parentheses/],
    ['read()', /empty parentheses/],
    ['9lives', /not a tool name/],
    ['rm -rf /', /not a tool name/],
    ['bad name(x)', /not a tool name/],
    ['write_stdin(x)', /takes nothing in parentheses/],
    ['frob(x)', /not a tool that takes a pattern/],
    ['mcp(x)', /mcp__server/],
    ['read(../x)', /`\.\.`/],
    ['edit(/a/../../b)', /`\.\.`/],
    ['read(~root/x)', /only ~\//],
    ['read(C:\\x)', /write paths with \//],
    ['read(./)', /empty path/],
    ['WebFetch(example.com)', /domain:HOST/],
    ['WebFetch(domain:)', /name a host/],
    ['WebFetch(domain:exa mple.com)', /not a host name/],
    ['WebFetch(domain:example.com:8080)', /without a port/],
    ['WebFetch(domain:https://example.com)', /without a port or scheme/],
    ['WebFetch(domain:ex*.com)', /leading \*\./],
    ['WebFetch(domain:bücher.de)', /punycode/],
    ['mcp__', /name the MCP server/],
    ['mcp__*', /wildcard cannot stand for the server/],
    ['mcp____tool', /name the MCP server/],
    ['mcp__srv__', /nothing after/],
    ['mcp__srv__get_*', /whole \*/],
    ['mcp__srv__tool(x)', /no parentheses/],
    ['mcp__sr v', /not an MCP server name/],
    ['exec_command(a\nb)', /one line/],
    ['exec_command(a\0b)', /NUL/],
    [`exec_command(${'x'.repeat(2001)})`, /longer than 2000/],
  ])('refuses %j', (text, why) => {
    const parsed = parsePermissionRule(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.why).toMatch(why);
  });

  it('matches hosts as VT Code does: the host and its subdomains', () => {
    const rule = { domain: 'example.com', subdomainsOnly: false };
    expect(hostMatches(rule, 'example.com')).toBe(true);
    expect(hostMatches(rule, 'api.example.com')).toBe(true);
    expect(hostMatches(rule, 'API.Example.com.')).toBe(true);
    expect(hostMatches(rule, 'badexample.com')).toBe(false);
    expect(hostMatches(rule, 'example.com.evil.net')).toBe(false);
    const subs = { domain: 'example.com', subdomainsOnly: true };
    expect(hostMatches(subs, 'example.com')).toBe(false);
    expect(hostMatches(subs, 'a.example.com')).toBe(true);
  });

  it('splits MCP tool names', () => {
    expect(mcpToolName('mcp__ctx__search-docs')).toEqual({ server: 'ctx', tool: 'search-docs' });
    expect(mcpToolName('mcp__ctx')).toBeNull();
    expect(mcpToolName('mcp__ctx__')).toBeNull();
    expect(mcpToolName('read_file')).toBeNull();
  });

  it('knows the names VT Code uses', () => {
    for (const name of ['exec_command', 'apply_patch', 'write_stdin', 'code_search', 'mcp', 'Bash'])
      expect(knownPermissionName(name)).toBe(true);
    expect(knownPermissionName('frobnicate')).toBe(false);
  });
});

describe('a [permissions] rule in words', () => {
  it.each<[string, 'allow' | 'ask' | 'deny' | 'auto', RegExp]>([
    ['exec_command', 'allow', /^Allows every command$/],
    ['exec_command(cargo check *)', 'allow', /commands matching “cargo check \*”/],
    ['Bash(git status)', 'deny', /^Denies the command “git status” exactly$/],
    ['Bash(npm run test:*)', 'allow', /“npm run test” with or without more words/],
    [
      'apply_patch(/docs/**)',
      'ask',
      /^Asks before changing docs\/\*\* \(from the workspace root\)$/,
    ],
    ['read(.env)', 'deny', /anything named \.env in any folder/],
    ['read(//etc/**)', 'deny', /\/etc\/\*\* \(an absolute path\)/],
    ['edit(~/notes)', 'deny', /~\/notes \(in your home folder\)/],
    ['WebFetch(domain:example.com)', 'allow', /example\.com and its subdomains/],
    ['mcp__ctx__*', 'deny', /every tool of the MCP server ctx/],
    ['mcp__ctx__search', 'allow', /the MCP tool search of the server ctx/],
    ['read', 'allow', /reading and searching files/],
    ['write_stdin', 'deny', /the write_stdin tool/],
    ['apply_patch', 'auto', /Asks before changing files.*classifier/],
    ['frobnicate', 'deny', /Note: "frobnicate" is not a tool/],
    ['Bash(rm', 'deny', /^Not understood, so ignored: /],
  ])('%s (%s)', (entry, list, words) => {
    expect(permissionInWords(entry, list)).toMatch(words);
  });
});
