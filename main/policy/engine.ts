import { resolve } from 'node:path';
import type {
  AgentToolInfo,
  CommandDecision,
  PathDecision,
  PathOp,
  PolicySnapshot,
  RuleRef,
  ToolDecision,
  UrlDecision,
} from '../../shared/domain/policy';
import type { VtcodeConfig } from '../config/effective';
import { decideCommand, describeRule, stricter, type CommandContext } from './command-policy';
import { compileProtection, type ProtectionModel } from '../guard/model';
import { lexicalPath } from '../guard/paths';
import { decidePath } from './path-policy';
import { compilePermissions, type PermissionSet } from './permission-rules';
import { decideWebUrl, type WebVerdict } from './web-host';
import { permissionEntries } from './permission-snapshot';
import { builtinRef, compileCommandRules } from './rules';
import type { ShellParser } from './shell-parser';
import { modeFromPrimaryAgent } from '../../shared/domain/agent';
import { canonicalToolName, TOOL_ALIASES } from './tool-names';
import { toolReason, toolRule, yieldsToPathRules } from './tool-rule';

export { toolReason } from './tool-rule';

export interface PolicyEngineOptions {
  readonly config: VtcodeConfig;
  readonly parser: ShellParser;
  readonly workspace: string;
  readonly home: string;
  /** The app's own directories (config, data): always sensitive. */
  readonly appDirs: readonly string[];
  /** How many command decisions to remember (0 turns the cache off). */
  readonly cacheSize?: number;
  /**
   * An engine that only replays recorded decisions (backtest, what-if): it remembers file lookups
   * for its lifetime. Nothing it decides may be executed; the default looks at the disk each time.
   */
  readonly replayOnly?: boolean;
}

/** Decisions for one effective config; build a new engine when the config changes. */
export interface PolicyEngine {
  readonly config: VtcodeConfig;
  /** The protection model every path decision of this engine comes from. */
  readonly guard: ProtectionModel;
  /** The shell parser its command decisions use (lint decides probe commands with it). */
  readonly parser: ShellParser;
  /** The compiled `[permissions]` rules (the effective view reads tool rules from them). */
  readonly permissions: PermissionSet;
  decideCommand(command: string): CommandDecision;
  decidePath(path: string, op: PathOp): PathDecision;
  decideTool(tool: string): ToolDecision;
  /**
   * A web request's host under `[permissions]` `WebFetch(domain:...)` rules. With no rule naming
   * the host the answer is allow with a null rule: the tool's own decision stands.
   */
  decideUrl(url: string): UrlDecision;
  /** The policy as the screen shows it; `tools` are the agent's tools (its registry). */
  snapshot(tools: readonly AgentToolInfo[]): PolicySnapshot;
}

function buildPathContext(o: PolicyEngineOptions): ProtectionModel {
  const sp = o.config.sandbox.sensitivePaths;
  return compileProtection(
    {
      workspace: resolve(o.workspace),
      home: o.home,
      sensitive: {
        useDefaults: sp.useDefaults,
        additional: o.config.sensitiveAdditional,
        exceptions: sp.exceptions,
        appDirs: o.appDirs,
      },
      dotfiles: o.config.dotfiles,
    },
    { replayOnly: o.replayOnly === true },
  );
}

function commandFallback(
  config: VtcodeConfig,
  permissions: PermissionSet,
): CommandContext['fallback'] {
  const tool = toolRule(config, permissions, 'exec_command');
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
  const permissions = compilePermissions(o.config, {
    workspace: paths.workspace,
    workspaceReal: paths.workspaceReal,
    home: o.home,
    caseInsensitive: paths.caseInsensitive,
  });
  const ctx: CommandContext = {
    parser: o.parser,
    rules: compileCommandRules(o.config),
    paths,
    fallback: commandFallback(o.config, permissions),
  };
  const cacheSize = o.cacheSize ?? 4096;
  const cache = new Map<string, CommandDecision>();

  const engine: PolicyEngine = {
    config: o.config,
    guard: paths,
    parser: o.parser,
    permissions,
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
      const m = permissions.path(
        op,
        lexicalPath(path, paths.workspace, o.home),
        decision.resolved ?? '',
      );
      if (m.deny)
        return {
          ...decision,
          decision: 'deny',
          reason: `denied by ${describeRule(m.deny)}`,
          rule: m.deny,
        };
      const toolName = op === 'read' ? 'read_file' : 'write_file';
      const tool = toolRule(o.config, permissions, toolName);
      // The guard's own prompt (a protected or secret file) is never loosened by a rule; an
      // explicit setting of the tool outranks a path rule's allow, not its ask.
      if (decision.decision === 'allow' && (tool.decision !== 'deny' || yieldsToPathRules(tool))) {
        if (m.ask)
          return {
            ...decision,
            decision: 'prompt',
            reason: `asks by ${describeRule(m.ask)}`,
            rule: m.ask,
          };
        if (m.allow && yieldsToPathRules(tool))
          return {
            ...decision,
            reason: `${decision.reason}; allowed by ${describeRule(m.allow)}`,
            rule: m.allow,
          };
      }
      const combined = stricter(decision.decision, tool.decision);
      if (combined === decision.decision) return decision;
      return {
        ...decision,
        decision: combined,
        reason: `${decision.reason}; ${toolReason(toolName, tool.decision, tool.rule)}`,
        rule: tool.rule,
      };
    },
    decideTool(tool) {
      const canonicalTool = canonicalToolName(tool);
      const { decision, rule } = toolRule(o.config, permissions, canonicalTool);
      const reason = toolReason(canonicalTool, decision, rule);
      return { kind: 'tool', tool, canonicalTool, decision, reason, rule };
    },
    decideUrl: (url) => withWebPolicy(decideUrl(permissions, url), decideWebUrl(o.config, url)),
    snapshot: (tools) => snapshotOf(o.config, permissions, o.workspace, tools),
  };
  return engine;
}

const PERMISSION_LIST = /^permissions\.(allow|ask|deny|auto)$/;

/**
 * A URL under `[permissions]` and the web host policy (`[tools.web_fetch]`, `[sandbox.network]`):
 * any deny wins; a `WebFetch(domain:...)` ask asks and its allow allows (the user named that
 * host for web_fetch); else the network policy says allow or ask, as it would for a command.
 */
function withWebPolicy(byRules: UrlDecision, web: WebVerdict): UrlDecision {
  if (byRules.decision === 'deny') return byRules;
  if (web.decision === 'deny') return { ...byRules, ...web };
  if (byRules.rule !== null) return byRules;
  return { ...byRules, ...web };
}

/** Decide a URL's host by the `WebFetch(domain:...)` rules; no rule: allow, the tool decides. */
function decideUrl(permissions: PermissionSet, url: string): UrlDecision {
  let host: string;
  try {
    host = new URL(url).hostname
      .toLowerCase()
      .replace(/^\[|\]$/g, '')
      .replace(/\.+$/, '');
  } catch {
    return { kind: 'url', decision: 'deny', url, host: null, reason: 'not a URL', rule: null };
  }
  const m = permissions.host(host);
  const base = { kind: 'url' as const, url, host };
  if (m.deny)
    return {
      ...base,
      decision: 'deny',
      reason: `${host}: denied by ${describeRule(m.deny)}`,
      rule: m.deny,
    };
  if (m.ask)
    return {
      ...base,
      decision: 'prompt',
      reason: `${host}: asks by ${describeRule(m.ask)}`,
      rule: m.ask,
    };
  if (m.allow)
    return {
      ...base,
      decision: 'allow',
      reason: `${host}: allowed by ${describeRule(m.allow)}`,
      rule: m.allow,
    };
  return { ...base, decision: 'allow', reason: `no [permissions] rule names ${host}`, rule: null };
}

/**
 * One matrix row per tool the agent has; `[tools.policies]` entries under another name (an older
 * spelling, or a tool this app does not have) are listed apart, saying what they apply to.
 */
function toolRows(
  config: VtcodeConfig,
  permissions: PermissionSet,
  tools: readonly AgentToolInfo[],
): Pick<PolicySnapshot['tools'], 'matrix' | 'otherEntries'> {
  const have = new Set(tools.map((t) => t.name));
  const matrix = tools.map(({ name: tool, summary, mcp }) => {
    const own = config.tools.policies.get(tool);
    const { decision, rule } = toolRule(config, permissions, tool);
    const list = rule.kind === 'permission' ? PERMISSION_LIST.exec(rule.section)?.[1] : undefined;
    return {
      tool,
      summary,
      aliases: [...(TOOL_ALIASES[tool as keyof typeof TOOL_ALIASES] ?? [])],
      decision,
      source: rule.source,
      key: own?.key ?? null,
      permission: list
        ? { list: list as 'allow' | 'ask' | 'deny' | 'auto', entry: rule.entry }
        : null,
      mcp: mcp ?? null,
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
  permissions: PermissionSet,
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
      ...toolRows(config, permissions, tools),
    },
    commands,
    permissions: permissionEntries(config),
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
