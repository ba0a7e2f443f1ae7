import { COMMAND_RULE_LISTS, type CommandRuleList } from '../../shared/domain/command-rule-lists';
import { parseAllowlist, parseProviders } from './mcp-settings';
import type { TomlTable } from './toml-text';

export type ParseResult =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** A vtcode.toml key this app reads: its canonical name, older spellings, and its validator. */
export interface KeySpec {
  readonly key: string;
  readonly aliases?: readonly string[];
  /** `value: undefined` means "present but says nothing" (e.g. a legacy boolean set to false). */
  readonly parse: (raw: unknown, written: string, table: TomlTable) => ParseResult;
}

const ok = (value: unknown): ParseResult => ({ ok: true, value });
const bad = (message: string): ParseResult => ({ ok: false, message });

const oneOf =
  (...words: readonly string[]) =>
  (raw: unknown): ParseResult =>
    typeof raw === 'string' && words.includes(raw)
      ? ok(raw)
      : bad(`must be one of ${words.map((w) => `"${w}"`).join(', ')}, got ${JSON.stringify(raw)}`);

const bool = (raw: unknown): ParseResult =>
  typeof raw === 'boolean' ? ok(raw) : bad(`must be true or false, got ${JSON.stringify(raw)}`);

const str = (raw: unknown): ParseResult =>
  typeof raw === 'string' ? ok(raw) : bad(`must be a string, got ${JSON.stringify(raw)}`);

const int =
  (min: number, max = Number.MAX_SAFE_INTEGER) =>
  (raw: unknown): ParseResult =>
    typeof raw === 'number' && Number.isInteger(raw) && raw >= min && raw <= max
      ? ok(raw)
      : bad(`must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);

const num = (raw: unknown): ParseResult =>
  typeof raw === 'number' && Number.isFinite(raw)
    ? ok(raw)
    : bad(`must be a number, got ${JSON.stringify(raw)}`);

const MAX_LIST = 10_000;

const strings = (raw: unknown): ParseResult => {
  if (!Array.isArray(raw)) return bad(`must be an array of strings, got ${JSON.stringify(raw)}`);
  if (raw.length > MAX_LIST) return bad(`has more than ${MAX_LIST} entries`);
  for (let i = 0; i < raw.length; i++) {
    const item: unknown = raw[i];
    if (typeof item !== 'string')
      return bad(`entry ${i + 1} must be a string, got ${JSON.stringify(item)}`);
    if (item.trim() === '') return bad(`entry ${i + 1} is empty`);
    if (item.includes('\0')) return bad(`entry ${i + 1} contains a NUL byte`);
  }
  return ok(raw);
};

/** Compile a VT Code (Rust) regex in JS; a leading `(?i)` becomes the i flag. */
export function compileRuleRegex(source: string): RegExp {
  const insensitive = source.startsWith('(?i)');
  return new RegExp(insensitive ? source.slice(4) : source, insensitive ? 'iu' : 'u');
}

const regexes = (raw: unknown): ParseResult => {
  const list = strings(raw);
  if (!list.ok) return list;
  const items = list.value as string[];
  for (let i = 0; i < items.length; i++) {
    try {
      compileRuleRegex(items[i] ?? '');
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return bad(`entry ${i + 1} (${JSON.stringify(items[i])}) is not a valid regex: ${why}`);
    }
  }
  return ok(items);
};

const allowlist = (raw: unknown): ParseResult => {
  if (!Array.isArray(raw)) return bad('must be an array of { domain = "...", port = 443 } tables');
  const out: { domain: string; port: number }[] = [];
  for (let i = 0; i < raw.length; i++) {
    const item: unknown = raw[i];
    if (typeof item === 'string' && item.trim() !== '') {
      out.push({ domain: item.trim(), port: 443 });
      continue;
    }
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return bad(`entry ${i + 1} must be a table { domain, port }`);
    }
    const { domain, port } = item as { domain?: unknown; port?: unknown };
    if (typeof domain !== 'string' || !/^(\*\.)?[A-Za-z0-9.-]{1,253}$/.test(domain)) {
      return bad(
        `entry ${i + 1} needs a domain such as "api.github.com", got ${JSON.stringify(domain)}`,
      );
    }
    const p = port ?? 443;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 65535) {
      return bad(`entry ${i + 1} port must be 1-65535, got ${JSON.stringify(port)}`);
    }
    out.push({ domain, port: p });
  }
  return ok(out);
};

const HOST = /^(\*\.)?[A-Za-z0-9_-]{1,63}(\.[A-Za-z0-9_-]{1,63}){0,126}$|^\[[0-9A-Fa-f:.]{2,45}\]$/;

/** `domain` or `domain:port` (`[::1]:22` for IPv6) back into a `{ domain, port }` entry. */
export function splitHostEntry(text: string): { domain: string; port?: number } {
  const m = /^(.*):([0-9]{1,5})$/.exec(text);
  if (!m || (text.startsWith('[') && !m[1]?.endsWith(']'))) return { domain: text };
  return { domain: m[1] ?? text, port: Number(m[2]) };
}

/**
 * `[sandbox.network] denylist` (the app's own key): `{ domain, port }` tables, port optional (none:
 * every port), or bare host strings. Kept as `domain` / `domain:port` text so the lists of both
 * files can be joined like the command deny lists.
 */
const denylist = (raw: unknown): ParseResult => {
  if (!Array.isArray(raw))
    return bad('must be an array of { domain = "...", port = 22 } tables (port optional)');
  if (raw.length > MAX_LIST) return bad(`has more than ${MAX_LIST} entries`);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const item: unknown = raw[i];
    const table =
      typeof item === 'string'
        ? { domain: item.trim() }
        : typeof item === 'object' && item !== null && !Array.isArray(item)
          ? (item as { domain?: unknown; port?: unknown })
          : null;
    if (table === null) return bad(`entry ${i + 1} must be a table { domain, port }`);
    const { domain, port } = table;
    if (typeof domain !== 'string' || domain.length > 253 || !HOST.test(domain))
      return bad(
        `entry ${i + 1} needs a domain such as "evil.example", "*.example.com", "10.0.0.1" or "[::1]", got ${JSON.stringify(domain)}`,
      );
    if (
      port !== undefined &&
      (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
    )
      return bad(
        `entry ${i + 1} port must be 1-65535 (or left out for every port), got ${JSON.stringify(port)}`,
      );
    out.push(port === undefined ? domain.toLowerCase() : `${domain.toLowerCase()}:${port}`);
  }
  return ok(out);
};

// Older VT Code configs spell the network policy as two booleans.
const legacyNetwork =
  (word: 'allow_all' | 'block_all') =>
  (raw: unknown): ParseResult => {
    const b = bool(raw);
    if (!b.ok) return b;
    return ok(raw === true ? word : undefined);
  };

/** The `[commands]` lists, as the policy screen names them too. */
export const COMMAND_LIST_KEYS = COMMAND_RULE_LISTS;
export type CommandListKey = CommandRuleList;

/** Every key this app reads. Keys not listed are left alone (the file is shared with VT Code). */
export const KEY_SPECS: readonly KeySpec[] = [
  { key: 'tools.default_policy', parse: oneOf('allow', 'prompt', 'deny') },
  { key: 'tools.max_tool_loops', parse: int(0, 100_000) },
  { key: 'tools.max_repeated_tool_calls', parse: int(0, 100_000) },
  { key: 'commands.allow_list', parse: strings },
  { key: 'commands.deny_list', parse: strings },
  { key: 'commands.allow_glob', parse: strings },
  { key: 'commands.deny_glob', parse: strings },
  { key: 'commands.allow_regex', parse: regexes },
  { key: 'commands.deny_regex', parse: regexes },
  { key: 'commands.approval_prefixes', parse: strings },
  { key: 'commands.extra_path_entries', parse: strings },
  { key: 'security.human_in_the_loop', parse: bool },
  { key: 'permissions.allow', parse: strings },
  { key: 'permissions.ask', parse: strings },
  { key: 'permissions.deny', parse: strings },
  {
    // VT Code's `[permissions.auto]` is a table of classifier settings (left alone); an agent's
    // `auto` rule list written here is read as `ask` (layer.ts says so in a warning).
    key: 'permissions.auto',
    parse: (raw) =>
      typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !(raw instanceof Date)
        ? ok(undefined)
        : strings(raw),
  },
  { key: 'permissions.audit_enabled', parse: bool },
  { key: 'permissions.audit_directory', parse: str },
  { key: 'permissions.log_allowed_commands', parse: bool },
  { key: 'permissions.log_denied_commands', parse: bool },
  { key: 'permissions.log_permission_prompts', parse: bool },
  { key: 'sandbox.enabled', parse: bool },
  {
    key: 'sandbox.default_policy',
    aliases: ['sandbox.default_mode'],
    parse: oneOf('read_only', 'workspace_write', 'danger_full_access', 'external'),
  },
  {
    key: 'sandbox.network.policy',
    // block_all is read before allow_all: when both are true, blocking is the safe reading.
    aliases: ['sandbox.network.block_all', 'sandbox.network.allow_all'],
    parse: (raw, written) =>
      written === 'sandbox.network.policy'
        ? oneOf('allowlist_only', 'allow_all', 'block_all')(raw)
        : legacyNetwork(written.endsWith('block_all') ? 'block_all' : 'allow_all')(raw),
  },
  { key: 'sandbox.network.allowlist', parse: allowlist },
  { key: 'sandbox.network.denylist', parse: denylist },
  { key: 'tools.web_fetch.mode', parse: oneOf('restricted', 'whitelist') },
  { key: 'tools.web_fetch.allowed_domains', parse: strings },
  { key: 'tools.web_fetch.blocked_domains', parse: strings },
  { key: 'tools.web_fetch.blocked_patterns', parse: regexes },
  { key: 'tools.web_fetch.strict_https_only', parse: bool },
  { key: 'sandbox.sensitive_paths.use_defaults', parse: bool },
  { key: 'sandbox.sensitive_paths.additional', parse: strings },
  { key: 'sandbox.sensitive_paths.exceptions', parse: strings },
  { key: 'dotfile_protection.whitelist', parse: strings },
  { key: 'dotfile_protection.additional_protected_patterns', parse: strings },
  {
    key: 'sandbox.resource_limits.preset',
    parse: oneOf('unlimited', 'conservative', 'moderate', 'generous', 'custom'),
  },
  { key: 'sandbox.resource_limits.max_memory_mb', parse: int(0) },
  { key: 'sandbox.resource_limits.max_pids', parse: int(0) },
  { key: 'sandbox.resource_limits.timeout_secs', parse: int(0) },
  { key: 'timeouts.default_ceiling_seconds', parse: int(0) },
  { key: 'timeouts.pty_ceiling_seconds', parse: int(0) },
  { key: 'timeouts.streaming_ceiling_seconds', parse: int(0) },
  { key: 'pty.enabled', parse: bool },
  { key: 'pty.default_rows', parse: int(1, 1000) },
  { key: 'pty.default_cols', parse: int(1, 1000) },
  { key: 'pty.max_sessions', parse: int(1, 1000) },
  { key: 'pty.command_timeout_seconds', parse: int(0) },
  { key: 'pty.max_scrollback_bytes', parse: int(0) },
  { key: 'agent.provider', parse: str },
  { key: 'agent.default_model', parse: str },
  { key: 'agent.api_key_env', parse: str },
  { key: 'agent.reasoning_effort', parse: str },
  { key: 'agent.temperature', parse: num },
  { key: 'agent.default_primary_agent', parse: str },
  { key: 'mcp.enabled', parse: bool },
  { key: 'mcp.providers', parse: parseProviders },
  { key: 'mcp.startup_timeout_seconds', parse: int(1, 600) },
  { key: 'mcp.tool_timeout_seconds', parse: int(1, 3600) },
  { key: 'mcp.allowlist', parse: parseAllowlist },
  { key: 'mcp.requirements.enforce', parse: bool },
  { key: 'mcp.requirements.allowed_stdio_commands', parse: strings },
  { key: 'mcp.requirements.allowed_http_endpoints', parse: strings },
  { key: 'mcp.security.validation.max_argument_size', parse: int(1, 64 * 1024 * 1024) },
  { key: 'mcp.security.validation.path_traversal_protection', parse: bool },
  { key: 'context.max_context_tokens', parse: int(0) },
  { key: 'context.trim_to_percent', parse: int(0, 100) },
  { key: 'context.preserve_recent_turns', parse: int(0) },
];
