import { readFile } from 'node:fs/promises';
import type { McpAddRequest, McpList } from '../../shared/domain/mcp';
import { parseProviders } from '../config/mcp-settings';
import { parseToml, setTomlTables, setTomlValue } from '../config/toml-text';
import type { PolicyService, WorkspacePolicy } from '../core/policy-service';
import type { McpSecretStore } from '../credentials/mcp-secrets';
import { writeFileAtomic } from '../fs/atomic-write';
import type { ServerLaunch, ServerSandboxInput } from '../runner/server-sandbox';
import type { McpApprovals } from './mcp-approvals';
import { McpManager } from './mcp-manager';

/*
 * The MCP servers of every open workspace: one manager each, kept in step with the workspace's
 * config (a save, an edit on disk, a trust change) and feeding the policy its tools, so the
 * matrix has a row for each. Servers the user adds or removes in Settings are written to the
 * user's vtcode.toml; a workspace file's servers are edited in that file.
 */

export interface McpServiceOptions {
  readonly policy: PolicyService;
  readonly runner: { wrapServer(input: ServerSandboxInput): Promise<ServerLaunch> };
  readonly secrets: McpSecretStore;
  readonly approvals: McpApprovals;
  readonly redact: (text: string) => string;
  readonly version: string;
  readonly fetch?: typeof fetch;
}

type Listener = (workspace: string, list: McpList) => void;

/** A user-file server table as written: only the keys that say something. */
function providerTable(r: McpAddRequest): Record<string, unknown> {
  const t: Record<string, unknown> = { name: r.name };
  if (r.command !== undefined) t.command = r.command;
  if (r.args && r.args.length > 0) t.args = r.args;
  if (r.cwd !== undefined) t.cwd = r.cwd;
  if (r.url !== undefined) t.url = r.url;
  if (r.env && Object.keys(r.env).length > 0) t.env = r.env;
  if (r.command !== undefined && r.network) t.network = true;
  if (r.command !== undefined && r.writable && r.writable.length > 0) t.writable = r.writable;
  return t;
}

export class McpService {
  private readonly managers = new Map<string, Promise<McpManager>>();
  private readonly listeners = new Set<Listener>();

  constructor(private readonly o: McpServiceOptions) {}

  /** The manager of a workspace, started with its servers on first use. */
  forWorkspace(workspace: string): Promise<McpManager> {
    let manager = this.managers.get(workspace);
    if (!manager) {
      manager = this.open(workspace);
      this.managers.set(workspace, manager);
      manager.catch(() => this.managers.delete(workspace));
    }
    return manager;
  }

  private async open(workspace: string): Promise<McpManager> {
    const policy = await this.o.policy.forWorkspace(workspace);
    const manager: McpManager = new McpManager({
      workspace,
      engine: () => policy.current(),
      runner: this.o.runner,
      secrets: this.o.secrets,
      approvals: this.o.approvals,
      redact: this.o.redact,
      version: this.o.version,
      ...(this.o.fetch ? { fetch: this.o.fetch } : {}),
      onChange: (list) => {
        // Only a change of the tools changes the policy's matrix (a status alone does not).
        const tools = JSON.stringify(manager.toolInfos());
        if (tools !== lastTools) {
          lastTools = tools;
          policy.toolsChanged();
        }
        const text = JSON.stringify(list);
        if (text === lastList) return;
        lastList = text;
        for (const listener of this.listeners) listener(workspace, list);
      },
    });
    let lastTools = '[]';
    let lastList = '';
    policy.setMoreTools(() => manager.toolInfos());
    // The config (a save, an edit on disk, trust): not the policy's own notices, which the
    // servers' tool changes send, so a change never feeds itself.
    policy.configStore.subscribe(() => void manager.reconcile());
    await manager.reconcile();
    return manager;
  }

  /** Hear about every change of any workspace's servers. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async userServers(
    policy: WorkspacePolicy,
  ): Promise<{ file: string; tables: Record<string, unknown>[]; text: string }> {
    const file = policy.fileFor('user');
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const parsed = text.trim() === '' ? { ok: true as const, table: {} } : parseToml(text, file);
    if (!parsed.ok) throw new Error(`${file} does not parse: ${parsed.issue.message}`);
    const mcp = (parsed.table as Record<string, unknown>).mcp as
      Record<string, unknown> | undefined;
    const tables = Array.isArray(mcp?.providers)
      ? (mcp.providers as Record<string, unknown>[])
      : [];
    return { file, tables, text };
  }

  private async writeUser(
    workspace: string,
    edit: (tables: Record<string, unknown>[]) => Record<string, unknown>[],
    turnOn = false,
  ): Promise<void> {
    const policy = await this.o.policy.forWorkspace(workspace);
    const { file, tables, text } = await this.userServers(policy);
    const next = edit(tables.map((t) => ({ ...t })));
    const checked = parseProviders(next);
    if (!checked.ok) throw new Error(checked.message);
    let written = setTomlTables(text, 'mcp.providers', next);
    // A server added here is meant to run: MCP is turned on unless the file turned it off.
    if (turnOn && mcpEnabledIn(written) === undefined)
      written = setTomlValue(written, 'mcp', 'enabled', true);
    await writeFileAtomic(file, written, { mode: 0o600 });
    await this.o.policy.reloadAll();
    await (await this.forWorkspace(workspace)).reconcile();
  }

  /** Add a server to the user's file. */
  async add(workspace: string, request: McpAddRequest): Promise<void> {
    const manager = await this.forWorkspace(workspace);
    if ((await manager.list()).servers.some((s) => s.name === request.name))
      throw new Error(`a server named "${request.name}" exists already`);
    await this.writeUser(workspace, (tables) => [...tables, providerTable(request)], true);
  }

  /** `[mcp] enabled` in the user's file: every server on or off. */
  async setAllEnabled(workspace: string, enabled: boolean): Promise<void> {
    const policy = await this.o.policy.forWorkspace(workspace);
    const { file, text } = await this.userServers(policy);
    await writeFileAtomic(file, setTomlValue(text, 'mcp', 'enabled', enabled), { mode: 0o600 });
    await this.o.policy.reloadAll();
    await (await this.forWorkspace(workspace)).reconcile();
  }

  /** Remove a server the user's file declares. */
  async remove(workspace: string, name: string): Promise<void> {
    await this.userOwned(workspace, name);
    await this.writeUser(workspace, (tables) => tables.filter((t) => t.name !== name));
  }

  /** Turn a user-file server on or off (`enabled`). */
  async setEnabled(workspace: string, name: string, enabled: boolean): Promise<void> {
    await this.userOwned(workspace, name);
    await this.writeUser(workspace, (tables) =>
      tables.map((t) => {
        if (t.name !== name) return t;
        const { enabled: _old, ...rest } = t;
        return enabled ? rest : { ...rest, enabled: false };
      }),
    );
  }

  private async userOwned(workspace: string, name: string): Promise<void> {
    const manager = await this.forWorkspace(workspace);
    const p = manager.declared(name);
    if (p.source.layer !== 'user')
      throw new Error(
        `"${name}" is declared by ${p.source.file ?? 'another file'}: change it there`,
      );
  }

  /** Stop every server of every workspace. */
  async dispose(): Promise<void> {
    const all = await Promise.allSettled([...this.managers.values()]);
    this.managers.clear();
    await Promise.all(all.flatMap((m) => (m.status === 'fulfilled' ? [m.value.dispose()] : [])));
  }
}

/** `[mcp] enabled` as a file's text sets it; undefined when it does not. */
function mcpEnabledIn(text: string): boolean | undefined {
  const parsed = parseToml(text, 'vtcode.toml');
  if (!parsed.ok) return undefined;
  const mcp = (parsed.table as Record<string, unknown>).mcp as Record<string, unknown> | undefined;
  return typeof mcp?.enabled === 'boolean' ? mcp.enabled : undefined;
}
