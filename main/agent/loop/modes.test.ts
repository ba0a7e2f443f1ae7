import { describe, expect, it } from 'vitest';
import type { Decision, RuleRef } from '../../../shared/domain/policy';
import { builtinRef } from '../../policy/rules';
import { withSettings } from '../../runner/settings';
import { modeFromPrimaryAgent } from '../../../shared/domain/agent';
import { applyMode, settingsForMode } from './modes';

const policyRule: RuleRef = {
  kind: 'default_policy',
  entry: 'prompt',
  section: 'tools',
  source: { layer: 'default', file: null },
};
const v = (decision: Decision, rule: RuleRef | null = policyRule) => ({
  decision,
  reason: 'r',
  rule,
});
const protectedFile = builtinRef('protected: .vscode');

describe('modes change what asks, never what is denied', () => {
  it.each([
    // mode, tool, is command, decision in, expected out
    ['ask', 'write_file', false, v('prompt'), 'prompt'],
    ['plan', 'write_file', false, v('allow'), 'deny'],
    ['plan', 'exec_command', true, v('prompt'), 'deny'],
    ['plan', 'exec_command', true, v('allow'), 'allow'],
    ['plan', 'read_file', false, v('allow'), 'allow'],
    ['plan', 'mcp__s__t', false, v('prompt'), 'deny'],
    ['plan', 'mcp__s__t', false, v('allow'), 'allow'],
    ['auto_edit', 'mcp__s__t', false, v('prompt'), 'prompt'],
    ['auto_edit', 'write_file', false, v('prompt'), 'allow'],
    ['auto_edit', 'apply_patch', false, v('prompt'), 'allow'],
    ['auto_edit', 'exec_command', true, v('prompt'), 'prompt'],
    ['auto_edit', 'write_file', false, v('prompt', protectedFile), 'prompt'],
    ['full_auto', 'exec_command', true, v('prompt'), 'allow'],
    ['full_auto', 'exec_command', true, v('prompt', builtinRef('eval is never allowed')), 'allow'],
    ['full_auto', 'write_file', false, v('prompt', protectedFile), 'prompt'],
    ['full_auto', 'exec_command', true, v('deny'), 'deny'],
    ['auto_edit', 'write_file', false, v('deny'), 'deny'],
  ] as const)('%s %s (command: %s): %o -> %s', (mode, tool, isCommand, verdict, out) => {
    expect(applyMode(mode, tool, verdict, isCommand).decision).toBe(out);
  });

  it('plan refuses a tool that may change files, allowed or not (an MCP server that writes)', () => {
    expect(applyMode('plan', 'mcp__s__t', v('allow'), false, true).decision).toBe('deny');
    expect(applyMode('ask', 'mcp__s__t', v('allow'), false, true).decision).toBe('allow');
  });

  it('plan runs commands read-only; other modes keep the sandbox as configured', () => {
    const ws = withSettings({ mode: 'workspace_write' });
    expect(settingsForMode('plan', ws)?.mode).toBe('read_only');
    expect(settingsForMode('full_auto', ws)?.mode).toBe('workspace_write');
  });
});

describe("VT Code's default_primary_agent", () => {
  it.each([
    ['plan', 'plan'],
    ['build', 'ask'],
    ['auto', 'full_auto'],
    ['AUTO_EDIT', 'auto_edit'],
    [null, 'ask'],
    ['nonsense', 'ask'],
  ] as const)('%s -> %s', (name, mode) => expect(modeFromPrimaryAgent(name)).toBe(mode));
});
