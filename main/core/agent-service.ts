import type { McpService } from '../mcp/mcp-service';
import type { AgentTool } from '../agent/tools/tool-types';
import type {
  AgentEvent,
  AgentMode,
  SessionGrant,
  SessionSummary,
} from '../../shared/domain/agent';
import type {
  AlwaysAllowPreview,
  OpenedSessionView,
  SessionChoiceInput,
  SessionSearchResult,
} from '../../shared/domain/agent-bridge';
import { BridgeError } from '../../shared/ipc/errors';
import { AgentRuntime, type RunningSession } from '../agent/agent-runtime';
import { ApprovalBroker } from '../agent/loop/approval-broker';
import { ProviderError } from '../agent/providers/errors';
import { SessionSearch } from '../agent/sessions/session-search';
import { SessionNotFoundError } from '../agent/sessions/session-store';
import type { CommandRunner } from '../agent/tools/tool-types';
import type { Credentials } from '../credentials/credentials';
import { replaceSubscription, type BridgeClient } from '../ipc/router';
import type { Logger } from '../log/logger';
import { AlwaysAllowError, deriveAlwaysAllowRules } from '../policy/always-allow';
import type { RunnerService } from '../runner/runner-service';
import { DeltaCoalescer } from './delta-coalescer';
import type { ActivityService } from './activity-service';
import type { PolicyService } from './policy-service';
import type { RunOwners } from './run-owners';

/** Provider history is for resuming, not for the screen: it is not pushed to the renderer. */
function forRenderer(event: AgentEvent): boolean {
  return event.type !== 'history';
}

/**
 * The agent of one window (or browser tab) in its open workspace: its runtime, its approval
 * broker, its sessions. Commands the agent runs show in that window's terminal; approvals can be
 * answered only by that window, and only for ids main created.
 */
export class ClientAgent {
  private readonly sessions = new Map<string, RunningSession>();
  private readonly busy = new Set<string>();
  private readonly approvalSessions = new Map<string, string>();
  /** Sessions opened for reading whose provider could not be set up, and why. */
  private readonly unusable = new Map<string, string>();
  /** Started sessions with no message yet: in memory only, dropped when another is opened. */
  private readonly drafts = new Set<string>();
  /**
   * The session this window shows, as main last opened it for the window (null: none, or a new
   * one being started). A message for any other session is refused, never appended elsewhere.
   */
  private shown: string | null = null;
  /** Counts start/resume calls: only the latest one decides what the window shows. */
  private opening = 0;
  /** Counts searches: a search overtaken by a newer one stops early. */
  private searching = 0;

  private readonly search_: SessionSearch;

  private constructor(
    readonly workspace: string,
    private readonly runtime: AgentRuntime,
    private readonly broker: ApprovalBroker,
    private readonly logger: Logger,
  ) {
    this.search_ = new SessionSearch(runtime.sessions);
  }

  static async open(options: {
    workspace: string;
    client: BridgeClient;
    env: NodeJS.ProcessEnv;
    credentials: Credentials;
    runner: RunnerService;
    runOwners: RunOwners;
    logger: Logger;
    policy: PolicyService;
    activity: ActivityService;
    mcp: McpService;
  }): Promise<ClientAgent> {
    const { client, runner, runOwners } = options;
    // One live config per workspace: what the policy screen saves, the agent decides with.
    const { configStore } = await options.policy.forWorkspace(options.workspace);
    const broker = new ApprovalBroker();
    // The agent's commands are this window's runs: its terminal shows them live.
    const ownedRunner: CommandRunner = {
      start: async (input) => {
        const runId = await runner.start(input);
        runOwners.own(runId, client);
        return runId;
      },
      wait: (runId) => runner.wait(runId),
      cancel: (runId) => runner.cancel(runId),
    };
    let agent: ClientAgent | null = null;
    const runtime = await AgentRuntime.open({
      workspace: options.workspace,
      env: options.env,
      keys: options.credentials.keys,
      redact: options.credentials.redactor.redact,
      runner: ownedRunner,
      approvals: { kind: 'interactive', broker },
      onEvent: (sessionId, event) => agent?.forward(client, sessionId, event),
      configStore,
      // One log per workspace: every window sees what any of them recorded.
      activity: await options.activity.forWorkspace(options.workspace),
      moreTools: await mcpTools(options.mcp, options.workspace, options.logger),
    });
    agent = new ClientAgent(options.workspace, runtime, broker, options.logger);
    return agent;
  }

  private forward(client: BridgeClient, sessionId: string, event: AgentEvent): void {
    if (event.type === 'tool-call-awaiting-approval')
      this.approvalSessions.set(event.approvalId, sessionId);
    if (event.type === 'approval-resolved') this.approvalSessions.delete(event.approvalId);
    if (!forRenderer(event)) return;
    let stream = this.streams.get(sessionId);
    if (!stream) {
      stream = new DeltaCoalescer((e) => client.emit('agent:event', { sessionId, event: e }));
      this.streams.set(sessionId, stream);
    }
    stream.push(event);
    // A finished turn leaves nothing waiting; the next turn gets a fresh one.
    if (event.type === 'turn-finished') this.streams.delete(sessionId);
  }

  /** Streamed deltas per session, joined per frame before they cross the bridge. */
  private readonly streams = new Map<string, DeltaCoalescer>();

  listSessions() {
    return this.runtime.sessions.list();
  }

  async start(
    choice: SessionChoiceInput & { title?: string | undefined },
  ): Promise<OpenedSessionView> {
    const ticket = ++this.opening;
    // From now on the window is leaving the session it showed: a late message for it is refused.
    this.shown = null;
    this.dropDrafts();
    const running = await this.guard(() =>
      this.runtime.startSession(choiceOf(choice), choice.title?.trim() || null),
    );
    if (ticket !== this.opening) {
      // Another New session or a resume was asked for meanwhile: that one is shown, not this.
      running.close();
      throw new BridgeError('conflict', 'Another session was opened meanwhile.');
    }
    this.sessions.set(running.id, running);
    this.drafts.add(running.id);
    this.shown = running.id;
    return {
      session: running.summary(),
      events: [],
      warnings: [...this.runtime.warnings, ...running.warnings],
      grants: [],
    };
  }

  async resume(sessionId: string, choice: SessionChoiceInput): Promise<OpenedSessionView> {
    const ticket = ++this.opening;
    const warnings: string[] = [];
    // One read of the log serves both the screen and the resumed session.
    const opened = await this.guard(() => this.runtime.sessions.open(sessionId));
    if (!this.sessions.has(sessionId)) {
      try {
        const running = await this.runtime.resumeSession(sessionId, choiceOf(choice), opened);
        this.sessions.set(sessionId, running);
        this.unusable.delete(sessionId);
      } catch (error) {
        // A session can always be read; it goes on only once its provider can be set up.
        if (!(error instanceof ProviderError)) throw bridgeErrorOf(error);
        this.unusable.set(sessionId, error.message);
        warnings.push(`This session can be read but not continued: ${error.message}`);
      }
    }
    if (ticket !== this.opening)
      throw new BridgeError('conflict', 'Another session was opened meanwhile.');
    this.dropDrafts();
    this.shown = sessionId;
    return {
      session: opened.summary,
      events: opened.events.filter(forRenderer),
      warnings: [...this.runtime.warnings, ...opened.warnings, ...warnings],
      grants: this.sessions.get(sessionId)?.session.grants() ?? [],
    };
  }

  /**
   * Start a turn in `sessionId`, which must be the session this window shows; resolves with the
   * session as written (a new one named after its first message) while the turn goes on, its
   * progress and its end arriving as events.
   */
  async send(sessionId: string, prompt: string, mode: AgentMode = 'ask'): Promise<SessionSummary> {
    if (sessionId !== this.shown) {
      throw new BridgeError(
        'conflict',
        this.shown === null
          ? 'Not sent: no session is open in this window (a new one is starting, or could not start). Nothing was added to any session.'
          : 'Not sent: this window now shows another session. Nothing was added to any session.',
      );
    }
    const running = this.active(sessionId);
    if (this.busy.has(sessionId)) {
      throw new BridgeError(
        'conflict',
        'The agent is still working on the last message: wait, or stop it first.',
      );
    }
    this.busy.add(sessionId);
    try {
      const { summary, done } = await running.startTurn(prompt, mode);
      this.drafts.delete(sessionId);
      void done
        .catch((error: unknown) => this.logger.error('agent turn failed', { sessionId, error }))
        .finally(() => this.busy.delete(sessionId));
      return summary;
    } catch (error) {
      this.busy.delete(sessionId);
      throw bridgeErrorOf(error);
    }
  }

  /** Drafted sessions nobody wrote in: closed and forgotten (they were never on disk). */
  private dropDrafts(): void {
    for (const id of this.drafts) {
      if (this.busy.has(id)) continue;
      this.sessions.get(id)?.close();
      this.sessions.delete(id);
      this.drafts.delete(id);
    }
  }

  cancel(sessionId: string): boolean {
    const running = this.active(sessionId);
    if (!this.busy.has(sessionId)) return false;
    running.session.cancel();
    return true;
  }

  answer(input: unknown): void {
    const result = this.broker.answer(input);
    if (!result.ok) throw new BridgeError('not-found', `Approval not accepted: ${result.error}`);
  }

  /** The exact rules "Always allow" would add for a pending approval, before anything is added. */
  previewAlwaysAllow(approvalId: string, scope: 'exact' | 'subcommand'): AlwaysAllowPreview {
    const pending = this.broker.list().find((p) => p.approvalId === approvalId);
    if (!pending) throw new BridgeError('not-found', `No pending approval ${approvalId}.`);
    const file = `${this.workspace}/vtcode.toml`;
    if (!pending.canAlwaysAllow || pending.command === null)
      return { rules: [], file, refusal: 'Only shell commands can be always allowed.' };
    try {
      // The same command the answer will derive from: the whole line, not the shown subject.
      const rules = deriveAlwaysAllowRules(this.runtime.policy, pending.command, scope);
      if (rules.length === 0)
        return {
          rules,
          file,
          refusal: `rules already allow every part; it asks because ${pending.reason}. Allow it once.`,
        };
      return { rules, file, refusal: null };
    } catch (error) {
      if (error instanceof AlwaysAllowError) return { rules: [], file, refusal: error.message };
      throw error;
    }
  }

  /** The grants of a session running in this window; none for one that is not running. */
  listGrants(sessionId: string): SessionGrant[] {
    return this.sessions.get(sessionId)?.session.grants() ?? [];
  }

  /** Revoke a grant of a running session; replies with the grants left. */
  revokeGrant(sessionId: string, grantId: string): SessionGrant[] {
    const running = this.sessions.get(sessionId);
    if (!running?.session.revokeGrant(grantId))
      throw new BridgeError('not-found', `No grant ${grantId} in this session.`);
    return running.session.grants();
  }

  async revert(
    sessionId: string,
    target: { changeIds: string[] } | { turnId: string },
  ): Promise<string[]> {
    const running = this.active(sessionId);
    const reverted =
      'turnId' in target
        ? await running.session.revertTurn(target.turnId)
        : await running.session.revert(target.changeIds);
    return reverted.map((c) => c.path);
  }

  async rename(sessionId: string, title: string) {
    return this.guard(() => this.runtime.sessions.rename(sessionId, title.trim()));
  }

  async delete(sessionId: string): Promise<void> {
    if (this.busy.has(sessionId))
      throw new BridgeError('conflict', 'Stop the session before deleting it.');
    this.sessions.get(sessionId)?.close();
    this.sessions.delete(sessionId);
    if (this.shown === sessionId) this.shown = null;
    await this.guard(() => this.runtime.sessions.delete(sessionId));
  }

  /** The session as Markdown, and the file name to save it under. */
  async exportMarkdown(sessionId: string): Promise<{ markdown: string; fileName: string }> {
    return this.guard(() => this.runtime.sessions.exportMarkdown(sessionId));
  }

  /** Full-text search of this workspace's sessions; a newer search from this window stops it. */
  async search(query: string, limit = 50): Promise<SessionSearchResult> {
    const ticket = ++this.searching;
    return this.guard(() =>
      this.search_.search(query, { limit, stale: () => ticket !== this.searching }),
    );
  }

  close(): void {
    for (const stream of this.streams.values()) stream.flush();
    this.streams.clear();
    this.broker.denyAll('the window was closed');
    for (const [id, running] of this.sessions) {
      if (this.busy.has(id)) running.session.cancel();
      running.close();
    }
    this.sessions.clear();
    this.runtime.close();
  }

  private active(sessionId: string): RunningSession {
    const running = this.sessions.get(sessionId);
    const unusable = this.unusable.get(sessionId);
    if (!running && unusable !== undefined) {
      throw new BridgeError('unavailable', `This session cannot go on: ${unusable}`);
    }
    if (!running) throw new BridgeError('conflict', 'Open the session first (start or resume it).');
    return running;
  }

  /** Map the runtime's errors to bridge errors the UI can show as they are. */
  private async guard<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (error) {
      throw bridgeErrorOf(error);
    }
  }
}

/** The runtime's known errors as bridge errors; anything else unchanged (an internal error). */
function bridgeErrorOf(error: unknown): unknown {
  if (error instanceof SessionNotFoundError) return new BridgeError('not-found', error.message);
  if (error instanceof ProviderError) {
    return new BridgeError(
      error.kind === 'auth' ? 'unavailable' : 'invalid-argument',
      error.message,
    );
  }
  return error;
}

function choiceOf(input: SessionChoiceInput) {
  return {
    provider: input.provider ?? null,
    model: input.model ?? null,
    baseUrl: input.baseUrl ?? null,
  };
}

/** The workspace's MCP tools as the agent reads them; none (said in the log) if its servers cannot load. */
async function mcpTools(
  mcp: McpService,
  workspace: string,
  logger: Logger,
): Promise<() => ReadonlyMap<string, AgentTool>> {
  try {
    const manager = await mcp.forWorkspace(workspace);
    return () => manager.tools();
  } catch (error) {
    logger.error('could not load the workspace MCP servers', { workspace, error });
    return () => new Map();
  }
}

/** One ClientAgent per window and workspace, closed when the window goes or changes workspace. */
export class AgentService {
  private readonly agents = new WeakMap<BridgeClient['state'], Promise<ClientAgent>>();

  constructor(
    private readonly deps: {
      env: NodeJS.ProcessEnv;
      credentials: Credentials;
      runner: RunnerService;
      runOwners: RunOwners;
      logger: Logger;
      policy: PolicyService;
      activity: ActivityService;
      mcp: McpService;
    },
  ) {}

  /**
   * The grants of a session running in the caller's window, without opening an agent for it:
   * a session that is not running there has none.
   */
  async grantsOf(
    client: BridgeClient,
    workspace: string,
    sessionId: string,
  ): Promise<SessionGrant[]> {
    const agent = await this.agents.get(client.state)?.catch(() => null);
    return agent?.workspace === workspace ? agent.listGrants(sessionId) : [];
  }

  /** The caller's agent for its open workspace (opened on first use). */
  async forClient(client: BridgeClient, workspace: string): Promise<ClientAgent> {
    const existing = this.agents.get(client.state);
    if (existing) {
      const agent = await existing.catch(() => null);
      if (agent?.workspace === workspace) return agent;
    }
    const opening = ClientAgent.open({ ...this.deps, workspace, client });
    this.agents.set(client.state, opening);
    opening.then(
      (agent) => {
        // Closing the window, or opening another workspace in it, closes this agent.
        replaceSubscription(client.state, 'agent', () => {
          if (this.agents.get(client.state) === opening) this.agents.delete(client.state);
          agent.close();
        });
      },
      () => this.agents.delete(client.state),
    );
    return opening;
  }
}
