import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import {
  mcpPolicyName,
  type McpList,
  type McpServerStatus,
  type McpServerView,
} from '../../shared/domain/mcp';
import type { AgentToolInfo } from '../../shared/domain/policy';
import type { AgentTool } from '../agent/tools/tool-types';
import type { McpProviderConfig } from '../config/mcp-settings';
import { allowlistProblem, requirementProblem } from '../config/mcp-settings';
import type { VtcodeConfig } from '../config/effective';
import type { McpSecretStore } from '../credentials/mcp-secrets';
import type { PolicyEngine } from '../policy/engine';
import { runnerSettingsFromConfig } from '../runner/settings-from-config';
import type { ServerLaunch, ServerSandboxInput } from '../runner/server-sandbox';
import { commandLine, type McpApprovals } from './mcp-approvals';
import { McpConnection } from './mcp-connection';
import { guardedMcpFetch, mcpBaseFetch } from './mcp-fetch';
import { mcpAgentTool, unavailableReason } from './mcp-tool';
import { serverView } from './mcp-view';

/*
 * The MCP servers of one workspace: kept in step with its config (a server whose line, file or
 * sandbox changed is restarted; one no file declares any more is stopped), started when nothing
 * holds them back (turned off, an untrusted folder, a line not yet approved, requirements), and
 * offered to the agent as tools. Settings take effect at once: every config change reconciles.
 */

export interface McpManagerOptions {
  readonly workspace: string;
  /** The engine and config in force, read at each use. */
  readonly engine: () => PolicyEngine;
  readonly runner: { wrapServer(input: ServerSandboxInput): Promise<ServerLaunch> };
  readonly secrets: McpSecretStore;
  readonly approvals: McpApprovals;
  readonly redact: (text: string) => string;
  readonly version: string;
  /** The list changed (status, tools, config). */
  readonly onChange: (list: McpList) => void;
  /** For tests: the fetch under the guard (default: the global one). */
  readonly fetch?: typeof fetch;
}

interface Entry {
  config: McpProviderConfig;
  /** What the running process was made from: a change restarts it. */
  key: string;
  conn: McpConnection;
  /** Stopped by a person: not started again until they start it. */
  held: boolean;
}

/** The most characters of tool descriptions and schemas offered to the model, all servers together. */
export const MAX_OFFERED_CHARS = 512 * 1024;
const OVER_BUDGET = `left out: the servers' tools together are over ${MAX_OFFERED_CHARS} characters of descriptions and schemas`;

export class McpManager {
  private readonly entries = new Map<string, Entry>();
  private closed = false;
  /** Starts under way (reconcile does not wait for them; `settled` does). */
  private readonly starting = new Set<Promise<void>>();
  /** Each listed tool's agent tool, made once per listing (the provider's definition is cached on it). */
  private readonly made = new WeakMap<object, AgentTool>();
  private readonly sizes = new WeakMap<AgentTool, number>();
  private changed: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly o: McpManagerOptions) {}

  private config(): VtcodeConfig {
    return this.o.engine().config;
  }

  /** What keeps a server from starting now, as its status; null when it may start. */
  private async blocked(p: McpProviderConfig): Promise<McpServerStatus | null> {
    const config = this.config();
    if (!config.mcp.enabled || !p.enabled) return 'disabled';
    if (requirementProblem(config.mcp, p) !== null) return 'not-allowed';
    if (p.source.layer === 'workspace') {
      if (config.trust !== 'trusted') return 'untrusted';
      if (!(await this.o.approvals.approved(this.o.workspace, p))) return 'needs-approval';
    }
    return null;
  }

  private keyOf(p: McpProviderConfig): string {
    let sandbox: string;
    try {
      const s = runnerSettingsFromConfig(this.config());
      sandbox = JSON.stringify([s.network, s.sensitivePaths, s.dotfiles]);
    } catch {
      sandbox = 'unusable';
    }
    return JSON.stringify([p.source, commandLine(p), p.command !== null ? sandbox : p.url]);
  }

  /** A server's secrets; without a keychain it starts without them, and its log says so. */
  private async secretsOf(
    server: { name: string; file: string },
    conn: () => McpConnection,
  ): Promise<Record<string, string>> {
    try {
      return await this.o.secrets.values(server);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      conn().noteLine(`started without its keychain secrets: ${why}`);
      return {};
    }
  }

  private connect(p: McpProviderConfig): McpConnection {
    const mcp = this.config().mcp;
    const server = { name: p.name, file: p.source.file ?? '' };
    const conn: McpConnection = new McpConnection({
      name: p.name,
      version: this.o.version,
      startupTimeoutMs: mcp.startupTimeoutMs,
      toolTimeoutMs: mcp.toolTimeoutMs,
      redact: this.o.redact,
      onChange: () => this.announce(),
      target:
        p.command !== null
          ? {
              kind: 'stdio',
              launch: async () =>
                this.o.runner.wrapServer({
                  id: `mcp-${p.name}-${Date.now().toString(36)}`,
                  program: p.command!,
                  args: p.args,
                  workspace: this.o.workspace,
                  cwd: p.cwd,
                  settings: runnerSettingsFromConfig(this.config()),
                  writable: p.writable,
                  network: p.network,
                  env: p.env,
                  secrets: await this.secretsOf(server, () => conn),
                }),
            }
          : {
              kind: 'http',
              url: p.url!,
              headers: p.headers,
              fetch: guardedMcpFetch(
                p.url!,
                () => this.config(),
                this.o.fetch ?? mcpBaseFetch(() => this.config()),
                () => this.secretsOf(server, () => conn),
              ),
            },
    });
    return conn;
  }

  /** Bring the servers in step with the config in force; start what may start. */
  async reconcile(): Promise<void> {
    if (this.closed) return;
    const providers = this.config().mcp.providers;
    const names = new Set(providers.map((p) => p.name));
    for (const [name, entry] of this.entries) {
      if (names.has(name)) continue;
      this.entries.delete(name);
      await entry.conn.stop();
    }
    for (const p of providers) {
      const key = this.keyOf(p);
      let entry = this.entries.get(p.name);
      if (entry && entry.key !== key) {
        await entry.conn.stop();
        entry = undefined;
      }
      if (!entry) {
        entry = { config: p, key, conn: this.connect(p), held: false };
        this.entries.set(p.name, entry);
      }
      entry.config = p;
      const blocked = await this.blocked(p);
      if (blocked !== null && entry.conn.status !== 'stopped') await entry.conn.stop();
      else if (blocked === null && !entry.held && entry.conn.status === 'stopped') {
        const start = entry.conn.start();
        this.starting.add(start);
        void start.finally(() => this.starting.delete(start));
      }
    }
    this.announce();
  }

  private entry(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`no MCP server named "${name}" in this workspace`);
    return entry;
  }

  /** Resolves once every start under way has ended (running or failed): `exec` waits here. */
  async settled(): Promise<void> {
    while (this.starting.size > 0) await Promise.allSettled([...this.starting]);
  }

  /** Start a server a person asked for (refused when something holds it back). */
  async start(name: string): Promise<void> {
    const entry = this.entry(name);
    const blocked = await this.blocked(entry.config);
    if (blocked !== null)
      throw new Error(`"${name}" cannot start: ${this.why(entry.config, blocked)}`);
    entry.held = false;
    await entry.conn.start();
  }

  async stop(name: string): Promise<void> {
    const entry = this.entry(name);
    entry.held = true;
    await entry.conn.stop();
  }

  async restart(name: string): Promise<void> {
    const entry = this.entry(name);
    await entry.conn.stop();
    await this.start(name);
  }

  /** Approve a workspace server's line, exactly as shown; then start it. */
  async approve(name: string, line: string): Promise<void> {
    const entry = this.entry(name);
    if (entry.config.source.layer !== 'workspace')
      throw new Error(`"${name}" is declared by your own file: it needs no approval`);
    if (this.config().trust !== 'trusted')
      throw new Error(
        'trust this folder first: servers a workspace file declares never start in an untrusted folder',
      );
    if (commandLine(entry.config) !== line)
      throw new Error(`"${name}" changed since it was shown: look at its line again`);
    await this.o.approvals.approve(this.o.workspace, entry.config);
    await this.start(name);
  }

  stderr(name: string): readonly string[] {
    return this.entry(name).conn.stderr();
  }

  /** The config a server was declared with (the handlers check its file). */
  declared(name: string): McpProviderConfig {
    return this.entry(name).config;
  }

  private why(p: McpProviderConfig, status: McpServerStatus): string {
    switch (status) {
      case 'disabled':
        return this.config().mcp.enabled ? 'it is turned off' : '[mcp] enabled = false';
      case 'not-allowed':
        return requirementProblem(this.config().mcp, p) ?? 'not allowed';
      case 'untrusted':
        return 'a workspace file declares it and this folder is not trusted';
      case 'needs-approval':
        return 'a workspace file declares it: approve its command line first';
      case 'stopped':
      case 'starting':
      case 'running':
      case 'error':
        return status;
      default: {
        const never: never = status;
        return String(never);
      }
    }
  }

  /** Why a listed tool is not offered (its name, its schema, `[mcp.allowlist]`); null when it is. */
  private unavailable(server: string, tool: Tool): string | null {
    return (
      unavailableReason(server, tool) ?? allowlistProblem(this.config().mcp, server, tool.name)
    );
  }

  /** The agent's tools from the servers running now. */
  tools(): ReadonlyMap<string, AgentTool> {
    return this.offered().tools;
  }

  /**
   * The tools offered, in server then list order, while their descriptions and schemas (sent
   * with every model request) fit `MAX_OFFERED_CHARS`; `left` names those left out past it.
   */
  private offered(): { tools: ReadonlyMap<string, AgentTool>; left: ReadonlySet<string> } {
    const out = new Map<string, AgentTool>();
    const left = new Set<string>();
    let size = 0;
    const validation = () => this.config().mcp.validation;
    for (const [server, entry] of this.entries) {
      if (entry.conn.status !== 'running') continue;
      for (const tool of entry.conn.tools) {
        if (this.unavailable(server, tool) !== null) continue;
        const conn = entry.conn;
        let t = this.made.get(tool);
        if (!t) {
          const writes = entry.config.command !== null && entry.config.writable.length > 0;
          t = mcpAgentTool(
            server,
            tool,
            validation,
            (name, args, signal) => conn.call(name, args, signal),
            writes,
          );
          this.made.set(tool, t);
        }
        if (out.has(t.name)) continue;
        size += this.sizeOf(t);
        if (size > MAX_OFFERED_CHARS) left.add(t.name);
        else out.set(t.name, t);
      }
    }
    return { tools: out, left };
  }

  /** What a tool adds to every model request (its description and schema), counted once. */
  private sizeOf(t: AgentTool): number {
    let size = this.sizes.get(t);
    if (size === undefined) {
      size = t.description.length + JSON.stringify(t.inputJsonSchema ?? {}).length;
      this.sizes.set(t, size);
    }
    return size;
  }

  /** The servers' tools as the policy matrix lists them. */
  toolInfos(): AgentToolInfo[] {
    return [...this.tools().values()].map((t) => ({
      name: t.name,
      summary: t.summary,
      ...(t.mcp ? { mcp: t.mcp } : {}),
    }));
  }

  /** Every server as the UI shows it. */
  async list(): Promise<McpList> {
    const config = this.config();
    const engine = this.o.engine();
    const offered = this.offered();
    const servers: McpServerView[] = [];
    for (const p of config.mcp.providers) {
      const blocked = await this.blocked(p);
      const secrets = await this.o.secrets
        .names({ name: p.name, file: p.source.file ?? '' })
        .catch(() => []);
      servers.push(
        serverView({
          p,
          conn: this.entries.get(p.name)?.conn ?? null,
          blocked,
          why: blocked === 'not-allowed' ? this.why(p, blocked) : null,
          secrets,
          decide: (name) => engine.decideTool(name).decision,
          unavailable: (tool) =>
            this.unavailable(p.name, tool) ??
            (offered.left.has(mcpPolicyName(p.name, tool.name)) ? OVER_BUDGET : null),
        }),
      );
    }
    return { enabled: config.mcp.enabled, servers, issues: [...config.mcp.issues] };
  }

  /** Tell the listener, once per burst of changes. */
  private announce(): void {
    if (this.closed || this.changed) return;
    this.changed = setTimeout(() => {
      this.changed = null;
      void this.list().then(
        (list) => this.o.onChange(list),
        () => undefined,
      );
    }, 20);
  }

  /** Stop every server. */
  async dispose(): Promise<void> {
    this.closed = true;
    if (this.changed) clearTimeout(this.changed);
    await Promise.all([...this.entries.values()].map((e) => e.conn.stop()));
    this.entries.clear();
  }
}
