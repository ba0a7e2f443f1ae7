import { constants } from 'node:os';
import type { IPty } from 'node-pty';
import type {
  RunExitEvent,
  RunOutcome,
  RunStatus,
  RunSummary,
  RunnerEvent,
} from '../../shared/domain/runner';
import type { OutputRedactor } from '../credentials/output-redact';
import { terminalToText } from './ansi';
import { OutputBatcher, type BatchLimits } from './output-batcher';
import { interruptTargets, killRun, runProcesses, signal } from './process-tree';
import { keepFinalOutput } from './pty-final-output';
import { HeadTailBuffer } from './scrollback';

/** What a finished run hands the agent: its record, exit and output as plain text. */
export interface RunResult {
  readonly summary: RunSummary;
  readonly exit: RunExitEvent;
  /** Kept output with ANSI escapes removed and a notice where the middle was dropped. */
  readonly text: string;
}

export interface ActiveRunOptions {
  readonly summary: RunSummary;
  /** Spawned with `encoding: null`: output is handled as bytes and decoded once per batch. */
  readonly pty: IPty;
  readonly maxScrollbackBytes: number;
  readonly timeoutMs: number;
  readonly killGraceMs: number;
  readonly batch: BatchLimits;
  readonly emit: (event: RunnerEvent) => void;
  /** Runs after the process and everything it started are gone (sandbox and temp cleanup). */
  readonly cleanup: () => Promise<void>;
  /** Redacts known secrets from the output before anything keeps or sends it. */
  readonly redactor?: OutputRedactor;
}

/*
 * How long output that may be the start of a secret is held back when nothing follows it: long
 * enough for the rest of a line from the same write, short enough not to show as lag when typing.
 */
const HELD_OUTPUT_MS = 40;

const MAX_VIOLATION_LINES = 100;

function signalName(n: number): string | null {
  if (!n) return null;
  const entry = Object.entries(constants.signals).find(([, value]) => value === n);
  return entry ? entry[0] : `signal ${n}`;
}

/** One command in its pseudo-terminal, from spawn to the exit event. */
export class ActiveRun {
  private readonly scrollback: HeadTailBuffer;
  private readonly batcher: OutputBatcher;
  private readonly startedAt = Date.now();
  private seq = 0;
  private stopping: { outcome: RunOutcome; message: string } | null = null;
  private killTimer: NodeJS.Timeout | null = null;
  private readonly timeoutTimer: NodeJS.Timeout;
  private readonly violationLines = new Set<string>();
  private violations = 0;
  private result: RunResult | null = null;
  private readonly done: Promise<RunResult>;
  private heldTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: ActiveRunOptions) {
    this.scrollback = new HeadTailBuffer(options.maxScrollbackBytes);
    this.batcher = new OutputBatcher((data, bytes) => {
      options.emit({
        type: 'output',
        event: { runId: options.summary.runId, seq: this.seq++, data, bytes },
      });
    }, options.batch);
    options.pty.onData((data: string | Buffer) =>
      this.output(typeof data === 'string' ? Buffer.from(data, 'utf8') : data),
    );
    keepFinalOutput(options.pty, (chunk) => this.output(chunk));
    this.done = new Promise((resolve) => {
      options.pty.onExit(({ exitCode, signal: sig }) => {
        void this.finish(exitCode, sig ?? 0).then(resolve);
      });
    });
    this.timeoutTimer = setTimeout(() => {
      this.stop(
        'timed_out',
        `timed out after ${Math.round(options.timeoutMs / 1000)} s; stopped the command`,
      );
    }, options.timeoutMs);
  }

  get runId(): string {
    return this.options.summary.runId;
  }

  get pid(): number {
    return this.options.pty.pid;
  }

  private output(chunk: Buffer): void {
    const redactor = this.options.redactor;
    if (!redactor) {
      this.keep(chunk);
      return;
    }
    this.keep(redactor.push(chunk));
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.heldTimer = redactor.holding ? setTimeout(() => this.releaseHeld(), HELD_OUTPUT_MS) : null;
  }

  private keep(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.scrollback.append(chunk);
    this.batcher.push(chunk);
  }

  private releaseHeld(): void {
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.heldTimer = null;
    if (this.options.redactor) this.keep(this.options.redactor.flush());
  }

  /** Record a blocked operation: an event for the UI and one clear line in the output. */
  violation(line: string): void {
    if (this.result) return;
    this.violations++;
    if (this.violationLines.has(line) || this.violationLines.size >= MAX_VIOLATION_LINES) return;
    this.violationLines.add(line);
    this.options.emit({
      type: 'violation',
      event: { runId: this.runId, line, at: new Date().toISOString() },
    });
    this.output(Buffer.from(`\r\n\u001b[31m[sandbox] blocked: ${line}\u001b[0m\r\n`, 'utf8'));
  }

  /** Type into the command's terminal. */
  write(data: string): void {
    if (!this.result) this.options.pty.write(data);
  }

  resize(cols: number, rows: number): void {
    if (this.result) return;
    try {
      this.options.pty.resize(cols, rows);
    } catch {
      // The terminal closed as the run ended: nothing left to resize.
    }
  }

  /**
   * Interrupt the command's own processes, then after the grace period SIGKILL the process group
   * and every process the run owns (the sandbox's PID namespace takes the rest with it).
   */
  stop(outcome: RunOutcome, message: string): void {
    if (this.result || this.stopping) return;
    this.stopping = { outcome, message };
    clearTimeout(this.timeoutTimer);
    const grace = this.options.killGraceMs;
    if (grace > 0) {
      for (const p of interruptTargets(runProcesses(this.pid))) signal(p.pid, 'SIGINT');
    }
    this.killTimer = setTimeout(() => killRun(this.pid), grace);
  }

  status(): RunStatus {
    const summary = this.options.summary;
    if (this.result) return { state: 'finished', summary, exit: this.result.exit };
    if (this.stopping) return { state: 'cancelling', summary, pid: this.pid };
    return { state: 'running', summary, pid: this.pid };
  }

  wait(): Promise<RunResult> {
    return this.done;
  }

  private async finish(exitCode: number, sig: number): Promise<RunResult> {
    clearTimeout(this.timeoutTimer);
    if (this.killTimer) clearTimeout(this.killTimer);
    // Nothing outlives a run: background jobs left in its session or group go too.
    killRun(this.pid);
    let cleanupError: string | null = null;
    try {
      await this.options.cleanup();
    } catch (error) {
      cleanupError = error instanceof Error ? error.message : String(error);
    }
    this.releaseHeld();
    this.batcher.end();
    const exit: RunExitEvent = {
      runId: this.runId,
      outcome: this.stopping?.outcome ?? 'exited',
      exitCode: sig ? null : exitCode,
      signal: signalName(sig),
      durationMs: Date.now() - this.startedAt,
      totalBytes: this.scrollback.totalBytes,
      keptBytes: this.scrollback.keptBytes,
      droppedBytes: this.scrollback.droppedBytes,
      violations: this.violations,
      sandbox: this.options.summary.sandbox,
      message: this.stopping?.message ?? cleanupError,
    };
    // The plain text is for the agent: made when first read, so the exit event does not wait for
    // a large output's conversion (half a second for tens of megabytes).
    const scrollback = this.scrollback;
    let text: string | null = null;
    this.result = {
      summary: this.options.summary,
      exit,
      get text() {
        text ??= terminalToText(scrollback.text());
        return text;
      },
    };
    this.options.emit({ type: 'exit', event: exit });
    return this.result;
  }
}
