import { resolve } from 'node:path';
import type {
  AgentToolInfo,
  CommandDecision,
  Decision,
  PathDecision,
  PathOp,
  PolicySnapshot,
  RuleRef,
  ToolDecision,
} from '../../shared/domain/policy';
import type { VtcodeConfig } from '../config/effective';
import { decideCommand, describeRule, stricter, type CommandContext } from './command-policy';
import { compileProtection, type ProtectionModel } from '../guard/model';
import { decidePath } from './path-policy';
import { builtinRef, compileCommandRules } from './rules';
import type { ShellParser } from './shell-parser';
import { modeFromPrimaryAgent } from '../../shared/domain/agent';
import { canonicalToolName, READ_ONLY_TOOLS, TOOL_ALIASES } from './tool-names';

export interface PolicyEngineOptions {
  readonly config: VtcodeConfig;
  readonly parser: ShellParser;
  readonly workspace: string;
  readonly home: string;
  /** The app's own directories (config, data): always sensitive. */
  readonly appDirs: readonly string[];
  /** How many command decisions to remember (0 turns the cache off). */
  readonly cacheSize?: number;
}

/** Decisions for one effective config; build a new engine when the config changes. */
export interface PolicyEngine {
  readonly config: VtcodeConfig;
  /** The protection model every path decision of this engine comes from. */
  readonly guard: ProtectionModel;
  /** The shell parser its command decisions use (lint decides probe commands with it). */
  readonly parser: ShellParser;
  decideCommand(command: string): CommandDecision;
  decidePath(path: string, op: PathOp): PathDecision;
  decideTool(tool: string): ToolDecision;
  /** The policy as the screen shows it; `tools` are the agent's tools (its registry). */
  snapshot(tools: readonly AgentToolInfo[]): PolicySnapshot;
}

function buildPathContext(o: PolicyEngineOptions): ProtectionModel {
  const sp = o.config.sandbox.sensitivePaths;
  return compileProtection({
    workspace: resolve(o.workspace),
    home: o.home,
    sensitive: {
      useDefaults: sp.useDefaults,
      additional: o.config.sensitiveAdditional,
      exceptions: sp.exceptions,
      appDirs: o.appDirs,
    },
    dotfiles: o.config.dotfiles,
  });
}

/** The tool's own policy, else `[tools] default_policy` (read-only tools default to allow). */
export function toolRule(
  config: VtcodeConfig,
  tool: string,
): { decision: Decision; rule: RuleRef } {
  const own = config.tools.policies.get(tool);
  if (own) {
    return {
      decision: own.value,
      rule: {
        kind: 'tool_policy',
        entry: own.key ?? tool,
        section: 'tools.policies',
        source: own.source,
      },
    };
  }
  const dp = config.tools.defaultPolicy;
  if (dp.source.layer === 'default' && READ_ONLY_TOOLS.has(tool)) {
    return { decision: 'allow', rule: builtinRef('read-only tools are allowed by default') };
  }
  return {
    decision: dp.value,
    rule: { kind: 'default_policy', entry: dp.value, section: 'tools', source: dp.source },
  };
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
    const older = name !== tool ? `, the older name of ${tool}` : '';
    return `${tool} ${DOES[decision]}: its own setting ([tools.policies] ${name}${older}, ${where})`;
  }
  if (rule.kind === 'default_policy') {
    const others = decision === 'prompt' ? 'ask first' : DOES[decision].replace('is ', 'are ');
    return `${tool} ${DOES[decision]}: tools without their own setting ${others} ([tools] default_policy, ${where})`;
  }
  return `${tool} ${DOES[decision]}: ${describeRule(rule)}`;
}

function commandFallback(config: VtcodeConfig): CommandContext['fallback'] {
  const tool = toolRule(config, 'exec_command');
  if (tool.decision === 'deny')
    return {
      decision: 'deny',
      rule: tool.rule,
      reason: `the shell tool is denied by ${describeRule(tool.rule)}`,
    };
  const hitl = config.humanInTheLoop;
  if (!hitl.value && tool.decision === 'allow') {
    return {
      decision: 'allow',
      rule: tool.rule,
      reason: `no rule matched; allowed by ${describeRule(tool.rule)} with human_in_the_loop off`,
    };
  }
  const rule: RuleRef = {
    kind: 'human_in_the_loop',
    entry: String(hitl.value),
    section: 'security',
    source: hitl.source,
  };
  return { decision: 'prompt', rule, reason: 'no rule allows this command, so a person decides' };
}

/** Build an engine for one effective config and workspace. */
export function createPolicyEngine(o: PolicyEngineOptions): PolicyEngine {
  const paths = buildPathContext(o);
  const ctx: CommandContext = {
    parser: o.parser,
    rules: compileCommandRules(o.config),
    paths,
    fallback: commandFallback(o.config),
  };
  const cacheSize = o.cacheSize ?? 4096;
  const cache = new Map<string, CommandDecision>();

  const engine: PolicyEngine = {
    config: o.config,
    guard: paths,
    parser: o.parser,
    decideCommand(command) {
      const hit = cache.get(command);
      if (hit) {
        cache.delete(command);
        cache.set(command, hit);
        return hit;
      }
      const { cacheable, ...decision } = decideCommand(ctx, command);
      if (cacheable && cacheSize > 0 && command.length <= 4096) {
        if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
        cache.set(command, decision);
      }
      return decision;
    },
    decidePath(path, op) {
      const decision = decidePath(paths, path, op);
      if (decision.decision === 'deny') return decision;
      if (op === 'write' && o.config.trust !== 'trusted') {
        const reason =
          o.config.trust === 'read_only'
            ? 'this folder is open read-only: trust it (top bar, or `vtcode-desktop trust DIR`) to let the agent change files'
            : 'this folder has not been trusted yet: choose "Trust this folder" (or run `vtcode-desktop trust DIR`) to let the agent change files';
        return { ...decision, decision: 'deny', reason, rule: builtinRef('workspace trust') };
      }
      const tool = toolRule(o.config, op === 'read' ? 'read_file' : 'write_file');
      const combined = stricter(decision.decision, tool.decision);
      if (combined === decision.decision) return decision;
      return {
        ...decision,
        decision: combined,
        reason: `${decision.reason}; ${toolReason(op === 'read' ? 'read_file' : 'write_file', tool.decision, tool.rule)}`,
        rule: tool.rule,
      };
    },
    decideTool(tool) {
      const canonicalTool = canonicalToolName(tool);
      const { decision, rule } = toolRule(o.config, canonicalTool);
      const reason = toolReason(canonicalTool, decision, rule);
      return { kind: 'tool', tool, canonicalTool, decision, reason, rule };
    },
    snapshot: (tools) => snapshotOf(o.config, o.workspace, tools),
  };
  return engine;
}

/**
 * One matrix row per tool the agent has; `[tools.policies]` entries under another name (an older
 * spelling, or a tool this app does not have) are listed apart, saying what they apply to.
 */
function toolRows(
  config: VtcodeConfig,
  tools: readonly AgentToolInfo[],
): Pick<PolicySnapshot['tools'], 'matrix' | 'otherEntries'> {
  const have = new Set(tools.map((t) => t.name));
  const matrix = tools.map(({ name: tool, summary }) => {
    const own = config.tools.policies.get(tool);
    const { decision, rule } = toolRule(config, tool);
    return {
      tool,
      summary,
      aliases: [...(TOOL_ALIASES[tool as keyof typeof TOOL_ALIASES] ?? [])],
      decision,
      source: rule.source,
      key: own?.key ?? null,
    };
  });
  const otherEntries = [...config.tools.policies.entries()].flatMap(([tool, own]) => {
    const name = own.key?.slice('tools.policies.'.length) ?? tool;
    if (have.has(tool) && name === tool) return [];
    return [
      { name, decision: own.value, source: own.source, aliasOf: have.has(tool) ? tool : null },
    ];
  });
  return { matrix, otherEntries };
}

function snapshotOf(
  config: VtcodeConfig,
  workspace: string,
  tools: readonly AgentToolInfo[],
): PolicySnapshot {
  const commands = Object.entries(config.commands).flatMap(([kind, list]) =>
    list.map((e) => ({
      kind: kind as keyof typeof config.commands,
      entry: e.entry,
      source: e.source,
    })),
  );
  return {
    workspace,
    files: config.files,
    tools: {
      defaultPolicy: config.tools.defaultPolicy.value,
      defaultPolicySource: config.tools.defaultPolicy.source,
      maxToolLoops: config.tools.maxToolLoops.value,
      ...toolRows(config, tools),
    },
    commands,
    humanInTheLoop: config.humanInTheLoop.value,
    sandbox: config.sandbox,
    timeouts: config.timeouts,
    pty: config.pty,
    issues: [...config.issues],
    trust: config.trust,
    defaultMode: modeFromPrimaryAgent(config.agent.defaultPrimaryAgent),
    workspaceCeiling: { ...config.workspaceCeiling },
  };
}
