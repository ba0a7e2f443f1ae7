import type { AgentMode, SessionGrant } from '../../shared/domain/agent';
import { modeFromPrimaryAgent } from '../../shared/domain/agent';
import type { AgentToolInfo, Decision } from '../../shared/domain/policy';
import type {
  EffectiveEntry,
  ExplainSource,
  PolicyExplain,
} from '../../shared/domain/policy-explain';
import { applyMode, EDIT_TOOLS } from '../agent/loop/modes';
import type { VtcodeConfig } from '../config/effective';
import type { PermissionSet } from './permission-rules';
import { toolRule } from './tool-rule';
import { DEFAULT_SOURCE, fromProvenance, history, show, sourceOf } from './explain-values';
import { explainRules } from './explain-rules';
import { canonicalToolName, SHELL_TOOLS } from './tool-names';

/** What to explain besides the config: the agent's tools, and the session's mode and grants. */
export interface ExplainOptions {
  readonly tools: readonly AgentToolInfo[];
  /** The mode asked about; absent: the configured default (`[agent] default_primary_agent`). */
  readonly mode?: AgentMode | undefined;
  readonly sessionId?: string | null;
  readonly grants?: readonly SessionGrant[];
  /** The engine's `[permissions]` rules: a tool named there is decided with them. */
  readonly permissions?: PermissionSet | null;
}

const MODE_NAME: Readonly<Record<AgentMode, string>> = {
  plan: 'plan',
  ask: 'ask',
  auto_edit: 'auto-edit',
  full_auto: 'full-auto',
};

const IN_WORDS: Readonly<Record<Decision, string>> = {
  allow: 'allowed without asking',
  prompt: 'asks first',
  deny: 'denied',
};

/** What the mode makes of a tool's decision, in words; null when it changes nothing. */
function modeChange(mode: AgentMode, tool: string, value: Decision): EffectiveEntry['changes'] {
  const command = SHELL_TOOLS.has(tool);
  const after = applyMode(
    mode,
    tool,
    { decision: value, reason: '', rule: null },
    command,
  ).decision;
  const name = `${MODE_NAME[mode]} mode`;
  if (mode === 'plan' && command)
    return [
      {
        by: 'mode',
        value: after,
        what: `${name}: commands no rule allows are denied instead of asked about, and commands run read-only`,
      },
    ];
  if (after === value) return [];
  const why =
    mode === 'plan' && EDIT_TOOLS.has(tool)
      ? ' (the agent reads and plans, it does not change files)'
      : after === 'allow'
        ? ' (protected and secret files still ask)'
        : '';
  return [{ by: 'mode', value: after, what: `${name}: ${tool} ${IN_WORDS[after]}${why}` }];
}

function toolEntry(
  config: VtcodeConfig,
  permissions: PermissionSet | null,
  tool: string,
  mode: AgentMode,
  grants: readonly SessionGrant[],
): EffectiveEntry {
  const { decision, rule } = toolRule(config, permissions, tool);
  const own = config.tools.policies.get(tool);
  const h = history(config, `tools.policies.${tool}`);
  const source: ExplainSource = own
    ? { layer: own.source.layer, file: own.source.file, key: own.key, line: own.line }
    : rule.kind === 'default_policy'
      ? {
          ...fromProvenance(rule.source, config.tools.defaultPolicy.key),
          line: config.tools.defaultPolicy.line,
        }
      : DEFAULT_SOURCE;
  const granted = grants
    .filter((g) => canonicalToolName(g.tool) === tool)
    .map((g) => ({
      by: 'grant' as const,
      value: 'allow',
      what: `session grant: ${g.text}${g.covers.length > 0 ? ` (${g.covers.join('; ')})` : ''}`,
    }));
  return {
    id: `tool:${tool}`,
    kind: 'tool',
    name: tool,
    value: decision,
    source,
    entries: [],
    overrode: h.overrode,
    ignored: h.ignored,
    changes: [...modeChange(mode, tool, decision), ...granted],
  };
}

/** The mode itself: asked for, or `[agent] default_primary_agent` (or the built-in ask). */
function modeEntry(config: VtcodeConfig, mode: AgentMode, asked: boolean): EffectiveEntry {
  const h = history(config, 'agent.default_primary_agent');
  const configured = h.winner ? sourceOf(h.winner) : DEFAULT_SOURCE;
  const fromConfig = modeFromPrimaryAgent(config.agent.defaultPrimaryAgent);
  return {
    id: 'setting:mode',
    kind: 'setting',
    name: 'mode',
    value: mode,
    source: asked ? { layer: 'mode', file: null, key: null, line: null } : configured,
    entries: [],
    overrode:
      asked && fromConfig !== mode
        ? [
            {
              value: `${fromConfig} (${show(config.agent.defaultPrimaryAgent ?? 'ask')})`,
              source: configured,
            },
          ]
        : h.overrode,
    ignored: h.ignored,
    changes: [],
  };
}

/**
 * The effective policy: one entry per tool the agent has and per setting or rule list, each with
 * the value in force, the layer that set it, what it replaced, what was ignored and why, and what
 * the mode and the session's grants change.
 */
export function explainPolicy(config: VtcodeConfig, options: ExplainOptions): PolicyExplain {
  const asked = options.mode !== undefined;
  const mode = options.mode ?? modeFromPrimaryAgent(config.agent.defaultPrimaryAgent);
  const grants = options.grants ?? [];
  const rules = explainRules(config).map((entry) =>
    entry.name === 'sandbox.default_policy' && mode === 'plan' && entry.value !== 'read_only'
      ? {
          ...entry,
          changes: [
            { by: 'mode' as const, value: 'read_only', what: 'plan mode: commands run read-only' },
          ],
        }
      : entry,
  );
  return {
    mode,
    modeFrom: asked ? 'request' : 'default',
    sessionId: options.sessionId ?? null,
    grants: [...grants],
    tools: options.tools.map((t) =>
      toolEntry(config, options.permissions ?? null, t.name, mode, grants),
    ),
    rules: [modeEntry(config, mode, asked), ...rules],
  };
}
