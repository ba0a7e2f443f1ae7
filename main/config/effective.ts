import type {
  AgentSettings,
  ConfigIssue,
  ContextSettings,
  Decision,
  PolicySnapshot,
  Provenance,
  PtySettings,
  SandboxSettings,
  TimeoutSettings,
} from '../../shared/domain/policy';
import { COMMAND_LIST_KEYS, splitHostEntry, type CommandListKey } from './key-specs';
import type { ConfigLayerData, LayerValue } from './layer';
import { mcpSettings, type McpSettings } from './mcp-settings';
import { guardWorkspaceSandbox, SANDBOX_DEFAULTS, SANDBOX_GUARDED_KEYS } from './sandbox-guard';

/** A value and where it came from. */
export interface Sourced<T> {
  readonly value: T;
  readonly source: Provenance;
  /** The key as written (may be an older alias); null for built-in defaults. */
  readonly key: string | null;
  readonly line: number | null;
}

/** One entry of a list such as `[commands] deny_glob`, with its file. */
export interface ListEntry {
  readonly entry: string;
  readonly source: Provenance;
}

/** The effective vtcode.toml: user file, then workspace file (or `--config`), then defaults. */
export interface VtcodeConfig {
  readonly tools: {
    readonly defaultPolicy: Sourced<Decision>;
    readonly maxToolLoops: Sourced<number>;
    /** Keyed by app tool name (aliases already mapped). */
    readonly policies: ReadonlyMap<string, Sourced<Decision>>;
  };
  readonly commands: Readonly<Record<CommandListKey, readonly ListEntry[]>>;
  readonly permissions: {
    readonly allow: readonly ListEntry[];
    readonly ask: readonly ListEntry[];
    readonly deny: readonly ListEntry[];
    /** VT Code's `auto` rules (classifier review): asked here, never allowed. */
    readonly auto: readonly ListEntry[];
  };
  readonly humanInTheLoop: Sourced<boolean>;
  /** VT Code's `[permissions]` audit keys: what the activity log records, and where. */
  readonly audit: AuditSettings;
  readonly sandbox: SandboxSettings;
  /** VT Code's `[tools.web_fetch]`: which hosts web_fetch may reach besides the network policy. */
  readonly webFetch: WebFetchSettings;
  /** VT Code's `[mcp]`: servers from every file, each with the file that declared it. */
  readonly mcp: McpSettings;
  /** Sensitive paths added by config, with the file each came from. */
  readonly sensitiveAdditional: readonly ListEntry[];
  /**
   * VT Code's `[dotfile_protection]`: `whitelist` (user file only) makes listed auto-run files
   * writable to commands (tools still ask); `additional_protected_patterns` protects more.
   */
  readonly dotfiles: {
    readonly whitelist: readonly string[];
    readonly additional: readonly string[];
  };
  readonly timeouts: TimeoutSettings;
  readonly pty: PtySettings;
  readonly agent: AgentSettings;
  /** Which file set `[agent] provider` and `default_model` (or the default, when neither did). */
  readonly agentSources: { readonly provider: Provenance; readonly defaultModel: Provenance };
  readonly context: ContextSettings;
  readonly files: PolicySnapshot['files'];
  readonly issues: readonly ConfigIssue[];
  /**
   * Whether the workspace's folder is trusted: `trusted`, `read_only` (chosen), or `unasked`
   * (treated as read_only). Untrusted, the workspace file only tightens and nothing writes.
   */
  readonly trust: 'trusted' | 'read_only' | 'unasked';
  /** The loosest sandbox mode and network policy a workspace file may set (the user file's). */
  readonly workspaceCeiling: { readonly mode: string; readonly network: string };
  /** The files as read, lowest precedence first: the values each file set, winners or not. */
  readonly layers: readonly ConfigLayerData[];
  /** What became of every value of every file, in merge order (`policy explain` tells it). */
  readonly trail: readonly TrailEvent[];
}

/**
 * One file's value of one key and what the merge did with it: `set` (it took the key; a later
 * file may take it again), `joined` (added to a list every file adds to), `ignored` (not taken:
 * `why` says why) or `trimmed` (taken in part: `value` is what was taken).
 */
export interface TrailEvent {
  /** The canonical key (`tools.policies.exec_command`, `sandbox.default_policy`). */
  readonly key: string;
  readonly source: Provenance;
  /** The key as the file writes it (an older spelling, an alias of the tool). */
  readonly writtenKey: string;
  readonly line: number | null;
  readonly value: unknown;
  readonly outcome: 'set' | 'joined' | 'ignored' | 'trimmed';
  readonly why: string | null;
}

/** `[tools.web_fetch]`: `whitelist` fetches only allowed_domains; blocked ones never. */
export interface WebFetchSettings {
  readonly mode: 'restricted' | 'whitelist';
  readonly allowedDomains: readonly string[];
  readonly blockedDomains: readonly ListEntry[];
  readonly blockedPatterns: readonly ListEntry[];
  readonly strictHttpsOnly: boolean;
}

/** `[permissions] audit_*` and `log_*`: all on by default, as in VT Code. */
export interface AuditSettings {
  readonly enabled: boolean;
  /** From the user file only (a workspace file cannot send the log elsewhere); null: beside the sessions. */
  readonly directory: string | null;
  readonly logAllowed: boolean;
  readonly logDenied: boolean;
  readonly logPrompts: boolean;
}

// A workspace file may turn audit logging on, never off: a repository cannot hide what ran.
const AUDIT_SWITCHES = new Set([
  'tools.web_fetch.strict_https_only',
  'permissions.audit_enabled',
  'permissions.log_allowed_commands',
  'permissions.log_denied_commands',
  'permissions.log_permission_prompts',
]);

/** How to merge: the workspace folder's trust (undefined: no trust model, as in library use). */
export interface MergeOptions {
  readonly trust?: 'trusted' | 'read_only' | null;
}

const DEFAULT: Provenance = { layer: 'default', file: null };

// Lists that only add protection are joined across files, so a workspace file cannot remove
// the user's denials (or the questions the user wants asked); every other key is overridden
// key by key.
const UNION_KEYS = new Set([
  'commands.deny_list',
  'commands.deny_glob',
  'commands.deny_regex',
  'permissions.deny',
  'permissions.ask',
  'permissions.auto',
  'sandbox.network.denylist',
  'tools.web_fetch.blocked_domains',
  'tools.web_fetch.blocked_patterns',
  'sandbox.sensitive_paths.additional',
  'dotfile_protection.additional_protected_patterns',
]);
// Keys that weaken protection of the user's own secrets are not taken from a workspace file;
// sandbox mode, network and allowlist are taken from it only to tighten (sandbox-guard.ts).
// A workspace file comes with a cloned repository: it may not touch credentials either.
const USER_ONLY_KEYS: ReadonlyMap<string, string> = new Map([
  [
    'sandbox.sensitive_paths.use_defaults',
    'ignored in a workspace file: only the user file may weaken sensitive-path protection',
  ],
  [
    'sandbox.sensitive_paths.exceptions',
    'ignored in a workspace file: only the user file may weaken sensitive-path protection',
  ],
  [
    'agent.api_key_env',
    'ignored in a workspace file: only the user file may choose which environment variable is sent as an API key',
  ],
  [
    'permissions.audit_directory',
    'ignored in a workspace file: only the user file may choose where the activity log is written',
  ],
  [
    'dotfile_protection.whitelist',
    'ignored in a workspace file: only the user file may let commands write an auto-run file',
  ],
]);

/** Merge validated layers (lowest precedence first) into the effective config. */
export function mergeLayers(
  layers: readonly ConfigLayerData[],
  options: MergeOptions = {},
): VtcodeConfig {
  const trust = options.trust === undefined ? 'trusted' : (options.trust ?? 'unasked');
  // A trusted folder works out of the box: commands may write inside it (network still off).
  const sandboxDefault = options.trust === 'trusted' ? 'workspace_write' : 'read_only';
  const defaults: Record<string, unknown> = {
    ...SANDBOX_DEFAULTS,
    'sandbox.default_policy': sandboxDefault,
  };
  const winners = new Map<string, { v: LayerValue; source: Provenance }>();
  const unions = new Map<string, ListEntry[]>();
  const issues: ConfigIssue[] = [];
  const trail: TrailEvent[] = [];
  for (const layer of layers) {
    issues.push(...layer.issues);
    const source: Provenance = { layer: layer.source.layer, file: layer.source.file };
    const note = (
      key: string,
      v: LayerValue,
      outcome: TrailEvent['outcome'],
      why: string | null = null,
    ): void => {
      trail.push({
        key,
        source,
        writtenKey: v.writtenKey,
        line: v.line,
        value: v.value,
        outcome,
        why,
      });
    };
    for (const [key, original] of layer.values) {
      let v = original;
      let trimmed = false;
      if (layer.source.layer === 'workspace' && trust !== 'trusted') {
        const below = winners.get(key)?.v.value ?? TIGHTEN_DEFAULTS[key];
        if (!tightens(key, v.value, below)) {
          issues.push({
            file: layer.source.file,
            key: v.writtenKey,
            line: v.line,
            column: null,
            message: UNTRUSTED_WHY,
            severity: 'warning',
          });
          note(key, v, 'ignored', UNTRUSTED_WHY);
          continue;
        }
      }
      if (SANDBOX_GUARDED_KEYS.has(key) && layer.source.layer === 'workspace') {
        const below = winners.get(key);
        const guarded = guardWorkspaceSandbox(
          key,
          v,
          below ? below.v.value : defaults[key],
          below ? (below.source.file ?? 'the user config') : 'the built-in default',
          layer.source.file,
        );
        if (guarded.issue) issues.push(guarded.issue);
        if (!guarded.keep) {
          note(key, v, 'ignored', guarded.issue?.message ?? null);
          continue;
        }
        if (guarded.issue) {
          note(key, guarded.keep, 'trimmed', guarded.issue.message);
          trimmed = true;
        }
        v = guarded.keep;
      }
      if (AUDIT_SWITCHES.has(key) && layer.source.layer === 'workspace' && v.value === false) {
        issues.push({
          file: layer.source.file,
          key: v.writtenKey,
          line: v.line,
          column: null,
          message: AUDIT_OFF_WHY,
          severity: 'warning',
        });
        note(key, v, 'ignored', AUDIT_OFF_WHY);
        continue;
      }
      const userOnly = USER_ONLY_KEYS.get(key);
      if (userOnly !== undefined && layer.source.layer === 'workspace') {
        issues.push({
          file: layer.source.file,
          key: v.writtenKey,
          line: v.line,
          column: null,
          message: userOnly,
          severity: 'warning',
        });
        note(key, v, 'ignored', userOnly);
        continue;
      }
      if (UNION_KEYS.has(key)) {
        const list = unions.get(key) ?? [];
        for (const entry of v.value as string[]) list.push({ entry, source });
        unions.set(key, list);
        note(key, v, 'joined');
      } else {
        winners.set(key, { v, source });
        // A trimmed value was noted above with what was taken.
        if (!trimmed) note(key, v, 'set');
      }
    }
  }
  const pick = <T>(key: string, fallback: T): Sourced<T> => {
    const w = winners.get(key);
    return w
      ? { value: w.v.value as T, source: w.source, key: w.v.writtenKey, line: w.v.line }
      : { value: fallback, source: DEFAULT, key: null, line: null };
  };
  const val = <T>(key: string, fallback: T): T => pick(key, fallback).value;
  // What the files below the workspace's say (the user file, --config), else the default.
  const belowWorkspace = (key: string, fallback: string): string => {
    let value = fallback;
    for (const layer of layers) {
      if (layer.source.layer === 'workspace') continue;
      const v = layer.values.get(key);
      if (v && typeof v.value === 'string') value = v.value;
    }
    return value;
  };
  const list = (key: string): ListEntry[] => {
    if (UNION_KEYS.has(key)) return unions.get(key) ?? [];
    const w = winners.get(key);
    return w ? (w.v.value as string[]).map((entry) => ({ entry, source: w.source })) : [];
  };
  const nullable = <T>(key: string): T | null => val<T | null>(key, null);

  const policies = new Map<string, Sourced<Decision>>();
  for (const key of winners.keys()) {
    if (key.startsWith('tools.policies.'))
      policies.set(key.slice('tools.policies.'.length), pick<Decision>(key, 'prompt'));
  }
  const commands = Object.fromEntries(
    COMMAND_LIST_KEYS.map((k) => [k, list(`commands.${k}`)]),
  ) as Record<CommandListKey, ListEntry[]>;
  const sensitiveAdditional = list('sandbox.sensitive_paths.additional');

  return {
    tools: {
      defaultPolicy: pick<Decision>('tools.default_policy', 'prompt'),
      maxToolLoops: pick('tools.max_tool_loops', 40),
      policies,
    },
    commands,
    permissions: {
      allow: list('permissions.allow'),
      ask: list('permissions.ask'),
      deny: list('permissions.deny'),
      auto: list('permissions.auto'),
    },
    humanInTheLoop: pick('security.human_in_the_loop', true),
    audit: {
      enabled: val('permissions.audit_enabled', true),
      directory: nullable('permissions.audit_directory'),
      logAllowed: val('permissions.log_allowed_commands', true),
      logDenied: val('permissions.log_denied_commands', true),
      logPrompts: val('permissions.log_permission_prompts', true),
    },
    sandbox: {
      enabled: val('sandbox.enabled', false),
      // Untrusted, commands are read-only whatever the files say.
      defaultPolicy:
        trust === 'trusted' ? val('sandbox.default_policy', sandboxDefault) : 'read_only',
      network: {
        policy: val('sandbox.network.policy', 'allowlist_only'),
        allowlist: val('sandbox.network.allowlist', []),
        allowlistSource: pick('sandbox.network.allowlist', []).source,
        denylist: list('sandbox.network.denylist').map((e) => ({
          ...splitHostEntry(e.entry),
          source: e.source,
        })),
      },
      sensitivePaths: {
        useDefaults: val('sandbox.sensitive_paths.use_defaults', true),
        additional: sensitiveAdditional.map((e) => e.entry),
        exceptions: val('sandbox.sensitive_paths.exceptions', []),
      },
      resourceLimits: {
        preset: val('sandbox.resource_limits.preset', 'moderate'),
        maxMemoryMb: val('sandbox.resource_limits.max_memory_mb', 0),
        maxPids: val('sandbox.resource_limits.max_pids', 0),
        timeoutSecs: val('sandbox.resource_limits.timeout_secs', 0),
      },
    },
    mcp: mcpSettings(layers),
    webFetch: {
      mode: val<'restricted' | 'whitelist'>('tools.web_fetch.mode', 'restricted'),
      allowedDomains: val<string[]>('tools.web_fetch.allowed_domains', []),
      blockedDomains: list('tools.web_fetch.blocked_domains'),
      blockedPatterns: list('tools.web_fetch.blocked_patterns'),
      strictHttpsOnly: val('tools.web_fetch.strict_https_only', false),
    },
    sensitiveAdditional,
    dotfiles: {
      whitelist: list('dotfile_protection.whitelist').map((e) => e.entry),
      additional: list('dotfile_protection.additional_protected_patterns').map((e) => e.entry),
    },
    timeouts: {
      defaultCeilingSeconds: val('timeouts.default_ceiling_seconds', 180),
      ptyCeilingSeconds: val('timeouts.pty_ceiling_seconds', 300),
      streamingCeilingSeconds: val('timeouts.streaming_ceiling_seconds', 600),
    },
    pty: {
      enabled: val('pty.enabled', true),
      defaultRows: val('pty.default_rows', 24),
      defaultCols: val('pty.default_cols', 80),
      maxSessions: val('pty.max_sessions', 10),
      commandTimeoutSeconds: val('pty.command_timeout_seconds', 300),
      maxScrollbackBytes: val('pty.max_scrollback_bytes', 25_000_000),
    },
    agent: {
      provider: nullable('agent.provider'),
      defaultModel: nullable('agent.default_model'),
      apiKeyEnv: nullable('agent.api_key_env'),
      reasoningEffort: nullable('agent.reasoning_effort'),
      temperature: nullable('agent.temperature'),
      defaultPrimaryAgent: nullable('agent.default_primary_agent'),
    },
    agentSources: {
      provider: pick('agent.provider', null).source,
      defaultModel: pick('agent.default_model', null).source,
    },
    context: {
      maxContextTokens: nullable('context.max_context_tokens'),
      trimToPercent: nullable('context.trim_to_percent'),
      preserveRecentTurns: nullable('context.preserve_recent_turns'),
    },
    files: layers.map((l) => ({
      layer: l.source.layer,
      path: l.source.file,
      exists: true,
      valid: l.valid,
    })),
    issues,
    trust,
    workspaceCeiling: {
      // A workspace file never sets more than workspace_write, whatever the user file allows.
      mode:
        trust === 'trusted' &&
        belowWorkspace('sandbox.default_policy', sandboxDefault) !== 'read_only'
          ? 'workspace_write'
          : 'read_only',
      network: belowWorkspace('sandbox.network.policy', 'allowlist_only'),
    },
    layers,
    trail,
  };
}

const AUDIT_OFF_WHY =
  'ignored in a workspace file: only the user file may turn activity logging off';

const UNTRUSTED_WHY =
  'ignored: this folder is open read-only (not trusted), so only rules that tighten apply; trust the folder to use its vtcode.toml';

const RANK: Readonly<Record<string, number>> = { allow: 0, prompt: 1, deny: 2 };

/** What an untrusted workspace file is compared with when no file below sets the key. */
const TIGHTEN_DEFAULTS: Readonly<Record<string, unknown>> = {
  'tools.default_policy': 'prompt',
  'security.human_in_the_loop': true,
};

/**
 * Whether a workspace value only tightens what is below it: deny lists and sensitive paths add
 * protection, `ask` rules ask more, a stricter tool decision, human_in_the_loop on. The sandbox
 * keys have their own guard (sandbox-guard.ts) and the sandbox is read-only anyway.
 */
function tightens(key: string, value: unknown, below: unknown): boolean {
  if (UNION_KEYS.has(key) || SANDBOX_GUARDED_KEYS.has(key)) return true;
  if (key === 'security.human_in_the_loop' || AUDIT_SWITCHES.has(key)) return value === true;
  if (key === 'tools.default_policy' || key.startsWith('tools.policies.')) {
    const floor = typeof below === 'string' ? below : 'prompt';
    return (RANK[typeof value === 'string' ? value : ''] ?? -1) >= (RANK[floor] ?? 3);
  }
  return false;
}

/** The settings the sandbox runner consumes: `[sandbox]`, `[timeouts]`, `[pty]`. */
export interface RunnerSettings {
  readonly sandbox: SandboxSettings;
  readonly timeouts: TimeoutSettings;
  readonly pty: PtySettings;
}

/** Pick the runner's settings out of an effective config. */
export function runnerSettings(config: VtcodeConfig): RunnerSettings {
  return { sandbox: config.sandbox, timeouts: config.timeouts, pty: config.pty };
}
