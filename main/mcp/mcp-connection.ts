import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ServerLaunch } from '../runner/server-sandbox';

/*
 * One connection to one MCP server, through the official SDK: start (spawn the sandboxed process,
 * or reach the endpoint), list its tools (again when it announces a change), call them, stop.
 * What it writes to stderr is kept (redacted), the last lines only.
 */

export type ConnectionStatus = 'stopped' | 'starting' | 'running' | 'error';

/** How to reach the server: a sandboxed process, or an HTTP endpoint through a guarded fetch. */
export type ConnectionTarget =
  | { readonly kind: 'stdio'; readonly launch: () => Promise<ServerLaunch> }
  | {
      readonly kind: 'http';
      readonly url: string;
      readonly headers: Readonly<Record<string, string>>;
      readonly fetch: typeof fetch;
    };

export interface ConnectionOptions {
  readonly name: string;
  readonly target: ConnectionTarget;
  readonly version: string;
  readonly startupTimeoutMs: number;
  readonly toolTimeoutMs: number;
  readonly redact: (text: string) => string;
  /** Status, error or tool list changed. */
  readonly onChange: () => void;
}

const STDERR_LINES = 200;
const STDERR_LINE_MAX = 2000;
/** The most tools one server may offer (and pages of them read). */
const MAX_TOOLS = 500;
/** How often a running server's writable folders are checked for planted files (and after calls). */
const CHECK_EVERY_MS = 5000;

/** An error as words. */
const words = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class McpConnection {
  status: ConnectionStatus = 'stopped';
  lastError: string | null = null;
  startedAt: string | null = null;
  tools: readonly Tool[] = [];
  private readonly stderrLines: string[] = [];
  private partial = '';
  private client: Client | null = null;
  private launch: ServerLaunch | null = null;
  private checking: ReturnType<typeof setInterval> | null = null;
  /** Bumped by each start and stop: a late event of an older process changes nothing. */
  private generation = 0;

  constructor(private readonly o: ConnectionOptions) {}

  /** The last lines the server wrote to stderr, redacted. */
  stderr(): readonly string[] {
    return this.partial ? [...this.stderrLines, this.partial] : [...this.stderrLines];
  }

  /** Add a line of the app's own to the server's log (shown with its stderr). */
  noteLine(line: string): void {
    this.note(`[vtcode] ${line}`);
  }

  private note(line: string): void {
    this.stderrLines.push(this.o.redact(line.slice(0, STDERR_LINE_MAX)));
    if (this.stderrLines.length > STDERR_LINES) this.stderrLines.shift();
  }

  private hear(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const lines = text.split('\n');
    this.partial = (lines.pop() ?? '').slice(0, STDERR_LINE_MAX);
    for (const line of lines) this.note(line);
  }

  private set(status: ConnectionStatus, error: string | null = null): void {
    this.status = status;
    this.lastError = error === null ? null : this.o.redact(error);
    this.o.onChange();
  }

  /** Start the server and read its tools; resolves once running, or with status `error`. */
  async start(): Promise<void> {
    if (this.status === 'running' || this.status === 'starting') return;
    const generation = ++this.generation;
    this.set('starting');
    this.tools = [];
    try {
      const transport = await this.transport();
      // The SDK loads when a server starts: a run with no servers never pays for it.
      const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
      const client = new Client(
        { name: 'vtcode-desktop', version: this.o.version },
        {
          capabilities: {},
          listChanged: {
            tools: {
              onChanged: (error, tools) => {
                if (generation !== this.generation) return;
                if (error) this.note(`tool list refresh failed: ${words(error)}`);
                else if (tools) this.tools = this.redacted(tools.slice(0, MAX_TOOLS));
                this.o.onChange();
              },
            },
          },
        },
      );
      transport.onclose = () => {
        if (generation !== this.generation) return;
        void this.ended('the server exited');
      };
      await client.connect(transport, { timeout: this.o.startupTimeoutMs });
      if (generation !== this.generation) {
        await client.close().catch(() => undefined);
        return;
      }
      this.client = client;
      this.tools = this.redacted(await this.listTools(client));
      this.startedAt = new Date().toISOString();
      this.set('running');
      if (this.launch)
        this.checking = setInterval(() => {
          this.checkPlanted();
          void this.restartIfStale();
        }, CHECK_EVERY_MS);
      this.checking?.unref?.();
    } catch (error) {
      if (generation !== this.generation) return;
      await this.teardown();
      const last = this.stderr().findLast((l) => l.trim() !== '' && !l.startsWith('[vtcode]'));
      this.set(
        'error',
        `could not start: ${words(error)}${last ? ` (it said: ${last.trim()})` : ''}`,
      );
    }
  }

  /**
   * Its tools with known secrets taken out of every name, title, description and schema: they go
   * to the model with each request and to the UI, as results do only once redacted.
   */
  private redacted(tools: readonly Tool[]): Tool[] {
    try {
      return JSON.parse(this.o.redact(JSON.stringify(tools))) as Tool[];
    } catch (error) {
      this.noteLine(`its tool list was left out: ${words(error)}`);
      return [];
    }
  }

  /** Every page of its tools, all within the startup timeout: a list that never ends fails. */
  private async listTools(client: Client): Promise<Tool[]> {
    const deadline = Date.now() + this.o.startupTimeoutMs;
    const tools: Tool[] = [];
    let cursor: string | undefined;
    do {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `its tool list did not end within [mcp] startup_timeout_seconds (${tools.length} tools read)`,
        );
      const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: left });
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor && tools.length < MAX_TOOLS);
    return tools.slice(0, MAX_TOOLS);
  }

  private async transport(): Promise<Transport> {
    const target = this.o.target;
    if (target.kind === 'http') {
      const { StreamableHTTPClientTransport } =
        await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
      return new StreamableHTTPClientTransport(new URL(target.url), {
        fetch: target.fetch,
        requestInit: { headers: { ...target.headers } },
      });
    }
    const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    const launch = await target.launch();
    this.launch = launch;
    if (launch.dropped.length > 0)
      this.noteLine(
        `not passed to the server (they look like secrets: give them as its secrets in Settings › MCP): ${launch.dropped.join(', ')}`,
      );
    const transport = new StdioClientTransport({
      command: launch.file,
      args: [...launch.args],
      env: launch.env,
      cwd: launch.cwd,
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => this.hear(chunk));
    return transport;
  }

  /** The process ended or the connection dropped while it was meant to run. */
  private async ended(why: string): Promise<void> {
    await this.teardown();
    if (this.status === 'running' || this.status === 'starting') {
      const last = this.stderr().at(-1);
      this.set('error', last ? `${why}: ${last}` : why);
    }
  }

  /**
   * Move aside what the server planted in its writable folders for git, a shell or an editor to
   * run; a server that did is stopped. True when something was found.
   */
  private checkPlanted(): boolean {
    let lines: string[];
    try {
      lines = this.launch?.check() ?? [];
    } catch (error) {
      lines = [`its writable folders could not be checked: ${words(error)}`];
    }
    for (const line of lines) this.noteLine(line);
    if (lines.length > 0 && this.status === 'running') {
      this.set('error', 'stopped: it planted files that other programs run (moved aside)');
      void this.teardown();
    }
    return lines.length > 0;
  }

  /**
   * Start the server again when what it must not read changed (a secret file created or
   * replaced): its sandbox hides what there was when it started. True when it was restarted.
   */
  private async restartIfStale(): Promise<boolean> {
    let why: string | null;
    try {
      why = this.status === 'running' ? (this.launch?.stale() ?? null) : null;
    } catch (error) {
      why = `what it must not read could not be checked: ${words(error)}`;
    }
    if (why === null) return false;
    this.noteLine(`started again: ${why}`);
    await this.stop();
    await this.start();
    return true;
  }

  private async teardown(): Promise<void> {
    if (this.checking) clearInterval(this.checking);
    this.checking = null;
    const client = this.client;
    this.client = null;
    await client?.close().catch(() => undefined);
    const launch = this.launch;
    this.launch = null;
    // Checked once more after it was stopped: nothing it does can follow.
    await launch?.release().catch(() => undefined);
    try {
      for (const line of launch?.check() ?? []) this.noteLine(line);
    } catch (error) {
      this.noteLine(`its writable folders could not be checked: ${words(error)}`);
    }
  }

  /** Stop the server (and forget its tools). */
  async stop(): Promise<void> {
    this.generation++;
    await this.teardown();
    this.tools = [];
    this.startedAt = null;
    this.set('stopped');
  }

  /** Call a tool; throws when the server is not running, times out or fails. */
  async call(
    tool: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<CallToolResult> {
    // Held to what it must not read as it is now, before it acts on this call.
    await this.restartIfStale();
    const client = this.client;
    if (!client || this.status !== 'running') throw new Error(`the server is ${this.status}`);
    let planted = false;
    const result = (await client
      .callTool({ name: tool, arguments: args }, undefined, {
        signal,
        timeout: this.o.toolTimeoutMs,
      })
      .finally(() => (planted = this.checkPlanted()))) as CallToolResult;
    if (planted)
      throw new Error('the server planted files that other programs run: it was stopped');
    return result;
  }
}
