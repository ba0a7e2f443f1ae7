import type { AgentMode } from '../../../shared/domain/agent';
import type { Decision, RuleRef } from '../../../shared/domain/policy';
import { builtinRef } from '../../policy/rules';
import { FILE_EDIT_TOOLS } from '../../policy/tool-names';
import type { RunnerSandboxSettings } from '../../runner/settings';

/** Tools that change files (apply_patch, write_file, edit_file). */
export const EDIT_TOOLS: ReadonlySet<string> = new Set(FILE_EDIT_TOOLS);

/** A decision as the tool loop weighs it. */
export interface ModeVerdict {
  readonly decision: Decision;
  readonly reason: string;
  readonly rule: RuleRef | null;
}

/**
 * Apply the session's mode to a call's decision. Denials always hold; a prompt that comes from a
 * protected or secret file (its own builtin or sensitive rule) always asks, whatever the mode.
 */
export function applyMode(
  mode: AgentMode,
  tool: string,
  verdict: ModeVerdict,
  isCommand: boolean,
  changesFiles = false,
): ModeVerdict {
  if (verdict.decision === 'deny' || mode === 'ask') return verdict;
  // A protected file (the guard's `protected:` rules) or a secret one asks in every mode.
  const ownRule =
    verdict.rule?.kind === 'sensitive_path' ||
    (verdict.rule?.kind === 'builtin' && verdict.rule.entry.startsWith('protected:'));
  if (mode === 'plan') {
    if (EDIT_TOOLS.has(tool) || changesFiles)
      return {
        decision: 'deny',
        reason:
          'plan mode: the agent reads and plans, it does not change files (switch the mode to let it)',
        rule: builtinRef('mode: plan'),
      };
    // An MCP tool may write its folders or reach its hosts: as a command, only what a rule allows.
    if (tool.startsWith('mcp__') && verdict.decision === 'prompt')
      return {
        decision: 'deny',
        reason: `plan mode runs only MCP tools a rule allows (${verdict.reason})`,
        rule: builtinRef('mode: plan'),
      };
    if (isCommand && verdict.decision === 'prompt')
      return {
        decision: 'deny',
        reason: `plan mode runs only commands the policy allows, read-only (${verdict.reason})`,
        rule: builtinRef('mode: plan'),
      };
    return verdict;
  }
  if (verdict.decision !== 'prompt' || ownRule) return verdict;
  if (mode === 'auto_edit' && !EDIT_TOOLS.has(tool)) return verdict;
  const label = mode === 'auto_edit' ? 'auto-edit' : 'full auto';
  return {
    decision: 'allow',
    reason: `allowed by ${label} mode (it would ask: ${verdict.reason})`,
    rule: builtinRef(`mode: ${mode}`),
  };
}

/** Plan mode runs commands read-only, whatever the sandbox settings say. */
export function settingsForMode(
  mode: AgentMode,
  settings: RunnerSandboxSettings | null,
): RunnerSandboxSettings | null {
  if (mode !== 'plan' || !settings) return settings;
  return settings.mode === 'read_only' ? settings : { ...settings, mode: 'read_only' };
}
