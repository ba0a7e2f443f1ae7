import { mcpAddRequestSchema, mcpEnvNameSchema, type McpAddRequest } from '../../shared/domain/mcp';

/*
 * The Settings › MCP "Add server" form as typed, and how it becomes an `mcp:add` request. The
 * request is checked with the schema main parses it with, so a draft the form sends is one main
 * accepts (main still checks it: the renderer's word is never the last). The slice loads this
 * file when a draft is first sent, so the first screen does not load the schemas (issue 18).
 */

/** The Add form's fields, as typed. */
export interface McpDraft {
  readonly name: string;
  readonly kind: 'command' | 'url';
  readonly program: string;
  /** One argument per line, or one line split on spaces (quotes group). */
  readonly args: string;
  readonly cwd: string;
  readonly url: string;
  /** `NAME=value` lines. */
  readonly env: string;
  /** stdio only: may the server use the network (under the network policy). */
  readonly network: boolean;
  /** stdio only: folders it may write, one per line; none means read-only. */
  readonly writable: string;
}

export const EMPTY_MCP_DRAFT: McpDraft = {
  name: '',
  kind: 'command',
  program: '',
  args: '',
  cwd: '',
  url: '',
  env: '',
  network: false,
  writable: '',
};

/** Fields an error can be shown beside; `form` is for errors about the whole request. */
export type McpDraftField =
  'name' | 'program' | 'args' | 'cwd' | 'url' | 'env' | 'writable' | 'form';
export type McpDraftErrors = Partial<Record<McpDraftField, string>>;

const lines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

/**
 * Arguments as typed: several lines give one argument per line (spaces kept); a single line is
 * split on spaces, with "double" or 'single' quotes keeping spaces inside an argument.
 */
export function splitArgs(text: string): { args: string[] } | { error: string } {
  const all = lines(text);
  if (all.length !== 1) return { args: all };
  const args: string[] = [];
  let current: string | null = null;
  let quote: '"' | "'" | null = null;
  for (const ch of all[0] ?? '') {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current ??= '';
    } else if (/\s/.test(ch)) {
      if (current !== null) args.push(current);
      current = null;
    } else {
      current = (current ?? '') + ch;
    }
  }
  if (quote) return { error: `A ${quote} quote is not closed.` };
  if (current !== null) args.push(current);
  return { args };
}

/** True for a name an MCP server's variable may have (the schema main checks it with). */
export function isMcpEnvName(name: string): boolean {
  return mcpEnvNameSchema.safeParse(name).success;
}

/** `NAME=value` lines into variables; the first bad line is the error. */
export function parseEnvLines(text: string): { env: Record<string, string> } | { error: string } {
  const env: Record<string, string> = {};
  for (const line of lines(text)) {
    const eq = line.indexOf('=');
    if (eq <= 0) return { error: `“${line}” is not NAME=value.` };
    const name = line.slice(0, eq).trim();
    if (!isMcpEnvName(name))
      return { error: `“${name}” is not a variable name (letters, digits and "_").` };
    if (name in env) return { error: `${name} is given twice.` };
    env[name] = line.slice(eq + 1);
  }
  return { env };
}

const FIELD_OF: Record<string, McpDraftField> = {
  name: 'name',
  command: 'program',
  args: 'args',
  cwd: 'cwd',
  url: 'url',
  env: 'env',
  writable: 'writable',
};

/** The request a draft makes, or per field why it cannot be sent. */
export function buildMcpAddRequest(
  draft: McpDraft,
): { ok: true; request: McpAddRequest } | { ok: false; errors: McpDraftErrors } {
  const errors: McpDraftErrors = {};
  const request: Record<string, unknown> = { name: draft.name.trim() };
  if (draft.kind === 'url') {
    if (draft.url.trim() === '') errors.url = 'Give the server’s URL.';
    request.url = draft.url.trim();
  } else {
    if (draft.program.trim() === '') errors.program = 'Give the program to run.';
    request.command = draft.program.trim();
    const args = splitArgs(draft.args);
    if ('error' in args) errors.args = args.error;
    else if (args.args.length > 0) request.args = args.args;
    if (draft.cwd.trim() !== '') request.cwd = draft.cwd.trim();
    request.network = draft.network;
    const writable = lines(draft.writable);
    if (writable.length > 0) request.writable = writable;
  }
  const env = parseEnvLines(draft.env);
  if ('error' in env) errors.env = env.error;
  else if (Object.keys(env.env).length > 0) request.env = env.env;

  const parsed = mcpAddRequestSchema.safeParse(request);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = FIELD_OF[String(issue.path[0] ?? '')] ?? 'form';
      errors[field] ??= issue.message;
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, request: parsed.data };
}
