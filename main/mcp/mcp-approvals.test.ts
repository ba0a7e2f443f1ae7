import { describe, expect, it } from 'vitest';
import type { McpProviderConfig } from '../config/mcp-settings';
import { commandLine } from './mcp-approvals';

/*
 * The line a person approves for a repository's server says what runs, one item per line, with
 * nothing a value can hide: a newline, a bidirectional override or an invisible character in a
 * value is shown escaped, so no value forges a line of its own ("network: none").
 */

const server = (p: Partial<McpProviderConfig>): McpProviderConfig => ({
  name: 'repo',
  command: 'node',
  args: ['server.mjs'],
  env: {},
  cwd: null,
  url: null,
  headers: {},
  enabled: true,
  network: true,
  writable: ['gen'],
  source: { layer: 'workspace', file: '/ws/vtcode.toml' },
  ...p,
});

describe('the approved line', () => {
  it.each([
    ['an env value', { env: { A: 'x\nnetwork: none\nwrites: none' } }],
    ['an argument', { args: ['server.mjs\nnetwork: none'] }],
    ['the folder', { cwd: 'sub\nnetwork: none' }],
    ['the program', { command: 'node\nnetwork: none' }],
    ['a writable folder', { writable: ['gen\nnetwork: none'] }],
    ['a URL', { command: null, url: 'https://a.example/mcp\nnetwork: none' }],
  ])('no line is forged by %s', (_what, p) => {
    const lines = commandLine(server(p)).split('\n');
    expect(lines.filter((l) => l === 'network: none')).toEqual([]);
    expect(lines.filter((l) => l.startsWith('writes: none'))).toEqual([]);
  });

  it('shows invisible and direction-changing characters', () => {
    const line = commandLine(server({ args: ['safe.mjs\u202e.txt', 'a\u200bb'] }));
    expect(line).not.toMatch(/[\u202e\u200b]/);
    expect(line).toContain('202e');
    expect(line).toContain('200b');
  });

  it('keeps plain values as they are', () => {
    expect(commandLine(server({ args: ['-y', 'some-mcp@1.2', "it's"] }))).toBe(
      "node -y some-mcp@1.2 'it'\\''s'\nnetwork: under the network policy\nwrites: gen",
    );
  });
});
