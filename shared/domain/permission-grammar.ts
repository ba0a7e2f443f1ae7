/*
 * VT Code's `[permissions]` rule strings (`allow`, `ask`, `deny`): parsed here, without the file
 * system, so main (which decides) and the renderer (which explains and validates as you type)
 * read a rule the same way. Names follow VT Code's loader: a tool name stands for its group
 * (`apply_patch` and `edit` mean every file-writing tool, `code_search` every reading tool).
 */

/** Which list a rule is in; VT Code's `auto` (classifier review) is read as `ask` here. */
export type PermissionList = 'allow' | 'ask' | 'deny';

/** Groups of this app's tools a semantic name (or a tool name in it) stands for. */
export type PermissionGroup = 'shell' | 'read' | 'write' | 'web_fetch';

export const GROUP_TOOLS: Readonly<Record<PermissionGroup, readonly string[]>> = {
  shell: ['exec_command'],
  read: ['read_file', 'list_files', 'code_search'],
  write: ['write_file', 'edit_file', 'apply_patch'],
  web_fetch: ['web_fetch'],
};

// Lower-cased names, VT Code's normalisation plus this app's older tool names.
const GROUP_NAMES: Readonly<Record<PermissionGroup, readonly string[]>> = {
  shell: [
    'bash',
    'shell',
    'command',
    'exec',
    'exec_command',
    'execcommand',
    'exec_pty_cmd',
    'run_pty_cmd',
    'runptycmd',
    'run_terminal_cmd',
    'run_command',
    'unified_exec',
    'create_pty_session',
    'execute_code',
    'executecode',
  ],
  read: [
    'read',
    'read_file',
    'read_files',
    'grep',
    'grep_file',
    'grepfile',
    'grep_search',
    'search',
    'srgn',
    'ast_grep_search',
    'list',
    'list_files',
    'listfiles',
    'list_dir',
    'list_directory',
    'glob',
    'code_search',
    'codesearch',
  ],
  write: [
    'write',
    'edit',
    'write_file',
    'create_file',
    'createfile',
    'delete_file',
    'deletefile',
    'move_file',
    'movefile',
    'copy_file',
    'copyfile',
    'edit_file',
    'str_replace',
    'replace_in_file',
    'search_replace',
    'searchreplace',
    'apply_patch',
    'applypatch',
    'patch',
    'file_op',
    'fileop',
  ],
  web_fetch: ['webfetch', 'web_fetch', 'fetch', 'http_fetch', 'fetch_url'],
};

const GROUP_OF = new Map<string, PermissionGroup>(
  (Object.keys(GROUP_NAMES) as PermissionGroup[]).flatMap((g) =>
    GROUP_NAMES[g].map((name) => [name, g] as const),
  ),
);

/** VT Code tools a rule names one by one (older spellings mapped to the current name). */
const EXACT_TOOLS: ReadonlyMap<string, string> = new Map([
  ['write_stdin', 'write_stdin'],
  ['send_pty_input', 'write_stdin'],
  ['read_pty_session', 'write_stdin'],
  ['close_pty_session', 'write_stdin'],
  ['list_pty_sessions', 'write_stdin'],
  ['web_search', 'web_search'],
  ['websearch', 'web_search'],
  ['task_tracker', 'task_tracker'],
  ['update_plan', 'task_tracker'],
  ['todo_write', 'task_tracker'],
  ['request_user_input', 'request_user_input'],
  ['ask_user', 'request_user_input'],
  ['memory', 'memory'],
  ['agent', 'agent'],
  ['spawn_agent', 'agent'],
  ['task', 'agent'],
]);

/** Every tool name the grammar knows (for tests that hold it and the tool registry together). */
export function knownPermissionName(name: string): boolean {
  const lower = name.toLowerCase();
  return GROUP_OF.has(lower) || EXACT_TOOLS.has(lower) || lower === 'mcp';
}

/** Where a path rule is anchored: `//abs`, `~/home`, `/workspace-root`, `rel` or `./rel`. */
export type PathAnchor = 'absolute' | 'home' | 'workspace' | 'relative';

export type PermissionRule =
  /** `exec_command(cargo check *)`; pattern null: every command (`exec_command`, `bash`). */
  | { readonly kind: 'shell'; readonly pattern: string | null }
  /** A tool or group named bare: `read`, `apply_patch`, `write_stdin`, `webfetch`. */
  | {
      readonly kind: 'tools';
      readonly group: PermissionGroup | null;
      readonly tools: readonly string[];
    }
  /** `read(./src/**)`, `apply_patch(/docs/**)`: paths of reading or writing tools. */
  | {
      readonly kind: 'path';
      readonly group: 'read' | 'write';
      readonly anchor: PathAnchor;
      /** The pattern after its anchor, `/`-separated (`docs/**`); '' for the anchor itself. */
      readonly pattern: string;
    }
  /** `WebFetch(domain:example.com)`: that host and its subdomains (`*.x`: subdomains only). */
  | { readonly kind: 'host'; readonly domain: string; readonly subdomainsOnly: boolean }
  /** `mcp__server`, `mcp__server__*`, `mcp__server__tool`; `mcp` alone: every MCP tool. */
  | { readonly kind: 'mcp'; readonly server: string | null; readonly tool: string | null };

export type ParsedPermission =
  | { readonly ok: true; readonly rule: PermissionRule; readonly warning: string | null }
  | { readonly ok: false; readonly why: string };

const MAX_RULE = 2000;
const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const MCP_PART = /^[A-Za-z0-9_.-]+$/;
const LABEL = '[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?';
const DOMAIN = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

const ok = (rule: PermissionRule, warning: string | null = null): ParsedPermission => ({
  ok: true,
  rule,
  warning,
});
const bad = (why: string): ParsedPermission => ({ ok: false, why });

/** Parse one rule string; a rule that does not parse says why (it is then ignored, never allowed). */
export function parsePermissionRule(raw: string): ParsedPermission {
  const text = raw.trim();
  if (text === '') return bad('an empty rule');
  if (text.length > MAX_RULE) return bad(`longer than ${MAX_RULE} characters`);
  if (text.includes('\0')) return bad('contains a NUL byte');
  if (/[\r\n]/.test(text)) return bad('a rule is one line');
  if (text.startsWith('mcp__')) return parseMcp(text.slice(5));
  const open = text.indexOf('(');
  if (open < 0) {
    if (text.includes(')')) return bad("a ')' without '('");
    return bareName(text);
  }
  if (!text.endsWith(')')) return bad("a rule with '(' must end with ')'");
  const name = text.slice(0, open).trim();
  const spec = text.slice(open + 1, -1).trim();
  if (!NAME.test(name)) return bad(`"${name}" is not a tool name`);
  const lower = name.toLowerCase();
  const group = GROUP_OF.get(lower);
  if (spec === '') return bad(`empty parentheses: write ${name} alone to cover every call`);
  if (group === 'shell')
    return spec === '*'
      ? ok({ kind: 'shell', pattern: null })
      : ok({ kind: 'shell', pattern: spec });
  if (group === 'read' || group === 'write') {
    if (spec === '*') return ok({ kind: 'tools', group, tools: GROUP_TOOLS[group] });
    return parsePath(spec, group);
  }
  if (group === 'web_fetch') {
    if (spec === '*') return ok({ kind: 'tools', group, tools: GROUP_TOOLS.web_fetch });
    return parseHost(spec);
  }
  if (lower === 'mcp') return bad('write MCP rules as mcp__server or mcp__server__tool');
  return bad(
    EXACT_TOOLS.has(lower)
      ? `${name} takes nothing in parentheses: write ${name} alone`
      : `"${name}" is not a tool that takes a pattern (exec_command, read, edit, write, apply_patch, WebFetch do)`,
  );
}

function bareName(name: string): ParsedPermission {
  if (!NAME.test(name)) return bad(`"${name}" is not a tool name`);
  const lower = name.toLowerCase();
  const group = GROUP_OF.get(lower);
  if (group === 'shell') return ok({ kind: 'shell', pattern: null });
  if (group) return ok({ kind: 'tools', group, tools: GROUP_TOOLS[group] });
  const exact = EXACT_TOOLS.get(lower);
  if (exact) return ok({ kind: 'tools', group: null, tools: [exact] });
  if (lower === 'mcp') return ok({ kind: 'mcp', server: null, tool: null });
  return ok(
    { kind: 'tools', group: null, tools: [name] },
    `"${name}" is not a tool VT Code or this app has: the rule applies only to a tool of exactly that name`,
  );
}

function parseMcp(rest: string): ParsedPermission {
  if (/[()]/.test(rest)) return bad('an MCP rule takes no parentheses');
  if (rest === '') return bad('name the MCP server: mcp__server or mcp__server__tool');
  const at = rest.indexOf('__');
  const server = at < 0 ? rest : rest.slice(0, at);
  const tool = at < 0 ? null : rest.slice(at + 2);
  if (server === '' || server.includes('*'))
    return bad('name the MCP server: a wildcard cannot stand for the server');
  if (!MCP_PART.test(server)) return bad(`"${server}" is not an MCP server name`);
  if (tool === null || tool === '*') return ok({ kind: 'mcp', server, tool: null });
  if (tool === '') return bad('nothing after mcp__server__: name a tool, or *');
  if (tool.includes('*'))
    return bad('only a whole * is understood after mcp__server__ (write each tool out)');
  if (!MCP_PART.test(tool)) return bad(`"${tool}" is not an MCP tool name`);
  return ok({ kind: 'mcp', server, tool });
}

function parsePath(spec: string, group: 'read' | 'write'): ParsedPermission {
  if (spec.includes('\\')) return bad('write paths with /, not \\');
  let anchor: PathAnchor;
  let rest: string;
  if (spec.startsWith('//')) [anchor, rest] = ['absolute', spec.slice(2)];
  else if (spec === '~' || spec.startsWith('~/')) [anchor, rest] = ['home', spec.slice(2)];
  else if (spec.startsWith('~')) return bad('only ~/ (your home folder) is understood, not ~user');
  else if (spec.startsWith('/')) [anchor, rest] = ['workspace', spec.slice(1)];
  else if (spec.startsWith('./')) [anchor, rest] = ['relative', spec.slice(2)];
  else [anchor, rest] = ['relative', spec];
  const parts = rest.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..'))
    return bad('`..` is not allowed in a path rule: write the path it leads to');
  if (anchor === 'relative' && parts.length === 0)
    return bad('an empty path: write ./** for every path');
  // A trailing `/` (directories only, in gitignore) is dropped: a folder's rule covers what is in it.
  return ok({ kind: 'path', group, anchor, pattern: parts.join('/') });
}

function parseHost(spec: string): ParsedPermission {
  if (!spec.startsWith('domain:'))
    return bad('write WebFetch(domain:HOST), for example WebFetch(domain:example.com)');
  let domain = spec.slice('domain:'.length).trim().toLowerCase();
  const subdomainsOnly = domain.startsWith('*.');
  if (subdomainsOnly) domain = domain.slice(2);
  domain = domain.replace(/^\.+/, '').replace(/\.+$/, '');
  if (domain === '') return bad('name a host after domain:');
  if (/[^\x20-\x7e]/.test(domain)) return bad('write the domain in ASCII (punycode, xn--...)');
  if (domain.includes(':')) return bad('a domain rule names a host, without a port or scheme');
  if (domain.includes('*')) return bad('only a leading *. is understood in a domain');
  if (!DOMAIN.test(domain)) return bad(`"${domain}" is not a host name`);
  return ok({ kind: 'host', domain, subdomainsOnly });
}

/** Whether a request for `host` (lower-case, no trailing dot) is covered by a host rule. */
export function hostMatches(
  rule: { domain: string; subdomainsOnly: boolean },
  host: string,
): boolean {
  const h = host.toLowerCase().replace(/\.+$/, '');
  if (h.endsWith(`.${rule.domain}`)) return true;
  return !rule.subdomainsOnly && h === rule.domain;
}

/** Split `mcp__server__tool` into its server and tool; null for other names. */
export function mcpToolName(name: string): { server: string; tool: string } | null {
  if (!name.startsWith('mcp__')) return null;
  const rest = name.slice(5);
  const at = rest.indexOf('__');
  if (at <= 0 || at + 2 >= rest.length) return null;
  return { server: rest.slice(0, at), tool: rest.slice(at + 2) };
}
