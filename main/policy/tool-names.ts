/**
 * VT Code's tool names, current and older, mapped onto this app's tools. A `[tools.policies]` key
 * is looked up here; names not listed (MCP tools `mcp__server__tool`, future tools) stay as they are.
 */
export const APP_TOOLS = [
  'exec_command',
  'write_stdin',
  'read_file',
  'list_files',
  'code_search',
  'write_file',
  'edit_file',
  'apply_patch',
  'web_fetch',
  'web_search',
  'task_tracker',
  'request_user_input',
  'memory',
  'agent',
] as const;
export type AppTool = (typeof APP_TOOLS)[number];

/** Older or other names VT Code has used, keyed by the app tool they map to. */
export const TOOL_ALIASES: Readonly<Record<AppTool, readonly string[]>> = {
  exec_command: [
    'run_pty_cmd',
    'run_terminal_cmd',
    'run_command',
    'unified_exec',
    'bash',
    'shell',
    'create_pty_session',
  ],
  write_stdin: ['send_pty_input', 'read_pty_session', 'close_pty_session', 'list_pty_sessions'],
  read_file: ['read_files'],
  list_files: ['list_dir', 'list_directory'],
  code_search: ['grep_file', 'grep_search', 'search', 'srgn', 'ast_grep_search'],
  write_file: ['create_file'],
  edit_file: ['str_replace', 'replace_in_file'],
  apply_patch: [],
  web_fetch: ['fetch', 'http_fetch'],
  web_search: [],
  task_tracker: ['update_plan', 'todo_write'],
  request_user_input: ['ask_user'],
  memory: [],
  agent: ['spawn_agent', 'task'],
};

const aliasToTool = new Map<string, AppTool>();
for (const tool of APP_TOOLS) {
  aliasToTool.set(tool, tool);
  for (const alias of TOOL_ALIASES[tool]) aliasToTool.set(alias, tool);
}

/** The app tool a VT Code tool name means; unknown names are returned unchanged. */
export function canonicalToolName(name: string): string {
  return aliasToTool.get(name) ?? name;
}

/** True when `name` is an older spelling rather than the app tool's own name. */
export function isToolAlias(name: string): boolean {
  const tool = aliasToTool.get(name);
  return tool !== undefined && tool !== name;
}

/** Tools that only read: allowed by default when no rule says otherwise (VT Code does the same). */
export const READ_ONLY_TOOLS: ReadonlySet<string> = new Set<string>([
  'read_file',
  'list_files',
  'code_search',
  'task_tracker',
  'request_user_input',
]);

/** Tools whose argument is a shell command string decided part by part. */
export const SHELL_TOOLS: ReadonlySet<string> = new Set<string>(['exec_command']);

/** Tools that change files; "Always allow edits in this workspace" sets these to allow. */
export const FILE_EDIT_TOOLS: readonly string[] = ['write_file', 'edit_file', 'apply_patch'];
