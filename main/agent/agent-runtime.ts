import { join, resolve } from 'node:path';
import { modelMessageSchema, type ModelMessage } from 'ai';
import { ActivityLog } from '../activity/activity-log';
import type { AgentEvent, AgentMode, SessionSummary } from '../../shared/domain/agent';
import { configFiles, type ConfigFileRef } from '../config/config-loader';
import { createConfigStore, type ConfigStore } from '../config/config-store';
import type { KeyResolver } from '../credentials/key-resolver';
import { resolveAppPaths } from '../platform/paths';
import { createPolicyEngine, type PolicyEngine } from '../policy/engine';
import { createLazyShellParser, type LazyShellParser } from '../policy/shell-parser';
import type { RunnerSandboxSettings } from '../runner/settings';
import { runnerSettingsFromConfig } from '../runner/settings-from-config';
import { AgentSession, type TurnResult } from './loop/agent-session';
import type { FileChange } from './loop/checkpoints';
import { DEFAULT_CONTEXT, type ContextLimits } from './loop/context-window';
import { buildSystemPrompt } from './loop/instructions';
import type { ApprovalMode } from './loop/tool-executor';
import { readProviderConfig } from '../config/provider-trust';
import { catalogOf } from '../credentials/catalog';
import { keyOptional, resolveModelChoice } from './model-choice';
import { CredentialError } from '../credentials/errors';
import { ProviderError } from './providers/errors';
import type { RetryPolicy, StepRequest } from './providers/model-step';
import { priceOf, type ModelPrice } from './providers/pricing';
import { createLanguageModel } from './providers/provider-factory';
import { SessionStore, type OpenedSession } from './sessions/session-store';
import { SessionSealer } from '../guard/session-seal';
import { SessionSink } from './sessions/session-log';
import { agentTools, APP_TOOL_OPTIONS } from './tools/registry';
import type { AgentTool } from './tools/tool-types';
import type { CommandRunner } from './tools/tool-types';

export interface AgentRuntimeOptions {
  readonly workspace: string;
  readonly env: NodeJS.ProcessEnv;
  /** `--config FILE`: use only this vtcode.toml. */
  readonly explicitConfig?: string | null;
  /** Keys for outgoing requests (main only); null for key-less providers. */
  readonly keys: KeyResolver | null;
  readonly redact: (text: string) => string;
  readonly runner: CommandRunner | null;
  readonly approvals: ApprovalMode;
  readonly webFetch?: boolean;
  readonly fetch?: typeof fetch;
  readonly retry?: RetryPolicy;
  readonly sleep?: StepRequest['sleep'];
  readonly maxRepeatedCalls?: number;
  readonly prices?: ReadonlyMap<string, ModelPrice>;
  /** Every event of every session this runtime runs (the bridge forwards these). */
  readonly onEvent?: (sessionId: string, event: AgentEvent) => void;
  /**
   * The workspace's live config, shared with the policy screen (the app), so an edit saved there
   * applies to the agent's next decision. Without it the runtime reads the files itself, once.
   */
  readonly configStore?: ConfigStore;
  /**
   * The workspace's activity log, shared by every window (the app). Without it the runtime writes
   * to the log itself, its failures said on `onActivityError` (stderr when absent).
   */
  readonly activity?: ActivityLog;
  readonly onActivityError?: (message: string, error: unknown) => void;
  /** Tools that come and go: the workspace's MCP servers' (read at each step and call). */
  readonly moreTools?: () => ReadonlyMap<string, AgentTool>;
}

/** Which provider and model a session uses; each falls back to `[agent]` in vtcode.toml. */
export interface SessionChoice {
  readonly provider?: string | null;
  readonly model?: string | null;
  readonly baseUrl?: string | null;
}

/** A session ready for turns; its events go to the log and to `onEvent`. */
export interface RunningSession {
  readonly id: string;
  readonly session: AgentSession;
  readonly warnings: readonly string[];
  /** The session as last written (a draft's until its first message). */
  summary(): SessionSummary;
  runTurn(prompt: string, mode?: AgentMode): Promise<TurnResult>;
  /**
   * Start a turn: resolves once the session is written (a drafted one named after `prompt`) with
   * its summary, while the turn goes on in `done`.
   */
  startTurn(
    prompt: string,
    mode?: AgentMode,
  ): Promise<{ summary: SessionSummary; done: Promise<TurnResult> }>;
  close(): void;
}

const REASONING = new Set(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);

/** The agent for one workspace: config, policy, providers, sessions. */
export class AgentRuntime {
  private engine: PolicyEngine;
  private readonly stopWatching: () => void;

  private constructor(
    private readonly o: AgentRuntimeOptions,
    readonly workspace: string,
    readonly configStore: ConfigStore,
    private readonly parser: LazyShellParser,
    private readonly files: readonly ConfigFileRef[],
    readonly warnings: readonly string[],
    readonly sessions: SessionStore,
    /** Where every decision and answer of this runtime's sessions is recorded. */
    readonly activity: ActivityLog,
  ) {
    this.engine = this.buildEngine();
    this.stopWatching = configStore.subscribe(() => {
      this.engine = this.buildEngine();
    });
  }

  /** Load the workspace's config and policy. */
  static async open(o: AgentRuntimeOptions): Promise<AgentRuntime> {
    const workspace = resolve(o.workspace);
    const files = configFiles({ workspace, env: o.env, explicit: o.explicitConfig ?? null });
    const store = o.configStore ?? (await createConfigStore(files));
    const custom = await readProviderConfig(files);
    const issues = store
      .issues()
      .map(
        (i) => `${i.file}${i.line ? `:${i.line}` : ''}: ${i.key ? `${i.key}: ` : ''}${i.message}`,
      );
    const paths = resolveAppPaths(o.env);
    const sealer = SessionSealer.forDataDir(paths.dataDir);
    const activity =
      o.activity ??
      new ActivityLog({
        workspace,
        audit: () => store.current().audit,
        home: paths.home,
        sealer,
        redact: o.redact,
        onError:
          o.onActivityError ??
          ((message, error) =>
            process.stderr.write(
              `[activity] ${message}: ${o.redact(error instanceof Error ? error.message : String(error))}\n`,
            )),
      });
    return new AgentRuntime(
      o,
      workspace,
      store,
      // The grammar loads at the first command (commandsReady), not before the first request.
      createLazyShellParser(),
      files,
      [...custom.warnings, ...issues],
      new SessionStore(workspace, o.redact, sealer),
      activity,
    );
  }

  private buildEngine(): PolicyEngine {
    const paths = resolveAppPaths(this.o.env);
    return createPolicyEngine({
      config: this.configStore.current(),
      parser: this.parser,
      workspace: this.workspace,
      home: paths.home,
      appDirs: [paths.configDir, paths.dataDir],
    });
  }

  get policy(): PolicyEngine {
    return this.engine;
  }

  private contextLimits(): ContextLimits {
    const c = this.configStore.current().context;
    return {
      ...DEFAULT_CONTEXT,
      ...(c.maxContextTokens ? { maxContextTokens: c.maxContextTokens } : {}),
      ...(c.trimToPercent ? { trimToPercent: c.trimToPercent } : {}),
      ...(c.preserveRecentTurns !== null ? { preserveRecentTurns: c.preserveRecentTurns } : {}),
    };
  }

  private async build(
    choice: SessionChoice,
    log: SessionSink,
    id: string,
    history: readonly ModelMessage[],
    changes: readonly FileChange[],
  ): Promise<{ session: AgentSession; warnings: string[] }> {
    const config = this.configStore.current();
    // Read now, not at open: Settings may have added an endpoint since. A workspace file's
    // endpoints come back keyless, and it cannot redefine a built-in or a user provider.
    const providers = await readProviderConfig(this.files);
    const resolved = resolveModelChoice(config, providers, choice);
    if (!resolved.ok) throw new ProviderError('config', resolved.problem.message);
    const { target, modelId } = resolved;
    let apiKey: string | null = null;
    if (target.needsKey) {
      if (!this.o.keys) throw new ProviderError('auth', `No API key source for ${target.id}.`);
      try {
        // The key is looked up with the trusted config only, and only for the URL it was saved for.
        const request = { baseUrl: target.baseUrl, catalog: catalogOf(providers) };
        apiKey = (await this.o.keys.resolveKeyForRequest(target.id, request)).key;
      } catch (error) {
        const noKey = error instanceof CredentialError && error.reason === 'no-key';
        if (!(noKey && keyOptional(target)))
          throw new ProviderError(
            'auth',
            this.o.redact(error instanceof Error ? error.message : String(error)),
          );
      }
    }
    // Read at every tool call, so a saved policy or a trust change applies to the next command.
    const runnerSettings = (): RunnerSandboxSettings | null => {
      try {
        return runnerSettingsFromConfig(this.configStore.current());
      } catch {
        return null;
      }
    };
    const { prompt } = await buildSystemPrompt(this.workspace, this.engine.guard);
    const effort = config.agent.reasoningEffort?.toLowerCase() ?? null;
    const onEvent = this.o.onEvent;
    // What a file changed since the runtime opened is said with the session.
    const warnings = providers.warnings.filter((w) => !this.warnings.includes(w));
    const session = new AgentSession({
      model: await createLanguageModel(target, modelId, apiKey, this.o.fetch),
      provider: target.id,
      modelId,
      system: prompt,
      tools: agentTools(
        this.o.webFetch === undefined ? APP_TOOL_OPTIONS : { webFetch: this.o.webFetch },
      ),
      ...(this.o.moreTools ? { moreTools: this.o.moreTools } : {}),
      maxToolLoops: config.tools.maxToolLoops.value || 40,
      maxRepeatedCalls: this.o.maxRepeatedCalls ?? 3,
      context: this.contextLimits(),
      temperature: config.agent.temperature,
      reasoning: effort && REASONING.has(effort) ? (effort as StepRequest['reasoning']) : null,
      price: priceOf(modelId, this.o.prices),
      ...(this.o.retry ? { retry: this.o.retry } : {}),
      ...(this.o.sleep ? { sleep: this.o.sleep } : {}),
      history,
      changes,
      workspace: this.workspace,
      sessionId: id,
      policy: () => this.engine,
      commandsReady: () => this.parser.ready(),
      approvals: this.o.approvals,
      runner: this.o.runner,
      runnerSettings,
      alwaysAllowTarget: {
        store: this.configStore,
        file: this.o.explicitConfig
          ? resolve(this.o.explicitConfig)
          : join(this.workspace, 'vtcode.toml'),
      },
      // Read when a tool sends, not now: the global fetch loads undici, which most runs never need.
      fetch: this.o.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      redact: this.o.redact,
      activity: { sessionId: id, sink: this.activity },
      onEvent: (event) => {
        // Grants live in memory only: the log never holds them, so a resumed session has none.
        if (event.type !== 'grants-changed') log.append(event);
        onEvent?.(id, event);
      },
    });
    return { session, warnings };
  }

  private running(
    summary: SessionSummary,
    session: AgentSession,
    sink: SessionSink,
    warnings: readonly string[],
  ): RunningSession {
    let meta = summary;
    const startTurn = async (prompt: string, mode?: AgentMode) => {
      if (!sink.attached) {
        // A drafted session is written with its first message, named after it, its turn counted.
        const { summary: written, log } = await this.sessions.persist(meta, prompt, {
          countTurn: true,
        });
        meta = written;
        sink.attach(log);
      } else meta = await this.sessions.noteTurn(meta);
      const done = session.runTurn(prompt, mode).finally(() => sink.flush());
      return { summary: meta, done };
    };
    return {
      id: summary.id,
      session,
      warnings,
      summary: () => meta,
      startTurn,
      runTurn: async (prompt, mode) => (await startTurn(prompt, mode)).done,
      close: () => sink.close(),
    };
  }

  /**
   * Start a new session, in memory until its first turn (nothing on disk before). Throws
   * ProviderError (config/auth) when it cannot talk to the model. `title` given is kept; without
   * one the first message names the session.
   */
  async startSession(choice: SessionChoice, title?: string | null): Promise<RunningSession> {
    const summary = this.sessions.draft({
      title: title ?? null,
      provider: choice.provider ?? null,
      model: choice.model ?? null,
    });
    const sink = new SessionSink();
    const { session, warnings } = await this.build(choice, sink, summary.id, [], []);
    return this.running(summary, session, sink, warnings);
  }

  /**
   * Reopen a session: its history and checkpoints come back from the log (`read`: the log as the
   * caller just read it, so it is not read and validated twice).
   */
  async resumeSession(
    id: string,
    choice: SessionChoice = {},
    read?: OpenedSession,
  ): Promise<RunningSession> {
    const { opened, log: file } = await this.sessions.append(id, read);
    const log = new SessionSink(file);
    const history: ModelMessage[] = [];
    const changes = new Map<string, FileChange>();
    for (const [index, e] of opened.events.entries()) {
      // What this app did not write is shown, never acted on (guard/session-seal.ts).
      if (opened.unsealed.has(index)) continue;
      if (e.type === 'history') {
        for (const m of e.messages) {
          const parsed = modelMessageSchema.safeParse(m);
          if (parsed.success) history.push(parsed.data);
          else opened.warnings.push(`a stored message of turn ${e.turnId} is not valid; skipped`);
        }
      }
      if (e.type === 'file-changed')
        changes.set(e.changeId, {
          changeId: e.changeId,
          turnId: e.turnId,
          callId: e.callId,
          path: e.path,
          before: e.before,
          after: e.after,
        });
      if (e.type === 'change-reverted') for (const c of e.changeIds) changes.delete(c);
    }
    try {
      const { session, warnings } = await this.build(
        {
          provider: choice.provider ?? opened.summary.provider,
          model: choice.model ?? opened.summary.model,
          baseUrl: choice.baseUrl ?? null,
        },
        log,
        id,
        history,
        [...changes.values()],
      );
      return this.running(opened.summary, session, log, [...opened.warnings, ...warnings]);
    } catch (error) {
      log.close();
      throw error;
    }
  }

  close(): void {
    this.stopWatching();
    // A shared store belongs to whoever passed it in.
    if (!this.o.configStore) this.configStore.close();
  }
}
