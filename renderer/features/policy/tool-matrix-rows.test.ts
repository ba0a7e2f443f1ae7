import { describe, expect, it } from 'vitest';
import type { ToolPolicyRow } from '../../../shared/domain/policy';
import { matrixGroups } from './tool-matrix-rows';

const row = (tool: string, server?: string): ToolPolicyRow => ({
  tool,
  summary: '',
  aliases: [],
  decision: 'prompt',
  source: { layer: 'default', file: null },
  key: null,
  ...(server
    ? {
        mcp: {
          server,
          tool: tool.split('__').at(-1) ?? tool,
          description: `${tool} does things`,
          inputSchema: '{}',
        },
      }
    : {}),
});

describe('matrixGroups', () => {
  it('keeps the built-in order and puts MCP tools after, by server then tool', () => {
    const rows = [
      row('mcp__web__fetch', 'web'),
      row('read_file'),
      row('mcp__files__write', 'files'),
      row('exec_command'),
      row('mcp__files__echo', 'files'),
      { ...row('grep'), mcp: null },
    ];
    const { builtin, mcp } = matrixGroups(rows);
    expect(builtin.map((r) => r.tool)).toEqual(['read_file', 'exec_command', 'grep']);
    expect(mcp.map((r) => r.tool)).toEqual([
      'mcp__files__echo',
      'mcp__files__write',
      'mcp__web__fetch',
    ]);
  });
});
