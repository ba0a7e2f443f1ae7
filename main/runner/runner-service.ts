import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  runRequestSchema,
  type RunRequest,
  type RunStatus,
  type RunSummary,
  type RunnerEvent,
} from '../../shared/domain/runner';
import type { OutputRedactor } from '../credentials/output-redact';
import type { Logger } from '../log/logger';
import type { AppPaths } from '../platform/paths';
import { ActiveRun, type RunResult } from './active-run';
import { loadPty, loadedPty } from './pty-module';
import { scrubEnv } from './env-scrub';
import { DEFAULT_BATCH_LIMITS, type BatchLimits } from './output-batcher';
import type { HostGateOptions, RunOrigin } from './host-gate';
import {
  SandboxBackend,
  violationReportsSettled,
  type NetworkLease,
  type WrappedCommand,
} from './sandbox';
import { sandboxFsRules } from '../guard/sandbox-rules';
import {
  isolateHardLinks,
  repairTampering,
  watchForTampering,
  type TamperWatch,
} from '../guard/tamper';
import { runnerSandboxSettingsSchema, type RunnerSandboxSettings } from './settings';
import { NO_TOKENS, type MaskedTokenSet, type MaskedTokenSource } from './masked-tokens';
import {
  COMMAND_VARIABLE,
  RunRefusedError,
  directory,
  protectionOf,
  unstartedExit,
  type Launch,
  type QueuedRun,
  ensureStateDir,
  errorText,
  pickShell,
  sandboxRecord,
  sandboxScript,
  within,
} from './run-setup';
import { isViolationInsideAllowed } from './violations';
import { wrapServer, type ServerLaunch, type ServerSandboxInput } from './server-sandbox';
import { WarmWraps, type PreparedRun, type SandboxRules } from './warm-wrap';

export type { RunResult } from './active-run';

export { COMMAND_VARIABLE, RunRefusedError } from './run-setup';

/** A run as main starts it: the request plus the workspace and the sandbox settings for it. */
export interface StartRunInput {
  readonly request: unknown;
  readonly workspace: string;
  readonly settings: RunnerSandboxSettings;
  /**
   * Who started the run and can be asked about a host no rule covers (see host-gate.ts). None:
   * nobody can be asked, so such a host is denied (headless `run` and `exec`).
   */
  readonly origin?: RunOrigin | null;
}

export interface RunnerServiceOptions {
  readonly appPaths: AppPaths;
  /** The app's environment; scrubbed before any command sees it. */
  readonly hostEnv?: NodeJS.ProcessEnv;
  readonly backend?: SandboxBackend;
  /** Options of the network gate of the backend this service makes (not used with `backend`). */
  readonly network?: HostGateOptions;
  readonly logger?: Logger;
  readonly batch?: BatchLimits;
  /** Finished runs kept for status()/wait() after they end. */
  readonly keepFinished?: number;
  /** Tokens sandboxed commands get as placeholders (credentials/token-store.ts); none if absent. */
  readonly tokens?: MaskedTokenSource;
  /** A redactor per run for what it prints: known secrets never reach the UI or the agent. */
  readonly outputRedactor?: () => OutputRedactor;
}

/**
 * Runs commands in the OS sandbox inside pseudo-terminals and streams what they print. Never
 * falls back to running unsandboxed: that happens only when the settings (danger_full_access) or
 * the request (`unsandboxed: true`) say so, and the run's record shows it.
 */
export class RunnerService {
  private readonly runs = new Map<string, ActiveRun>();
  private readonly queued = new Map<string, QueuedRun>();
  private readonly finished = new Map<string, RunResult>();
  private readonly listeners = new Set<(event: RunnerEvent) => void>();
  private readonly backend: SandboxBackend;
  private readonly stopViolations: () => void;
  private starting = 0;
  /** Runs wrapped ahead of time, so the next command in a workspace starts sooner. */
  readonly warm: WarmWraps;

  constructor(private readonly options: RunnerServiceOptions) {
    this.backend =
      options.backend ??
      new SandboxBackend(undefined, options.network ? { network: options.network } : {});
    this.warm = new WarmWraps({
      prepare: (rules) => this.prepare(rules),
      discard: async (prepared) => {
        prepared.wrapped.release();
        if (prepared.runTmp) await rm(prepared.runTmp, { recursive: true, force: true });
      },
    });
    this.stopViolations = this.backend.onViolation((runId, line) => {
      const run = this.runs.get(runId);
      if (run && !isViolationInsideAllowed(line, this.allowedWrites.get(runId) ?? [])) {
        run.violation(this.backend.gate.explain(runId, line));
      }
    });
  }

  private readonly allowedWrites = new Map<string, readonly string[]>();

  /** Listen to every run's events; returns the unsubscribe function. */
  subscribe(listener: (event: RunnerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: RunnerEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.logger?.error('runner listener failed', { error });
      }
    }
  }

  /**
   * Start a command; resolves to its run id once it is running. Throws RunRefusedError for a bad
   * request and SandboxUnavailableError when the sandbox cannot start (nothing runs then).
   */
  async start(input: StartRunInput): Promise<string> {
    const parsed = runRequestSchema.safeParse(input.request);
    if (!parsed.success) {
      throw new RunRefusedError(
        `invalid run request: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ')}`,
      );
    }
    const request = parsed.data;
    const settingsResult = runnerSandboxSettingsSchema.safeParse(input.settings);
    if (!settingsResult.success) {
      throw new RunRefusedError(`invalid sandbox settings: ${settingsResult.error.message}`);
    }
    const settings = settingsResult.data;
    if (this.runs.size + this.queued.size + this.starting >= settings.pty.maxSessions) {
      throw new RunRefusedError(
        `${settings.pty.maxSessions} commands are already running ([pty] max_sessions); wait for one to finish`,
      );
    }
    this.starting++;
    try {
      return await this.launch(request, input.workspace, settings, input.origin ?? null);
    } finally {
      this.starting--;
    }
  }

  private async launch(
    request: RunRequest,
    workspaceInput: string,
    settings: RunnerSandboxSettings,
    origin: RunOrigin | null,
  ): Promise<string> {
    await loadPty();
    const workspace = await directory(resolve(workspaceInput), 'The workspace');
    // Resolved, so a symlink inside the workspace cannot lead the cwd out of it.
    const cwd = await directory(resolve(workspace, request.cwd ?? '.'), 'The working directory');
    if (!within(cwd, workspace)) {
      throw new RunRefusedError(
        `The working directory ${cwd} is outside the workspace ${workspace}`,
      );
    }
    const sandbox = sandboxRecord(settings, request);
    const shell = pickShell();
    let runId: string;
    let runTmp: string | null;
    let wrapped: WrappedCommand | null = null;
    let rules: SandboxRules | null = null;
    let tamper: TamperWatch | null = null;
    if (sandbox.kind === 'sandboxed') {
      // Before the wrap: it is made for the paths as they are then.
      if (origin?.asker) await ensureStateDir(workspace);
      const writable = sandbox.mode === 'workspace_write';
      const model = protectionOf(workspace, settings, this.options.appPaths);
      const fsRules = sandboxFsRules(model, writable);
      if (writable) {
        tamper = watchForTampering(model);
        // A hard link made earlier must not reach a protected file past its read-only mount.
        isolateHardLinks(fsRules.denyWrite);
      }
      rules = {
        workspace,
        shell,
        writable,
        denyWrite: fsRules.denyWrite,
        denyRead: fsRules.denyRead,
        allowRead: fsRules.allowRead,
        network: settings.network,
        // A run prepared under other token bindings is not reused (warm-wrap.ts).
        tokens: await this.tokenRevision(),
      };
      const prepared = (await this.warm.take(rules)) ?? (await this.prepare(rules));
      ({ runId, runTmp, wrapped } = prepared);
      this.allowedWrites.set(runId, writable && runTmp ? [workspace, runTmp] : []);
    } else {
      runId = `run-${randomUUID()}`;
      runTmp = await this.backend.tempFolder('run-');
    }
    const cleanupTmp = async (): Promise<void> => {
      if (runTmp) await rm(runTmp, { recursive: true, force: true });
    };
    const { env, dropped } = scrubEnv(this.options.hostEnv ?? process.env, request.env ?? {}, {
      HOME: this.options.appPaths.home,
      ...(runTmp ? { TMPDIR: runTmp } : {}),
      ...(wrapped ? { [COMMAND_VARIABLE]: request.command } : {}),
    });
    const timeoutSeconds = Math.min(
      request.timeoutSeconds ?? settings.timeouts.commandTimeoutSeconds,
      settings.timeouts.ptyCeilingSeconds,
    );
    const summary: RunSummary = {
      runId,
      command: request.command,
      workspace,
      cwd,
      startedAt: new Date().toISOString(),
      sandbox,
      droppedEnv: [...dropped],
      timeoutSeconds,
    };
    const launch: Launch = {
      runId,
      summary,
      file: wrapped ? wrapped.file : shell,
      args: wrapped ? [...wrapped.args] : ['-c', request.command],
      cwd,
      env,
      request,
      settings,
      wrapped,
      lease: null,
      rules,
      tamper,
      cleanupTmp,
    };
    if (!wrapped) {
      this.spawn(launch);
      return runId;
    }
    let lease: NetworkLease;
    try {
      lease = await this.backend.lease({
        runId,
        command: request.command,
        rules: settings.network,
        origin,
        workspace,
      });
    } catch (error) {
      wrapped.release();
      this.allowedWrites.delete(runId);
      await cleanupTmp();
      throw error;
    }
    if (lease.waiting === null) {
      this.spawn({ ...launch, lease });
      return runId;
    }
    this.queue({ ...launch, lease }, lease, lease.waiting);
    return runId;
  }

  /** Hold a run until the network proxy is free for its rules, then start it. */
  private queue(launch: Launch, lease: NetworkLease, reason: string): void {
    const { runId, summary } = launch;
    const result = lease.ready.then(
      () => {
        this.queued.delete(runId);
        try {
          return this.spawn(launch).wait();
        } catch (error) {
          return this.endUnstarted(launch, 'failed', errorText(error));
        }
      },
      () => {
        this.queued.delete(runId);
        return this.endUnstarted(launch, 'cancelled', 'cancelled while waiting for the network');
      },
    );
    this.queued.set(runId, { summary, reason, result, lease });
    this.options.logger?.info('run queued', { runId, reason });
    this.emit({ type: 'queued', summary, reason });
  }

  /** End a run that never started: release what it held and report its exit. */
  private async endUnstarted(
    launch: Launch,
    outcome: 'cancelled' | 'failed',
    message: string,
  ): Promise<RunResult> {
    launch.lease?.release();
    launch.wrapped?.release();
    this.allowedWrites.delete(launch.runId);
    await launch.cleanupTmp();
    const exit = unstartedExit(launch.summary, outcome, message);
    const result: RunResult = { summary: launch.summary, exit, text: '' };
    this.remember(launch.runId, result);
    this.emit({ type: 'exit', event: exit });
    return result;
  }

  /** Start the command in its pseudo-terminal; throws RunRefusedError when it cannot. */
  private spawn(launch: Launch): ActiveRun {
    const { runId, summary, request, settings, wrapped, lease, tamper, cleanupTmp } = launch;
    const sandboxRules = launch.rules;
    let pty;
    try {
      pty = loadedPty().spawn(launch.file, [...launch.args], {
        name: 'xterm-256color',
        cols: request.cols ?? settings.pty.defaultCols,
        rows: request.rows ?? settings.pty.defaultRows,
        cwd: launch.cwd,
        env: launch.env,
        // Bytes, not strings: decoded once per batch, and the final drain stays in one stream.
        encoding: null,
      });
    } catch (error) {
      lease?.release();
      wrapped?.release();
      this.allowedWrites.delete(runId);
      void cleanupTmp();
      throw new RunRefusedError(`could not start a terminal for the command: ${errorText(error)}`);
    }
    const run = new ActiveRun({
      summary,
      pty,
      maxScrollbackBytes: settings.pty.maxScrollbackBytes,
      timeoutMs: summary.timeoutSeconds * 1000,
      killGraceMs: settings.killGraceMs,
      batch: this.options.batch ?? DEFAULT_BATCH_LIMITS,
      ...(this.options.outputRedactor ? { redactor: this.options.outputRedactor() } : {}),
      emit: (event) => this.emit(event),
      cleanup: async () => {
        // The violation monitor's socket is asynchronous: let its last lines arrive first.
        if (wrapped) await violationReportsSettled();
        // Off the proxy: questions only this run could have asked are denied, queued runs may go.
        lease?.release();
        // A wrap waiting for the next run would keep the runtime from removing this run's mount
        // points, so it goes first (see warm-wrap.ts).
        if (wrapped) await this.warm.discard();
        wrapped?.release();
        await cleanupTmp();
        // What the sandbox could not keep out with a mount is checked now, before any git runs.
        if (tamper) for (const line of repairTampering(tamper)) run.violation(line);
        if (sandboxRules) this.warm.prepareNext(sandboxRules);
      },
    });
    this.runs.set(runId, run);
    this.options.logger?.info('run started', {
      runId,
      sandbox: summary.sandbox.kind,
      pid: pty.pid,
    });
    this.emit({ type: 'started', summary });
    void run.wait().then((result) => {
      this.runs.delete(runId);
      this.allowedWrites.delete(runId);
      this.remember(runId, result);
      this.options.logger?.info('run finished', {
        runId,
        outcome: result.exit.outcome,
        exitCode: result.exit.exitCode,
        signal: result.exit.signal,
        durationMs: result.exit.durationMs,
      });
    });
    return run;
  }

  /** Keep a finished run for status()/wait(), the newest `keepFinished` of them. */
  private remember(runId: string, result: RunResult): void {
    this.finished.set(runId, result);
    const keep = this.options.keepFinished ?? 64;
    for (const id of this.finished.keys()) {
      if (this.finished.size <= keep) break;
      this.finished.delete(id);
    }
  }

  private async tokenRevision(): Promise<string> {
    return this.options.tokens ? this.options.tokens.revision().catch(() => 'unreadable') : 'none';
  }

  private async tokenSet(): Promise<MaskedTokenSet> {
    return this.options.tokens ? this.options.tokens.forSandbox() : NO_TOKENS;
  }

  /** Wrap a run for `rules`: its id, its temp folder (when it may write) and the invocation. */
  private async prepare(rules: SandboxRules): Promise<PreparedRun> {
    const runId = `run-${randomUUID()}`;
    const runTmp = rules.writable ? await this.backend.tempFolder('run-') : null;
    try {
      const wrapped = await this.backend.wrap({
        runId,
        command: sandboxScript(runTmp),
        shell: rules.shell,
        allowWrite: runTmp ? [rules.workspace, runTmp] : [],
        denyWrite: rules.denyWrite,
        denyRead: rules.denyRead,
        allowRead: rules.allowRead,
        tokens: await this.tokenSet(),
      });
      return { runId, runTmp, wrapped };
    } catch (error) {
      if (runTmp) await rm(runTmp, { recursive: true, force: true });
      throw error;
    }
  }

  /** Wrap a long-lived server (MCP) in the sandbox; the caller spawns and later releases it. */
  wrapServer(input: ServerSandboxInput): Promise<ServerLaunch> {
    return wrapServer(
      this.backend,
      this.options.appPaths,
      this.options.hostEnv ?? process.env,
      input,
    );
  }

  /** Interrupt a run, then kill everything it started after the grace period. */
  cancel(runId: string): boolean {
    const waiting = this.queued.get(runId);
    if (waiting) {
      waiting.lease.cancel();
      return true;
    }
    const run = this.runs.get(runId);
    if (!run) return false;
    run.stop('cancelled', 'cancelled by the user');
    return true;
  }

  /** Resolves when the run has ended and everything it started is gone. */
  async wait(runId: string): Promise<RunResult> {
    const waiting = this.queued.get(runId);
    if (waiting) return waiting.result;
    const run = this.runs.get(runId);
    if (run) return run.wait();
    const done = this.finished.get(runId);
    if (done) return done;
    throw new RunRefusedError(`no run ${runId}`);
  }

  status(runId: string): RunStatus | null {
    const waiting = this.queued.get(runId);
    if (waiting) return { state: 'queued', summary: waiting.summary, reason: waiting.reason };
    const run = this.runs.get(runId);
    if (run) return run.status();
    const done = this.finished.get(runId);
    return done ? { state: 'finished', summary: done.summary, exit: done.exit } : null;
  }

  /** Runs still going, and runs waiting for the network proxy. */
  active(): RunStatus[] {
    return [
      ...[...this.queued.values()].map((q): RunStatus => ({
        state: 'queued',
        summary: q.summary,
        reason: q.reason,
      })),
      ...[...this.runs.values()].map((r) => r.status()),
    ];
  }

  write(runId: string, data: string): boolean {
    const run = this.runs.get(runId);
    run?.write(data);
    return run !== undefined;
  }

  resize(runId: string, cols: number, rows: number): boolean {
    const run = this.runs.get(runId);
    run?.resize(cols, rows);
    return run !== undefined;
  }

  /** Cancel every run, wait for them, and stop the sandbox runtime. */
  async dispose(): Promise<void> {
    await this.warm.close();
    const queued = [...this.queued.values()].map((q) => {
      q.lease.cancel();
      return q.result;
    });
    await Promise.all(queued);
    const waiting = [...this.runs.values()].map((run) => {
      run.stop('cancelled', 'the app is shutting down');
      return run.wait();
    });
    await Promise.all(waiting);
    this.stopViolations();
    await this.backend.dispose();
  }
}
