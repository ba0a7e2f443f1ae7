import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerStatus, McpServerView } from '../../shared/domain/mcp';
import { mcpPolicyName } from '../../shared/domain/mcp';
import type { Decision } from '../../shared/domain/policy';
import type { McpProviderConfig } from '../config/mcp-settings';
import { commandLine } from './mcp-approvals';
import type { McpConnection } from './mcp-connection';

/** What a server's view is made from: its config, its connection (if made) and what holds it back. */
export interface ServerViewInput {
  readonly p: McpProviderConfig;
  readonly conn: McpConnection | null;
  /** What keeps it from starting, as its status; null when nothing does. */
  readonly blocked: McpServerStatus | null;
  /** `[mcp.requirements]` in words, for a server they do not allow. */
  readonly why: string | null;
  readonly secrets: readonly string[];
  readonly decide: (tool: string) => Decision;
  readonly unavailable: (tool: Tool) => string | null;
}

/** One server as Settings › MCP and `mcp list` show it. */
export function serverView(o: ServerViewInput): McpServerView {
  const { p, conn, blocked } = o;
  return {
    name: p.name,
    transport: p.command !== null ? 'stdio' : 'http',
    command: p.command,
    args: [...p.args],
    cwd: p.cwd,
    url: p.url,
    envNames: Object.keys(p.env),
    secrets: [...o.secrets],
    commandLine: commandLine(p),
    source: p.source,
    enabled: p.enabled,
    network: p.network,
    writable: [...p.writable],
    status: blocked ?? (conn ? conn.status : 'stopped'),
    // A gate is not an error: only requirements have words of their own (the status says the rest).
    lastError:
      blocked === 'not-allowed' ? o.why : blocked !== null ? null : (conn?.lastError ?? null),
    startedAt: conn?.startedAt ?? null,
    tools: (conn?.status === 'running' ? conn.tools : []).map((tool) => {
      const name = mcpPolicyName(p.name, tool.name);
      return {
        name,
        tool: tool.name,
        title: tool.title ?? null,
        description: tool.description ?? '',
        inputSchema: JSON.stringify(tool.inputSchema, null, 2),
        decision: o.decide(name),
        unavailable: o.unavailable(tool),
      };
    }),
  };
}
