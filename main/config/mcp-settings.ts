import { mcpEnvNameSchema, mcpServerNameSchema } from '../../shared/domain/mcp';
import type { Provenance } from '../../shared/domain/policy';
import type { ParseResult } from './key-specs';
import type { ConfigLayerData } from './layer';

/*
 * VT Code's `[mcp]` keys. Servers come from every file (`[[mcp.providers]]`), each tagged with the
 * file that declared it: a workspace file's servers start only in a trusted folder and after the
 * user approved their exact command line (mcp-approvals.ts), and a workspace file cannot redefine
 * a server the user's file declares. `[mcp.requirements]` is read from the user's file only; a
 * workspace file may only tighten `[mcp.security.validation]` and may turn MCP off, never on.
 */

/** One `[[mcp.providers]]` entry. */
export interface McpProviderConfig {
  readonly name: string;
  /** stdio: the program; null for an HTTP server. */
  readonly command: string | null;
  readonly args: readonly string[];
  /** Plain variables from the file (not secrets: those come from the keychain). */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string | null;
  /** Streamable HTTP endpoint; null for a stdio server. */
  readonly url: string | null;
  readonly enabled: boolean;
  /** stdio: may it use the network (under the network policy)? Off unless the file says so. */
  readonly network: boolean;
  /** stdio: folders it may write (inside the workspace); none: read-only. */
  readonly writable: readonly string[];
  readonly source: Provenance;
}

export interface McpSettings {
  readonly enabled: boolean;
  readonly providers: readonly McpProviderConfig[];
  readonly requirements: {
    readonly enforce: boolean;
    readonly allowedStdioCommands: readonly string[];
    readonly allowedHttpEndpoints: readonly string[];
  };
  readonly validation: {
    /** Largest JSON of one call's arguments, in bytes. */
    readonly maxArgumentSize: number;
    /** Refuse arguments with `../` or `..\` in them. */
    readonly pathTraversalProtection: boolean;
  };
  readonly startupTimeoutMs: number;
  readonly toolTimeoutMs: number;
  /** What was wrong or left out, in words. */
  readonly issues: readonly string[];
}

const DEFAULT_MAX_ARGUMENT_SIZE = 1024 * 1024;

const ok = (value: unknown): ParseResult => ({ ok: true, value });
const bad = (message: string): ParseResult => ({ ok: false, message });

const isTable = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

const PROVIDER_KEYS = new Set([
  'name',
  'command',
  'args',
  'env',
  'cwd',
  'url',
  'enabled',
  'network',
  'writable',
  // VT Code keys this app does not use, accepted so a shared file stays valid.
  'max_concurrent_requests',
  'startup_timeout_ms',
  'transport',
  'headers',
]);

function stringList(raw: unknown, what: string): string[] | string {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.some((a) => typeof a !== 'string' || a.includes('\0')))
    return `${what} must be an array of strings`;
  return raw as string[];
}

/** Check one provider table; a message says what is wrong with it. */
function parseProvider(raw: unknown, index: number): Omit<McpProviderConfig, 'source'> | string {
  const at = `provider ${index + 1}`;
  if (!isTable(raw)) return `${at} must be a table`;
  // VT Code's older `transport = { type, command, args, url }` form is read as the flat keys.
  const t = isTable(raw.transport) ? raw.transport : {};
  const get = (key: string): unknown => raw[key] ?? t[key];
  const name = mcpServerNameSchema.safeParse(raw.name);
  if (!name.success) return `${at}: name ${name.error.issues[0]?.message ?? 'is invalid'}`;
  const label = `[[mcp.providers]] "${name.data}"`;
  const unknown = Object.keys(raw).filter((k) => !PROVIDER_KEYS.has(k));
  if (unknown.length > 0) return `${label}: unknown key ${unknown.map((k) => `"${k}"`).join(', ')}`;
  const command = get('command');
  const url = get('url');
  if ((command === undefined) === (url === undefined))
    return `${label}: give either command (a program to run) or url (a streamable HTTP endpoint)`;
  if (command !== undefined && (typeof command !== 'string' || command.trim() === ''))
    return `${label}: command must be a program name or path`;
  if (url !== undefined) {
    if (typeof url !== 'string') return `${label}: url must be a string`;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return `${label}: url is not a URL`;
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      return `${label}: url must be http:// or https://`;
    if (parsed.username || parsed.password)
      return `${label}: url must not carry credentials (store a secret for the server instead)`;
  }
  const args = stringList(get('args'), `${label}: args`);
  if (typeof args === 'string') return args;
  const writable = stringList(raw.writable, `${label}: writable`);
  if (typeof writable === 'string') return writable;
  const envRaw = get('env') ?? {};
  if (!isTable(envRaw)) return `${label}: env must be a table of NAME = "value"`;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(envRaw)) {
    if (!mcpEnvNameSchema.safeParse(k).success || typeof v !== 'string')
      return `${label}: env.${k} must be a variable name with a string value`;
    env[k] = v;
  }
  const cwd = get('cwd') ?? get('working_directory');
  if (cwd !== undefined && (typeof cwd !== 'string' || cwd === ''))
    return `${label}: cwd must be a folder path`;
  for (const key of ['enabled', 'network'] as const)
    if (raw[key] !== undefined && typeof raw[key] !== 'boolean')
      return `${label}: ${key} must be true or false`;
  return {
    name: name.data,
    command: typeof command === 'string' ? command : null,
    args,
    env,
    cwd: typeof cwd === 'string' ? cwd : null,
    url: typeof url === 'string' ? url : null,
    enabled: raw.enabled !== false,
    network: raw.network === true,
    writable,
  };
}

/** The key spec's validator for `mcp.providers`: every entry must be usable. */
export function parseProviders(raw: unknown): ParseResult {
  if (!Array.isArray(raw)) return bad('must be an array of tables ([[mcp.providers]])');
  const seen = new Set<string>();
  const out: Omit<McpProviderConfig, 'source'>[] = [];
  for (let i = 0; i < raw.length; i++) {
    const p = parseProvider(raw[i], i);
    if (typeof p === 'string') return bad(p);
    if (seen.has(p.name)) return bad(`two servers are named "${p.name}"`);
    seen.add(p.name);
    out.push(p);
  }
  return ok(out);
}

const value = <T>(layer: ConfigLayerData, key: string): T | undefined =>
  layer.values.get(key)?.value as T | undefined;

/** The `[mcp]` settings of a set of layers (lowest precedence first). */
export function mcpSettings(layers: readonly ConfigLayerData[]): McpSettings {
  const issues: string[] = [];
  const providers: McpProviderConfig[] = [];
  let enabled = true;
  let enforce = false;
  let stdio: readonly string[] = [];
  let http: readonly string[] = [];
  let maxArgumentSize = DEFAULT_MAX_ARGUMENT_SIZE;
  let traversal = true;
  let startup = 30_000;
  let tool = 120_000;
  for (const layer of layers) {
    const workspace = layer.source.layer === 'workspace';
    const source: Provenance = { layer: layer.source.layer, file: layer.source.file };
    const on = value<boolean>(layer, 'mcp.enabled');
    if (on !== undefined) {
      if (workspace && on && !enabled)
        issues.push(
          `${layer.source.file}: [mcp] enabled = true ignored (the user's file turns MCP off)`,
        );
      else enabled = on;
    }
    const size = value<number>(layer, 'mcp.security.validation.max_argument_size');
    if (size !== undefined) maxArgumentSize = workspace ? Math.min(size, maxArgumentSize) : size;
    const trav = value<boolean>(layer, 'mcp.security.validation.path_traversal_protection');
    if (trav !== undefined) traversal = workspace ? traversal || trav : trav;
    const s = value<number>(layer, 'mcp.startup_timeout_seconds');
    if (s !== undefined && !workspace) startup = s * 1000;
    const t = value<number>(layer, 'mcp.tool_timeout_seconds');
    if (t !== undefined && !workspace) tool = t * 1000;
    if (!workspace) {
      enforce = value<boolean>(layer, 'mcp.requirements.enforce') ?? enforce;
      stdio = value<string[]>(layer, 'mcp.requirements.allowed_stdio_commands') ?? stdio;
      http = value<string[]>(layer, 'mcp.requirements.allowed_http_endpoints') ?? http;
    } else if (layer.values.has('mcp.requirements.enforce')) {
      issues.push(`${layer.source.file}: [mcp.requirements] is read from the user's file only`);
    }
    for (const p of value<Omit<McpProviderConfig, 'source'>[]>(layer, 'mcp.providers') ?? []) {
      const at = providers.findIndex((q) => q.name === p.name);
      const mine = { ...p, source };
      if (at === -1) {
        providers.push(mine);
      } else if (workspace && providers[at]!.source.layer !== 'workspace') {
        issues.push(
          `${layer.source.file}: server "${p.name}" ignored (the user's file declares a server of that name)`,
        );
      } else {
        providers[at] = mine;
      }
    }
  }
  return {
    enabled,
    providers,
    requirements: { enforce, allowedStdioCommands: stdio, allowedHttpEndpoints: http },
    validation: { maxArgumentSize, pathTraversalProtection: traversal },
    startupTimeoutMs: startup,
    toolTimeoutMs: tool,
    issues,
  };
}

/** Whether `[mcp.requirements]` lets this server start; a message says why not. */
export function requirementProblem(settings: McpSettings, p: McpProviderConfig): string | null {
  const r = settings.requirements;
  if (!r.enforce) return null;
  if (p.command !== null) {
    const line = [p.command, ...p.args].join(' ');
    // Exact only: allowing `npx` must not allow `/tmp/x/npx`.
    const allowed = r.allowedStdioCommands.some((c) => c === p.command || c === line);
    return allowed
      ? null
      : `[mcp.requirements] allowed_stdio_commands does not list ${JSON.stringify(p.command)}`;
  }
  const allowed = r.allowedHttpEndpoints.some((e) => endpointMatches(e, p.url!));
  return allowed
    ? null
    : `[mcp.requirements] allowed_http_endpoints does not list ${JSON.stringify(p.url)}`;
}

/**
 * Whether an `allowed_http_endpoints` entry names a URL: exactly, or, ending in `*`, as a prefix
 * of the parsed URL at the entry's own origin (`https://a.example*` never lets in
 * `https://a.example.evil.test`).
 */
function endpointMatches(entry: string, url: string): boolean {
  if (!entry.endsWith('*')) return entry === url;
  let prefix: URL;
  let target: URL;
  try {
    prefix = new URL(entry.slice(0, -1));
    target = new URL(url);
  } catch {
    return false;
  }
  return target.origin === prefix.origin && target.href.startsWith(prefix.href);
}
