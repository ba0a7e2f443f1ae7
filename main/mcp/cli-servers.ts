import type { McpList } from '../../shared/domain/mcp';
import { APP_VERSION } from '../core/version';
import type { Credentials } from '../credentials/credentials';
import type { AppPaths } from '../platform/paths';
import type { PolicyEngine } from '../policy/engine';
import type { ServerLaunch, ServerSandboxInput } from '../runner/server-sandbox';
import { McpApprovals } from './mcp-approvals';
import { McpManager } from './mcp-manager';

/** The servers of a CLI run (`exec`, `mcp list`): started, and waited for until each is up or failed. */
export async function startCliServers(o: {
  workspace: string;
  engine: () => PolicyEngine;
  runner: { wrapServer(input: ServerSandboxInput): Promise<ServerLaunch> };
  credentials: Credentials;
  paths: AppPaths;
}): Promise<McpManager> {
  const manager = new McpManager({
    workspace: o.workspace,
    engine: o.engine,
    runner: o.runner,
    secrets: o.credentials.mcpSecrets,
    approvals: new McpApprovals(o.paths.dataDir),
    redact: o.credentials.redactor.redact,
    version: APP_VERSION,
    onChange: () => undefined,
  });
  await manager.reconcile();
  await manager.settled();
  return manager;
}

const GATE_WORDS = {
  disabled: 'turned off (enabled = false, or [mcp] enabled = false)',
  untrusted:
    'a workspace file declares it and this folder is not trusted (vtcode-desktop trust DIR)',
  'needs-approval': 'a workspace file declares it: approve its line in Settings › MCP first',
} as const;

const DECISION_WORDS = { allow: 'allow', prompt: 'ask', deny: 'deny' } as const;

/** The servers and their tools as `mcp list` prints them. */
export function describeServers(list: McpList): string {
  if (list.servers.length === 0)
    return 'No MCP servers: declare them as [[mcp.providers]] in vtcode.toml, or add one in Settings › MCP.\n';
  const out: string[] = [];
  if (!list.enabled) out.push('[mcp] enabled = false: every server is off.', '');
  for (const s of list.servers) {
    const from = s.source.file ? `${s.source.layer} file ${s.source.file}` : s.source.layer;
    out.push(`${s.name} (${s.transport}, ${from}): ${s.status}`);
    for (const line of s.commandLine.split('\n')) out.push(`  ${line}`);
    if (s.secrets.length > 0) out.push(`  secrets: ${s.secrets.join(', ')}`);
    const gate = GATE_WORDS[s.status as keyof typeof GATE_WORDS];
    if (gate) out.push(`  why: ${gate}`);
    if (s.lastError) out.push(`  ${s.status === 'error' ? 'error' : 'why'}: ${s.lastError}`);
    if (s.tools.length > 0) {
      const width = Math.max(...s.tools.map((t) => t.name.length));
      out.push('  tools:');
      for (const t of s.tools) {
        const said = t.unavailable ?? t.description.split('\n')[0] ?? '';
        out.push(`    ${t.name.padEnd(width)}  ${DECISION_WORDS[t.decision].padEnd(5)}  ${said}`);
      }
    }
    out.push('');
  }
  for (const issue of list.issues) out.push(`warning: ${issue}`);
  return `${out.join('\n').trimEnd()}\n`;
}
