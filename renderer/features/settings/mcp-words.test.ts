import { describe, expect, it } from 'vitest';
import type { McpServerView } from '../../../shared/domain/mcp';
import { splitArgs } from '../../stores/mcp-draft';
import { mcpServerActions, mcpSourceText, mcpTarget, quoteArg } from './mcp-words';

const server = (over: Partial<McpServerView> = {}): McpServerView => ({
  name: 'files',
  transport: 'stdio',
  command: '/usr/bin/node',
  args: ['server.mjs'],
  cwd: null,
  url: null,
  envNames: [],
  secrets: [],
  commandLine: '/usr/bin/node server.mjs',
  source: { layer: 'user', file: '/home/me/.config/vtcode/vtcode.toml' },
  enabled: true,
  network: false,
  writable: [],
  status: 'stopped',
  lastError: null,
  startedAt: null,
  tools: [],
  ...over,
});

describe('mcp words', () => {
  it('shows a command line the Add form reads back as the same arguments', () => {
    const args = ['/my files/server.mjs', "it's", 'plain', '', '--x="1"'];
    const line = mcpTarget(server({ command: 'node', args }));
    expect(line).toBe(`node '/my files/server.mjs' "it's" plain '' '--x="1"'`);
    expect(splitArgs(line)).toEqual({ args: ['node', ...args] });
    expect(quoteArg('--port=3')).toBe('--port=3');
  });

  it('shows the URL of an HTTP server', () => {
    expect(
      mcpTarget(server({ transport: 'http', command: null, args: [], url: 'https://x/mcp' })),
    ).toBe('https://x/mcp');
  });

  it('names the file that declared a server', () => {
    expect(mcpSourceText({ layer: 'user', file: '/u' })).toBe('user file');
    expect(mcpSourceText({ layer: 'workspace', file: '/w' })).toBe('workspace file');
  });

  it.each<[string, Partial<McpServerView>, boolean, ReturnType<typeof mcpServerActions>]>([
    ['stopped', {}, true, { start: true, stop: false, restart: false, remove: true }],
    [
      'running',
      { status: 'running' },
      true,
      { start: false, stop: true, restart: true, remove: true },
    ],
    [
      'starting',
      { status: 'starting' },
      true,
      { start: false, stop: true, restart: false, remove: true },
    ],
    [
      'failed',
      { status: 'error' },
      true,
      { start: true, stop: false, restart: true, remove: true },
    ],
    [
      'disabled',
      { enabled: false, status: 'disabled' },
      true,
      { start: false, stop: false, restart: false, remove: true },
    ],
    [
      'stopped with MCP off',
      {},
      false,
      { start: false, stop: false, restart: false, remove: true },
    ],
    [
      'from the workspace file, waiting for approval',
      { status: 'needs-approval', source: { layer: 'workspace', file: '/w/vtcode.toml' } },
      true,
      { start: false, stop: false, restart: false, remove: false },
    ],
    [
      'untrusted',
      { status: 'untrusted' },
      true,
      { start: false, stop: false, restart: false, remove: true },
    ],
    [
      'not allowed',
      { status: 'not-allowed' },
      true,
      { start: false, stop: false, restart: false, remove: true },
    ],
  ])('buttons for a server %s', (_, over, mcpOn, actions) => {
    expect(mcpServerActions(server(over), mcpOn)).toEqual(actions);
  });
});
