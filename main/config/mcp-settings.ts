import type { Provenance } from '../../shared/domain/policy';
import type { ParseResult } from './key-specs';
import type { ConfigLayerData } from './layer';

export { parseProviders } from './mcp-provider-parse';

/*
 * VT Code's `[mcp]` keys. Servers come from every file (`[[mcp.providers]]`), each tagged with the
 * file that declared it: a workspace file's servers start only in a trusted folder and after the
 * user approved their exact command line (mcp-approvals.ts), and a workspace file cannot redefine
 * a server the user's file declares. `[mcp] enabled` is off unless a file turns it on, as in VT
 * Code; a workspace file cannot turn on what the user's file turns off. `[mcp.requirements]` and
 * `[mcp.allowlist]` are read from the user's file only; a workspace file may only tighten
 * `[mcp.security.validation]`.
 */

/** VT Code's `[mcp.allowlist]`: with `enforce`, only tools matching a pattern are offered. */
export interface McpAllowlist {
  readonly enforce: boolean;
  /** Patterns (`*`, `?`) for servers without rules of their own; null: none given. */
  readonly defaultTools: readonly string[] | null;
  /** Per server; a server's own list replaces the default one. */
  readonly providerTools: ReadonlyMap<string, readonly string[]>;
}

/** One `[[mcp.providers]]` entry. */
export interface McpProviderConfig {
  readonly name: string;
  /** stdio: the program; null for an HTTP server. */
  readonly command: string | null;
  readonly args: readonly string[];
  /** Plain variables from the file (not secrets: those come from the keychain). */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string | null;
  /** Streamable HTTP endpoint (VT Code's `endpoint`); null for a stdio server. */
  readonly url: string | null;
  /** HTTP: plain headers from the file (secrets go as the server's keychain secrets). */
  readonly headers: Readonly<Record<string, string>>;
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
  readonly allowlist: McpAllowlist;
  readonly startupTimeoutMs: number;
  readonly toolTimeoutMs: number;
  /** What was wrong or left out, in words. */
  readonly issues: readonly string[];
}

const DEFAULT_MAX_ARGUMENT_SIZE = 1024 * 1024;

const value = <T>(layer: ConfigLayerData, key: string): T | undefined =>
  layer.values.get(key)?.value as T | undefined;

/** The `[mcp]` settings of a set of layers (lowest precedence first). */
export function mcpSettings(layers: readonly ConfigLayerData[]): McpSettings {
  const issues: string[] = [];
  const providers: McpProviderConfig[] = [];
  let enabled = false;
  /** The user's file said `enabled = false`: nothing turns it on. */
  let userOff = false;
  let allowlist: McpAllowlist = { enforce: false, defaultTools: null, providerTools: new Map() };
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
      if (!workspace) userOff = !on;
      if (workspace && on && userOff)
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
    const list = value<McpAllowlist>(layer, 'mcp.allowlist');
    if (list && !workspace) allowlist = list;
    else if (list)
      issues.push(`${layer.source.file}: [mcp.allowlist] is read from the user's file only`);
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
    allowlist,
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

/** `*` any run of characters, `?` one; everything else literal. */
function wildcard(pattern: string, name: string): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's').test(name);
}

/** Whether `[mcp.allowlist]` lets a server offer a tool; a message says why not. */
export function allowlistProblem(
  settings: McpSettings,
  server: string,
  tool: string,
): string | null {
  const a = settings.allowlist;
  if (!a.enforce) return null;
  const own = a.providerTools.get(server);
  const patterns = own ?? a.defaultTools ?? [];
  if (patterns.some((p) => wildcard(p, tool))) return null;
  return own
    ? `[mcp.allowlist.providers.${server}] tools does not list it`
    : '[mcp.allowlist] enforce = true and no tools pattern lists it';
}

/** The key spec's validator for `[mcp.allowlist]`. */
export function parseAllowlist(raw: unknown): ParseResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, message: 'must be a table' };
  const t = raw as Record<string, unknown>;
  if (t.enforce !== undefined && typeof t.enforce !== 'boolean')
    return { ok: false, message: 'enforce must be true or false' };
  const tools = (rules: unknown, where: string): readonly string[] | null | string => {
    if (rules === undefined) return null;
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules))
      return `${where} must be a table`;
    const list = (rules as Record<string, unknown>).tools;
    if (list === undefined) return null;
    if (!Array.isArray(list) || list.some((p) => typeof p !== 'string'))
      return `${where}.tools must be an array of patterns`;
    return list as string[];
  };
  const defaultTools = tools(t.default, 'default');
  if (typeof defaultTools === 'string') return { ok: false, message: defaultTools };
  const providerTools = new Map<string, readonly string[]>();
  if (t.providers !== undefined) {
    if (typeof t.providers !== 'object' || t.providers === null || Array.isArray(t.providers))
      return { ok: false, message: 'providers must be a table of tables' };
    for (const [name, rules] of Object.entries(t.providers)) {
      const list = tools(rules, `providers.${name}`);
      if (typeof list === 'string') return { ok: false, message: list };
      if (list) providerTools.set(name, list);
    }
  }
  const value: McpAllowlist = { enforce: t.enforce === true, defaultTools, providerTools };
  return { ok: true, value };
}
