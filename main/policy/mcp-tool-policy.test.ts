import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMode } from '../agent/loop/modes';
import { engineFromToml, tempDir } from './test-helpers';

/*
 * `[tools.policies]` entries for MCP tools: a server-wide entry (`mcp__server__*`, as the
 * `[permissions]` rules write it) decides each of its tools, the strictest entry winning. Left unread, a deny written that way let the tool run in full auto (it only asked).
 */

const root = tempDir('vt-mcp-policy-');

async function decide(policies: string, tool: string) {
  const e = await engineFromToml(`[tools.policies]\n${policies}\n`, join(root), join(root, 'home'));
  return e.decideTool(tool);
}

describe('[tools.policies] for MCP tools', () => {
  it.each([
    ['"mcp__gh__*" = "deny"', 'mcp__gh__delete_repo', 'deny'],
    ['mcp__gh = "deny"', 'mcp__gh__delete_repo', 'deny'],
    ['"mcp__gh__*" = "allow"', 'mcp__gh__search', 'allow'],
    // The strictest entry applies: one tool's entry never loosens its server's.
    ['"mcp__gh__*" = "deny"\nmcp__gh__search = "allow"', 'mcp__gh__search', 'deny'],
    ['"mcp__gh__*" = "allow"\nmcp__gh__delete = "prompt"', 'mcp__gh__delete', 'prompt'],
    ['"mcp__gh__*" = "deny"\nmcp__gh__search = "allow"', 'mcp__gh__create', 'deny'],
    ['"mcp__gh__*" = "deny"', 'mcp__ghx__search', 'prompt'],
    ['"mcp__gh__*" = "deny"', 'mcp__gh__x__y', 'deny'],
  ])('%s: %s is %s', async (policies, tool, decision) => {
    const d = await decide(policies, tool);
    expect(d.decision).toBe(decision);
  });

  it('a server-wide deny holds in full auto, and says where it comes from', async () => {
    const d = await decide('"mcp__gh__*" = "deny"', 'mcp__gh__delete_repo');
    expect(applyMode('full_auto', d.canonicalTool, d, false).decision).toBe('deny');
    expect(d.reason).toContain('[tools.policies] mcp__gh__*');
    expect(d.reason).not.toContain('older name');
  });
});
