import type { Decision, RuleRef } from '../../shared/domain/policy';
import { mcpToolName } from '../../shared/domain/permission-grammar';
import type { Sourced, VtcodeConfig } from '../config/effective';
import { describeRule } from './command-types';
import type { PermissionSet } from './permission-rules';
import { builtinRef } from './rules';
import { isToolAlias, READ_ONLY_TOOLS } from './tool-names';

/** A tool's decision and the setting it comes from. */
export interface ToolRule {
  readonly decision: Decision;
  readonly rule: RuleRef;
}

const STRICTNESS: Record<Decision, number> = { deny: 0, prompt: 1, allow: 2 };

/**
 * A tool's `[tools.policies]` entry. An MCP tool is also named by its server's entries
 * (`mcp__server__*`, `mcp__server`, as `[permissions]` rules write them): the strictest applies,
 * so no entry for one tool loosens what is set for its server.
 */
function ownPolicy(config: VtcodeConfig, tool: string): Sourced<Decision> | undefined {
  const mcp = mcpToolName(tool);
  const keys = mcp ? [tool, `mcp__${mcp.server}__*`, `mcp__${mcp.server}`] : [tool];
  let own: Sourced<Decision> | undefined;
  for (const key of keys) {
    const entry = config.tools.policies.get(key);
    if (entry && (!own || STRICTNESS[entry.value] < STRICTNESS[own.value])) own = entry;
  }
  return own;
}

/**
 * A tool's decision: its `[tools.policies]` entry and the `[permissions]` rules that name it,
 * deny, then ask, then allow over both; else `[tools] default_policy` (read-only tools default to
 * allow). `tool` is the app's name for it (aliases already mapped).
 */
export function toolRule(
  config: VtcodeConfig,
  permissions: PermissionSet | null,
  tool: string,
): ToolRule {
  const own = ownPolicy(config, tool);
  const ownRule = (): ToolRule | null =>
    own
      ? {
          decision: own.value,
          rule: {
            kind: 'tool_policy',
            entry: own.key ?? tool,
            section: 'tools.policies',
            source: own.source,
          },
        }
      : null;
  const m = permissions?.tool(tool);
  if (own?.value === 'deny') return ownRule() as ToolRule;
  if (m?.deny) return { decision: 'deny', rule: m.deny };
  if (own?.value === 'prompt') return ownRule() as ToolRule;
  if (m?.ask) return { decision: 'prompt', rule: m.ask };
  if (own?.value === 'allow') return ownRule() as ToolRule;
  if (m?.allow) return { decision: 'allow', rule: m.allow };
  const dp = config.tools.defaultPolicy;
  // An MCP server's tool does what its server says; nothing here knows what that touches.
  if (tool.startsWith('mcp__') && dp.value === 'allow') {
    return {
      decision: 'prompt',
      rule: builtinRef('MCP tools ask until a rule names them ([tools.policies] or [permissions])'),
    };
  }
  if (dp.source.layer === 'default' && READ_ONLY_TOOLS.has(tool)) {
    return { decision: 'allow', rule: builtinRef('read-only tools are allowed by default') };
  }
  return {
    decision: dp.value,
    rule: { kind: 'default_policy', entry: dp.value, section: 'tools', source: dp.source },
  };
}

/**
 * Whether `[permissions]` rules for a call's paths or hosts may stand in for the tool's
 * decision: only `[tools] default_policy` gives way (rules naming a path are more specific than
 * a default); an explicit setting of the tool (`[tools.policies]`, a `[permissions]` rule naming
 * the tool) does not.
 */
export function yieldsToPathRules(tool: ToolRule): boolean {
  return tool.decision === 'allow' || tool.rule.kind === 'default_policy';
}

/**
 * Whether `[permissions]` rules decide every path and host of a call whose tool is decided only
 * by `[tools] default_policy` (prompt or deny): then those rules decide the call (an allow where
 * the guard allows, an ask), as they are more specific than a default.
 */
export function pathRulesDecide(
  td: { decision: Decision; rule: RuleRef | null },
  decided: readonly ({ decision: Decision; rule: RuleRef | null } | null)[],
): boolean {
  if (td.decision === 'allow' || td.rule?.kind !== 'default_policy') return false;
  const touched = decided.filter((d) => d !== null);
  return touched.length > 0 && touched.every((d) => d.rule?.kind === 'permission');
}

const DOES: Record<Decision, string> = {
  allow: 'is allowed',
  prompt: 'asks first',
  deny: 'is denied',
};

/**
 * A tool decision in words, naming the setting it comes from: "write_file asks first: tools
 * without their own setting ask ([tools] default_policy, built-in default)".
 */
export function toolReason(tool: string, decision: Decision, rule: RuleRef): string {
  const where = rule.source.file ? `in ${rule.source.file}` : 'built-in default';
  if (rule.kind === 'tool_policy') {
    const name = rule.entry.replace(/^tools\.policies\./, '');
    const older = name !== tool && isToolAlias(name) ? `, the older name of ${tool}` : '';
    return `${tool} ${DOES[decision]}: its own setting ([tools.policies] ${name}${older}, ${where})`;
  }
  if (rule.kind === 'default_policy') {
    const others = decision === 'prompt' ? 'ask first' : DOES[decision].replace('is ', 'are ');
    return `${tool} ${DOES[decision]}: tools without their own setting ${others} ([tools] default_policy, ${where})`;
  }
  return `${tool} ${DOES[decision]}: ${describeRule(rule)}`;
}
