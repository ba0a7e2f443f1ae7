import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../shared/domain/agent';
import { engineFromToml, tempDir } from '../../policy/test-helpers';
import { decideCall } from '../loop/tool-executor';
import { agentTools, providerToolSet, toolCatalog, withCurrentToolNames } from './registry';

const ws = tempDir('vt-registry-');
const home = tempDir('vt-registry-home-');

describe('one name per tool', () => {
  it('offers the model the tools the policy matrix shows, by the same names', async () => {
    const offered = Object.keys(providerToolSet(agentTools())).sort();
    const engine = await engineFromToml('', ws, home);
    const rows = engine.snapshot(toolCatalog()).tools.matrix.map((r) => r.tool);
    expect(rows.sort()).toEqual(offered);
    expect(offered).toContain('exec_command');
    expect(offered).toContain('code_search');
    expect(offered).not.toContain('run_pty_cmd');
    expect(offered).not.toContain('grep_file');
  });

  it('gives every matrix row a one-line description', async () => {
    const engine = await engineFromToml('', ws, home);
    for (const row of engine.snapshot(toolCatalog()).tools.matrix) {
      expect(row.summary.length).toBeGreaterThan(10);
      expect(row.summary).not.toContain('\n');
    }
  });

  it.each([
    ['run_pty_cmd', 'exec_command', { command: 'ls' }],
    ['grep_file', 'code_search', { pattern: 'x' }],
  ])('a rule under the older name %s still decides %s', async (old, tool, args) => {
    const engine = await engineFromToml(`[tools.policies]\n${old} = "deny"\n`, ws, home);
    const t = agentTools().get(tool);
    if (!t) throw new Error(`no ${tool}`);
    const verdict = decideCall(engine, t, t.subjects(t.schema.parse(args)));
    expect(verdict.decision).toBe('deny');
    expect(verdict.rule).toMatchObject({ kind: 'tool_policy', section: 'tools.policies' });
  });

  it('lists [tools.policies] entries that are not a tool of their own apart from the rows', async () => {
    const engine = await engineFromToml(
      '[tools.policies]\nrun_pty_cmd = "deny"\nweb_search = "allow"\nmcp__gh__issue = "prompt"\nread_file = "prompt"\n',
      ws,
      home,
    );
    const { matrix, otherEntries } = engine.snapshot(toolCatalog()).tools;
    expect(matrix.map((r) => r.tool)).not.toContain('web_search');
    expect(matrix.find((r) => r.tool === 'exec_command')?.decision).toBe('deny');
    expect(otherEntries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'run_pty_cmd', aliasOf: 'exec_command', decision: 'deny' }),
        expect.objectContaining({ name: 'web_search', aliasOf: null, decision: 'allow' }),
        expect.objectContaining({ name: 'mcp__gh__issue', aliasOf: null }),
      ]),
    );
    expect(otherEntries.map((e) => e.name)).not.toContain('read_file');
  });
});

describe('sessions written with the former tool names', () => {
  const base = { turnId: 't1', at: '2026-01-01T00:00:00.000Z' };

  it('reads tool events with the current name', () => {
    const started: AgentEvent = {
      type: 'tool-call-started',
      ...base,
      step: 0,
      callId: 'c1',
      tool: 'run_pty_cmd',
      args: { command: 'ls' },
    };
    expect(withCurrentToolNames(started)).toMatchObject({ tool: 'exec_command' });
    const other: AgentEvent = { ...started, tool: 'read_file' };
    expect(withCurrentToolNames(other)).toBe(other);
  });

  it('renames the calls and results of the stored provider history consistently', () => {
    const history: AgentEvent = {
      type: 'history',
      ...base,
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'looking' },
            { type: 'tool-call', toolCallId: 'c1', toolName: 'grep_file', input: { pattern: 'x' } },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'c1',
              toolName: 'grep_file',
              output: { type: 'text', value: 'none' },
            },
          ],
        },
      ],
    };
    const renamed = withCurrentToolNames(history);
    if (renamed.type !== 'history') throw new Error('not history');
    expect(JSON.stringify(renamed.messages)).not.toContain('grep_file');
    expect(JSON.stringify(renamed.messages).match(/code_search/g)).toHaveLength(2);
    expect(renamed.messages[0]).toEqual({ role: 'user', content: 'hi' });
  });
});
