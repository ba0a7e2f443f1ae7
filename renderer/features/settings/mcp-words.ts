import type { McpServerStatus, McpServerView } from '../../../shared/domain/mcp';
import type { Provenance } from '../../../shared/domain/policy';
import type { McpNote } from '../../stores/mcp-slice';

/*
 * Settings › MCP in words: a server's status, where it was declared, its command line as one could
 * type it back into the Add form, and which buttons apply to it now.
 */

export type McpTone = 'ok' | 'warn' | 'error' | 'muted' | 'accent';

/** A status badge's word, colour and what it means (the colour is never the only signal). */
export const MCP_STATUS: Record<
  McpServerStatus,
  { readonly label: string; readonly tone: McpTone; readonly help: string }
> = {
  disabled: {
    label: 'Disabled',
    tone: 'muted',
    help: 'Turned off: not started, its tools are not offered.',
  },
  stopped: { label: 'Stopped', tone: 'muted', help: 'Not running: its tools are not offered.' },
  starting: { label: 'Starting', tone: 'accent', help: 'Starting and listing its tools.' },
  running: { label: 'Running', tone: 'ok', help: 'Running: its tools are offered to the agent.' },
  error: { label: 'Error', tone: 'error', help: 'It failed to start or stopped on its own.' },
  'needs-approval': {
    label: 'Needs approval',
    tone: 'warn',
    help: 'Declared by the workspace file: it runs only once you approve its command line.',
  },
  untrusted: {
    label: 'Untrusted',
    tone: 'warn',
    help: 'Declared by the workspace file of a folder that is not trusted: never started.',
  },
  'not-allowed': {
    label: 'Not allowed',
    tone: 'error',
    help: '[mcp.requirements] enforce does not list its command or endpoint.',
  },
};

const SOURCE: Record<Provenance['layer'], string> = {
  user: 'user file',
  workspace: 'workspace file',
  explicit: '--config file',
  default: 'built-in',
};

/** Which file declared a server, in words. */
export function mcpSourceText(source: Provenance): string {
  return SOURCE[source.layer];
}

/** One argument as the Add form reads it back: quoted when it holds spaces or quotes. */
export function quoteArg(arg: string): string {
  if (arg !== '' && !/[\s"']/.test(arg)) return arg;
  return arg.includes("'") ? `"${arg}"` : `'${arg}'`;
}

/** What a server runs or reaches: `program args…` for stdio, the URL for HTTP. */
export function mcpTarget(server: McpServerView): string {
  if (server.transport === 'http') return server.url ?? '';
  return [server.command ?? '', ...server.args].map(quoteArg).join(' ');
}

/** The buttons that apply to a server now (`mcpOn`: `[mcp] enabled`). */
export function mcpServerActions(
  server: McpServerView,
  mcpOn: boolean,
): { start: boolean; stop: boolean; restart: boolean; remove: boolean } {
  const canRun = mcpOn && server.enabled;
  return {
    start: canRun && (server.status === 'stopped' || server.status === 'error'),
    stop: server.status === 'running' || server.status === 'starting',
    restart: canRun && (server.status === 'running' || server.status === 'error'),
    // Only the user file is the app's to edit; a workspace file belongs to the repository.
    remove: server.source.layer === 'user',
  };
}

/** A note beside a server, in a sentence. */
export function mcpNoteText(note: McpNote): string {
  switch (note.kind) {
    case 'busy':
      return `${note.action.charAt(0).toUpperCase()}${note.action.slice(1)}…`;
    case 'error':
      return note.message;
    default: {
      const unreachable: never = note;
      throw new Error(`unknown note ${JSON.stringify(unreachable)}`);
    }
  }
}
