import { describe, expect, it } from 'vitest';
import {
  buildMcpAddRequest,
  EMPTY_MCP_DRAFT,
  isMcpEnvName,
  parseEnvLines,
  splitArgs,
  type McpDraft,
  type McpDraftField,
} from './mcp-draft';

const draft = (over: Partial<McpDraft>): McpDraft => ({
  ...EMPTY_MCP_DRAFT,
  name: 'files',
  ...over,
});

describe('splitArgs', () => {
  it.each<[string, string[]]>([
    ['', []],
    ['  ', []],
    ['server.mjs --port 3', ['server.mjs', '--port', '3']],
    ['  -y   @scope/pkg  ', ['-y', '@scope/pkg']],
    ['"/my files/server.mjs" --name \'a b\'', ['/my files/server.mjs', '--name', 'a b']],
    ['--empty ""', ['--empty', '']],
    ['--flag="x y"', ['--flag=x y']],
    // Several lines: one argument per line, spaces kept, blank lines skipped.
    ['/my files/server.mjs\n\n--name a b\n', ['/my files/server.mjs', '--name a b']],
  ])('%j', (text, args) => {
    expect(splitArgs(text)).toEqual({ args });
  });

  it('refuses an unclosed quote', () => {
    expect(splitArgs('"server.mjs')).toEqual({ error: 'A " quote is not closed.' });
  });
});

describe('isMcpEnvName', () => {
  it.each([
    ['LOG', true],
    ['_x9', true],
    ['', false],
    ['1X', false],
    ['MY VAR', false],
    ['A-B', false],
    ['X'.repeat(65), false],
  ])('%j: %s', (name, ok) => {
    expect(isMcpEnvName(name)).toBe(ok);
  });
});

describe('parseEnvLines', () => {
  it('reads NAME=value lines, values as written', () => {
    expect(parseEnvLines('LOG=debug\n\nURL=http://x/?a=b\nEMPTY=')).toEqual({
      env: { LOG: 'debug', URL: 'http://x/?a=b', EMPTY: '' },
    });
  });

  it.each([
    ['no =', 'LOG'],
    ['no name', '=x'],
    ['a bad name', '1X=y'],
    ['a space in the name', 'MY VAR=y'],
    ['a name twice', 'A=1\nA=2'],
  ])('refuses %s', (_, text) => {
    expect('error' in parseEnvLines(text)).toBe(true);
  });
});

describe('buildMcpAddRequest', () => {
  it('a command: program, arguments, cwd, env, network and writable folders', () => {
    expect(
      buildMcpAddRequest(
        draft({
          program: ' /usr/bin/node ',
          args: 'server.mjs --stdio',
          cwd: 'tools',
          env: 'LOG=debug',
          network: true,
          writable: 'out\n\ncache\n',
        }),
      ),
    ).toEqual({
      ok: true,
      request: {
        name: 'files',
        command: '/usr/bin/node',
        args: ['server.mjs', '--stdio'],
        cwd: 'tools',
        env: { LOG: 'debug' },
        network: true,
        writable: ['out', 'cache'],
      },
    });
  });

  it('a URL: no program, and nothing that only a stdio server has', () => {
    expect(
      buildMcpAddRequest(
        draft({
          kind: 'url',
          url: 'https://mcp.example.com/mcp',
          program: 'left over',
          network: true,
          writable: 'out',
        }),
      ),
    ).toEqual({ ok: true, request: { name: 'files', url: 'https://mcp.example.com/mcp' } });
  });

  it.each<[string, Partial<McpDraft>, McpDraftField]>([
    ['no name', { name: '', program: 'node' }, 'name'],
    ['a name with __', { name: 'my__files', program: 'node' }, 'name'],
    ['a name ending in _', { name: 'files_', program: 'node' }, 'name'],
    ['a name too long', { name: 'x'.repeat(33), program: 'node' }, 'name'],
    ['no program', { program: ' ' }, 'program'],
    ['an unclosed quote', { program: 'node', args: "'a" }, 'args'],
    ['a bad env line', { program: 'node', env: 'nope' }, 'env'],
    ['no URL', { kind: 'url' }, 'url'],
    ['not a URL', { kind: 'url', url: 'mcp.example.com' }, 'url'],
  ])('refuses %s', (_, over, field) => {
    const built = buildMcpAddRequest(draft(over));
    expect(built.ok).toBe(false);
    expect(!built.ok && built.errors[field]).toEqual(expect.any(String));
  });
});
