import { z } from 'zod';

/** What the policy says about one action: run it, ask the human, or refuse. */
export const decisionSchema = z.enum(['allow', 'prompt', 'deny']);
export type Decision = z.infer<typeof decisionSchema>;

/** Which layer a setting came from: the workspace file, the user file, `--config`, or built in. */
export const configLayerSchema = z.enum(['workspace', 'user', 'explicit', 'default']);
export type ConfigLayer = z.infer<typeof configLayerSchema>;

/** Where a value came from: the layer and its file (null for built-in defaults). */
export const provenanceSchema = z.object({
  layer: configLayerSchema,
  file: z.string().nullable(),
});
export type Provenance = z.infer<typeof provenanceSchema>;

/** The kinds of rule that can decide a command, a path or a tool call. */
export const ruleKindSchema = z.enum([
  'deny_list',
  'deny_glob',
  'deny_regex',
  'allow_list',
  'allow_glob',
  'allow_regex',
  'approval_prefixes',
  'tool_policy',
  'default_policy',
  'human_in_the_loop',
  'builtin',
  'sensitive_path',
  'workspace_boundary',
  /** A `[permissions]` allow / ask / deny rule string (section `permissions.allow` ...). */
  'permission',
]);
export type RuleKind = z.infer<typeof ruleKindSchema>;

/** The rule that decided something: "denied by deny_glob `rm *` in vtcode.toml [commands]". */
export const ruleRefSchema = z.object({
  kind: ruleKindSchema,
  /** The entry as written (a command prefix, glob, regex, tool name or path). */
  entry: z.string(),
  /** TOML section, e.g. `commands`, `tools.policies`, `sandbox.sensitive_paths`; `builtin` when none. */
  section: z.string(),
  source: provenanceSchema,
});
export type RuleRef = z.infer<typeof ruleRefSchema>;

/** One simple command found inside a command line, decided on its own. */
export const commandPartSchema = z.object({
  /** The command as the shell would run it: quotes removed, wrappers and /usr/bin/ stripped. */
  command: z.string(),
  /** The words of `command`. */
  argv: z.array(z.string()),
  /** The source text of this part. */
  text: z.string(),
  decision: decisionSchema,
  reason: z.string(),
  rule: ruleRefSchema.nullable(),
});
export type CommandPart = z.infer<typeof commandPartSchema>;

export const commandDecisionSchema = z.object({
  kind: z.literal('command'),
  decision: decisionSchema,
  parts: z.array(commandPartSchema),
  reason: z.string(),
});
export type CommandDecision = z.infer<typeof commandDecisionSchema>;

export const pathOpSchema = z.enum(['read', 'write']);
export type PathOp = z.infer<typeof pathOpSchema>;

export const pathDecisionSchema = z.object({
  kind: z.literal('path'),
  decision: decisionSchema,
  op: pathOpSchema,
  /** The path as given. */
  path: z.string(),
  /** Absolute path after symlinks were followed (nearest existing parent for new files). */
  resolved: z.string().nullable(),
  reason: z.string(),
  rule: ruleRefSchema.nullable(),
});
export type PathDecision = z.infer<typeof pathDecisionSchema>;

export const toolDecisionSchema = z.object({
  kind: z.literal('tool'),
  decision: decisionSchema,
  /** The tool name as asked, and the app tool it maps to. */
  tool: z.string(),
  canonicalTool: z.string(),
  reason: z.string(),
  rule: ruleRefSchema.nullable(),
});
export type ToolDecision = z.infer<typeof toolDecisionSchema>;

/** A web request's host decided by `[permissions]` `WebFetch(domain:...)` rules. */
export const urlDecisionSchema = z.object({
  kind: z.literal('url'),
  decision: decisionSchema,
  url: z.string(),
  /** Lower-case host name; null when the URL could not be read. */
  host: z.string().nullable(),
  reason: z.string(),
  /** The rule that decided; null when no rule names the host (the tool's own decision stands). */
  rule: ruleRefSchema.nullable(),
});
export type UrlDecision = z.infer<typeof urlDecisionSchema>;

export const policyDecisionSchema = z.discriminatedUnion('kind', [
  commandDecisionSchema,
  pathDecisionSchema,
  toolDecisionSchema,
]);
export type PolicyDecision = z.infer<typeof policyDecisionSchema>;

/** What an MCP server says of one of its tools (the matrix shows it on request). */
export const mcpToolDetailSchema = z.object({
  server: z.string(),
  /** The tool's name on its server. */
  tool: z.string(),
  description: z.string(),
  /** Its arguments' JSON Schema, pretty-printed as the server sent it. */
  inputSchema: z.string(),
});
export type McpToolDetail = z.infer<typeof mcpToolDetailSchema>;

/** A tool the agent has, as the main process's tool registry lists it. */
export const agentToolInfoSchema = z.object({
  name: z.string(),
  /** One line for people: what the tool does. */
  summary: z.string(),
  /** Set for a tool of an MCP server (`mcp__server__tool`). */
  mcp: mcpToolDetailSchema.optional(),
});
export type AgentToolInfo = z.infer<typeof agentToolInfoSchema>;

/** One row of the per-tool matrix the settings screen shows: one per tool the agent has. */
export const toolPolicyRowSchema = z.object({
  tool: z.string(),
  /** What the tool does, in one line (from the tool registry). */
  summary: z.string().default(''),
  /** Older VT Code names that map onto this tool. */
  aliases: z.array(z.string()),
  decision: decisionSchema,
  /** Where the decision came from; `default` means `[tools] default_policy` or the built-in. */
  source: provenanceSchema,
  /** The key as written in the file (may be an alias), null when it came from default_policy. */
  key: z.string().nullable(),
  /**
   * The `[permissions]` rule that decides this tool over `[tools.policies]` (deny, then ask,
   * then allow over both); `source` is then that rule's file. Null when none does.
   */
  permission: z
    .object({ list: z.enum(['allow', 'ask', 'deny', 'auto']), entry: z.string() })
    .nullish(),
  /** A tool of an MCP server: which server, and what it says of itself. */
  mcp: mcpToolDetailSchema.nullish(),
});
export type ToolPolicyRow = z.infer<typeof toolPolicyRowSchema>;

/**
 * A `[tools.policies]` entry that is not a row of its own: an older name of a tool the agent has
 * (it applies to that tool's row) or a name of no tool this app has (it changes nothing).
 */
export const otherToolEntrySchema = z.object({
  /** The name as written in the file. */
  name: z.string(),
  decision: decisionSchema,
  source: provenanceSchema,
  /** The agent's tool this name means; null when this app has no such tool. */
  aliasOf: z.string().nullable(),
});
export type OtherToolEntry = z.infer<typeof otherToolEntrySchema>;

/** One entry of a `[commands]` list with the file it came from. */
export const commandRuleSchema = z.object({
  kind: ruleKindSchema,
  entry: z.string(),
  source: provenanceSchema,
});
export type CommandRule = z.infer<typeof commandRuleSchema>;

/** One `[permissions]` rule string with its list and file, and why it is ignored if it is. */
export const permissionEntrySchema = z.object({
  /** `auto` (VT Code's classifier review) is read as `ask`. */
  list: z.enum(['allow', 'ask', 'deny', 'auto']),
  entry: z.string(),
  source: provenanceSchema,
  /** Why the rule does nothing (it does not parse), or a warning about it; null when fine. */
  problem: z.string().nullable(),
  /** True when `problem` means the rule is ignored. */
  ignored: z.boolean(),
});
export type PermissionEntry = z.infer<typeof permissionEntrySchema>;

/** A problem in a config file: bad TOML, a wrong type, an unknown decision word, a bad regex. */
export const configIssueSchema = z.object({
  file: z.string(),
  /** Dotted key path such as `commands.deny_regex[2]`; null for whole-file problems. */
  key: z.string().nullable(),
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
  message: z.string(),
  severity: z.enum(['error', 'warning']),
});
export type ConfigIssue = z.infer<typeof configIssueSchema>;

export const sandboxPolicySchema = z.enum([
  'read_only',
  'workspace_write',
  'danger_full_access',
  'external',
]);
export type SandboxPolicy = z.infer<typeof sandboxPolicySchema>;

export const networkPolicySchema = z.enum(['allowlist_only', 'allow_all', 'block_all']);
export type NetworkPolicy = z.infer<typeof networkPolicySchema>;

export const networkAllowEntrySchema = z.object({
  domain: z.string(),
  port: z.number().int().min(1).max(65535),
});
export type NetworkAllowEntry = z.infer<typeof networkAllowEntrySchema>;

/**
 * One `[sandbox.network] denylist` entry (the app's own key; VT Code has no host denials): a host,
 * `*.example.com` or an IP literal, on one port or (none) every port, with the file it came from.
 * The lists of the user and workspace files are joined: a workspace file may add denials.
 */
export const networkDenyEntrySchema = z.object({
  domain: z.string(),
  port: z.number().int().min(1).max(65535).optional(),
  source: provenanceSchema,
});
export type NetworkDenyEntry = z.infer<typeof networkDenyEntrySchema>;

/** `[sandbox]`, `[sandbox.network]`, `[sandbox.sensitive_paths]`, `[sandbox.resource_limits]`. */
export const sandboxSettingsSchema = z.object({
  enabled: z.boolean(),
  defaultPolicy: sandboxPolicySchema,
  network: z.object({
    policy: networkPolicySchema,
    allowlist: z.array(networkAllowEntrySchema),
    /** The file the allow-list in force comes from (the lists of two files are not joined). */
    allowlistSource: provenanceSchema.optional(),
    denylist: z.array(networkDenyEntrySchema).default([]),
  }),
  sensitivePaths: z.object({
    useDefaults: z.boolean(),
    additional: z.array(z.string()),
    exceptions: z.array(z.string()),
  }),
  resourceLimits: z.object({
    preset: z.string(),
    maxMemoryMb: z.number().int().min(0),
    maxPids: z.number().int().min(0),
    timeoutSecs: z.number().int().min(0),
  }),
});
export type SandboxSettings = z.infer<typeof sandboxSettingsSchema>;

/** `[timeouts]`: ceilings in seconds (0 means no ceiling). */
export const timeoutSettingsSchema = z.object({
  defaultCeilingSeconds: z.number().int().min(0),
  ptyCeilingSeconds: z.number().int().min(0),
  streamingCeilingSeconds: z.number().int().min(0),
});
export type TimeoutSettings = z.infer<typeof timeoutSettingsSchema>;

/** `[pty]`. */
export const ptySettingsSchema = z.object({
  enabled: z.boolean(),
  defaultRows: z.number().int().min(1),
  defaultCols: z.number().int().min(1),
  maxSessions: z.number().int().min(1),
  commandTimeoutSeconds: z.number().int().min(0),
  maxScrollbackBytes: z.number().int().min(0),
});
export type PtySettings = z.infer<typeof ptySettingsSchema>;

/** `[agent]` keys this app honours. */
export const agentSettingsSchema = z.object({
  provider: z.string().nullable(),
  defaultModel: z.string().nullable(),
  apiKeyEnv: z.string().nullable(),
  reasoningEffort: z.string().nullable(),
  temperature: z.number().nullable(),
  /** VT Code's `default_primary_agent`: build, plan or auto (this app's ask, plan, full_auto). */
  defaultPrimaryAgent: z.string().nullable().default(null),
});
export type AgentSettings = z.infer<typeof agentSettingsSchema>;

/** `[context]`. */
export const contextSettingsSchema = z.object({
  maxContextTokens: z.number().int().min(0).nullable(),
  trimToPercent: z.number().int().min(0).max(100).nullable(),
  preserveRecentTurns: z.number().int().min(0).nullable(),
});
export type ContextSettings = z.infer<typeof contextSettingsSchema>;

/** Everything the policy screen shows: effective values, where each came from, and problems. */
export const policySnapshotSchema = z.object({
  workspace: z.string().nullable(),
  /** Files that were read, in order of precedence (lowest first). */
  files: z.array(
    z.object({
      layer: configLayerSchema,
      path: z.string(),
      exists: z.boolean(),
      valid: z.boolean(),
    }),
  ),
  tools: z.object({
    defaultPolicy: decisionSchema,
    defaultPolicySource: provenanceSchema,
    maxToolLoops: z.number().int(),
    matrix: z.array(toolPolicyRowSchema),
    /** `[tools.policies]` entries shown apart from the matrix (older names, unknown tools). */
    otherEntries: z.array(otherToolEntrySchema).default([]),
  }),
  commands: z.array(commandRuleSchema),
  /** `[permissions] allow / ask / deny` (and `auto`) rule strings of both files. */
  permissions: z.array(permissionEntrySchema).default([]),
  humanInTheLoop: z.boolean(),
  sandbox: sandboxSettingsSchema,
  timeouts: timeoutSettingsSchema,
  pty: ptySettingsSchema,
  issues: z.array(configIssueSchema),
  /** The workspace folder's trust: untrusted, its file only tightens and commands are read-only. */
  trust: z.enum(['trusted', 'read_only', 'unasked']).default('trusted'),
  /**
   * The loosest sandbox a workspace file may ask for: what the user file (or the built-in default)
   * says. Looser values are set in the user file.
   */
  workspaceCeiling: z
    .object({ mode: z.string(), network: z.string() })
    .default({ mode: 'read_only', network: 'allowlist_only' }),
  /** The mode new sessions start in (`[agent] default_primary_agent`). */
  defaultMode: z.enum(['plan', 'ask', 'auto_edit', 'full_auto']).default('ask'),
});
export type PolicySnapshot = z.infer<typeof policySnapshotSchema>;

/** Longest command line the policy decides (longer ones are never allowed); the UI shows all of it. */
export const MAX_COMMAND_LENGTH = 1_000_000;

/** Request to turn an approval into a permanent rule in the workspace vtcode.toml. */
export const alwaysAllowRequestSchema = z.object({
  command: z.string().min(1).max(MAX_COMMAND_LENGTH),
  scope: z.enum(['exact', 'subcommand']).default('exact'),
});
export type AlwaysAllowRequest = z.infer<typeof alwaysAllowRequestSchema>;

/** One rule "always allow" adds: the list, the entry exactly as saved, and what it covers. */
export const alwaysAllowRuleSchema = z.object({
  list: z.literal('allow_regex'),
  entry: z.string(),
  covers: z.string(),
});
export type AlwaysAllowRule = z.infer<typeof alwaysAllowRuleSchema>;

export const alwaysAllowResultSchema = z.object({
  list: z.literal('allow_regex'),
  /** Entries added to `[commands] allow_regex` (empty when all were already there). */
  added: z.array(z.string()),
  file: z.string(),
});
export type AlwaysAllowResult = z.infer<typeof alwaysAllowResultSchema>;

/**
 * Sandbox modes from tightest to loosest. `external` hands the command to a sandbox this app
 * cannot see, so it counts as looser than anything but danger_full_access.
 */
export const SANDBOX_MODE_RANK: Readonly<Record<string, number>> = {
  read_only: 0,
  workspace_write: 1,
  external: 2,
  danger_full_access: 3,
};

/** Network policies from tightest to loosest. */
export const NETWORK_POLICY_RANK: Readonly<Record<string, number>> = {
  block_all: 0,
  allowlist_only: 1,
  allow_all: 2,
};
