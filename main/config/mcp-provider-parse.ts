import { mcpEnvNameSchema, mcpServerNameSchema } from '../../shared/domain/mcp-names';
import type { ParseResult } from './key-specs';
import type { McpProviderConfig } from './mcp-settings';

/*
 * `[[mcp.providers]]` tables as VT Code writes them: flat keys (`command`, `args`, `env`,
 * `working_directory` or `cwd`; `endpoint` or `url` and `headers` for HTTP), or the older
 * `transport = { ... }` table. This app adds `network` and `writable` (stdio only).
 */

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
  'working_directory',
  'url',
  'endpoint',
  'headers',
  'enabled',
  'network',
  'writable',
  'transport',
  // VT Code keys this app does not use, accepted so a shared file stays valid.
  'max_concurrent_requests',
  'startup_timeout_ms',
  'protocol_version',
  'api_key_env',
]);

/** Header names a file may not set: the transport and the proxy own them. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'accept',
  'connection',
  'transfer-encoding',
  'mcp-session-id',
  'mcp-protocol-version',
  'last-event-id',
  'proxy-authorization',
  'cookie',
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
  const url = get('url') ?? get('endpoint');
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
  const headersRaw = get('headers') ?? {};
  if (!isTable(headersRaw)) return `${label}: headers must be a table of Name = "value"`;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(headersRaw)) {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(k) || typeof v !== 'string' || /[\r\n\0]/.test(v))
      return `${label}: headers.${k} must be a header name with a one-line string value`;
    if (RESERVED_HEADERS.has(k.toLowerCase()))
      return `${label}: headers.${k} is set by the app itself`;
    headers[k] = v;
  }
  if (url === undefined && Object.keys(headers).length > 0)
    return `${label}: headers are for a server reached by URL`;
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
    headers,
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
