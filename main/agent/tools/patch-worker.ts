import { Worker } from 'node:worker_threads';
import { PatchError, applyChunks, type PatchChunk } from './patch-format';
import { applyHunks, type HunkResult } from './patch-match';

/*
 * Large updates are matched in a worker thread so the main process (which also serves the UI)
 * keeps answering. The worker runs applyHunks' own source text (`eval: true`): there is no worker
 * file to locate, so it loads the same way from the electron-vite bundle, from tsx and in vitest.
 */

/** Files or patches with at least this many lines go to the worker; smaller ones run inline. */
export const WORKER_MIN_LINES = 2_000;
/** Files of at least this many characters go to the worker whatever their line count. */
export const WORKER_MIN_CHARS = 256 * 1024;

// `__name` is the helper esbuild's keepNames (tsx) writes into function bodies; a worker lacks it.
export const PATCH_WORKER_SOURCE = `'use strict';
const __name = (fn) => fn;
const applyHunks = (${applyHunks.toString()});
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ id, text, chunks, path }) => {
  let result;
  try {
    result = applyHunks(text, chunks, path);
  } catch (error) {
    result = { ok: false, crash: String((error && error.stack) || error) };
  }
  parentPort.postMessage({ id, result });
});
`;

type WorkerResult = HunkResult | { readonly ok: false; readonly crash: string };

interface Job {
  readonly id: number;
  readonly text: string;
  readonly chunks: readonly PatchChunk[];
  readonly path: string;
  readonly resolve: (text: string) => void;
  readonly reject: (error: PatchError) => void;
}

export interface PatchWorkerOptions {
  /** The worker's program; tests swap in a broken one. */
  readonly source?: string;
  /** A job that runs longer is stopped with its worker. */
  readonly timeoutMs?: number;
  /** An idle worker is ended after this long; the next job starts a new one. */
  readonly idleMs?: number;
}

/** One worker thread, reused, running one job at a time; failures become PatchErrors. */
export class PatchWorkerHost {
  readonly #source: string;
  readonly #timeoutMs: number;
  readonly #idleMs: number;
  readonly #queue: Job[] = [];
  #worker: Worker | null = null;
  #current: Job | null = null;
  #timer: NodeJS.Timeout | null = null;
  #idle: NodeJS.Timeout | null = null;
  #ids = 0;

  constructor(options: PatchWorkerOptions = {}) {
    this.#source = options.source ?? PATCH_WORKER_SOURCE;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#idleMs = options.idleMs ?? 30_000;
  }

  /** The live worker's thread id; null when there is none (not started, retired or failed). */
  get threadId(): number | null {
    return this.#worker?.threadId ?? null;
  }

  /** Apply the hunks in the worker; rejects with PatchError on a mismatch or a worker failure. */
  run(text: string, chunks: readonly PatchChunk[], path: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: ++this.#ids, text, chunks, path, resolve, reject });
      this.#next();
    });
  }

  /** End the worker; queued and running jobs fail. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#idle) clearTimeout(this.#idle);
    const jobs = [...(this.#current ? [this.#current] : []), ...this.#queue.splice(0)];
    this.#current = null;
    for (const job of jobs) job.reject(stopped(job, 'was closed'));
    await worker?.terminate();
  }

  #next(): void {
    if (this.#current !== null) return;
    const job = this.#queue.shift();
    if (!job) return;
    this.#current = job;
    if (this.#idle) clearTimeout(this.#idle);
    try {
      const worker = (this.#worker ??= this.#spawn());
      worker.ref();
      worker.postMessage({ id: job.id, text: job.text, chunks: job.chunks, path: job.path });
    } catch (error) {
      this.#fail(
        `could not take the job: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    this.#timer = setTimeout(
      () => this.#fail(`took longer than ${this.#timeoutMs / 1000} s`),
      this.#timeoutMs,
    );
  }

  #spawn(): Worker {
    // A runaway job runs out of its own heap and ends the worker, not the app.
    const worker = new Worker(this.#source, {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: 1024 },
    });
    worker.on('message', (message: { id: number; result: WorkerResult }) => {
      const job = this.#current;
      if (worker !== this.#worker || job?.id !== message.id) return;
      const { result } = message;
      if (result.ok) this.#settle(() => job.resolve(result.text));
      else if ('crash' in result) this.#fail(`failed: ${result.crash.split('\n')[0] ?? ''}`);
      else this.#settle(() => job.reject(new PatchError(result.message)));
    });
    worker.on('error', (error) => {
      if (worker === this.#worker) this.#fail(`failed: ${error.message}`);
    });
    worker.on('exit', (code) => {
      if (worker === this.#worker) this.#fail(`stopped (exit code ${code})`);
    });
    return worker;
  }

  #settle(finish: () => void): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#current = null;
    finish();
    if (this.#queue.length > 0) {
      this.#next();
      return;
    }
    this.#worker?.unref();
    this.#idle = setTimeout(() => this.#retire(), this.#idleMs);
    this.#idle.unref();
  }

  // The worker is discarded: the running job fails, and the next one gets a new worker.
  #fail(reason: string): void {
    const worker = this.#worker;
    this.#worker = null;
    void worker?.terminate().catch(() => undefined);
    const job = this.#current;
    if (job) this.#settle(() => job.reject(stopped(job, reason)));
  }

  #retire(): void {
    const worker = this.#worker;
    if (this.#current !== null || !worker) return;
    this.#worker = null;
    void worker.terminate().catch(() => undefined);
  }
}

function stopped(job: Job, reason: string): PatchError {
  return new PatchError(`could not apply the hunks to ${job.path}: the patch worker ${reason}`);
}

/** True when matching could block the main thread for long enough to matter. */
export function isLargePatch(text: string, chunks: readonly PatchChunk[]): boolean {
  if (text.length >= WORKER_MIN_CHARS) return true;
  let lines = 0;
  for (const chunk of chunks) lines += chunk.oldLines.length + chunk.newLines.length;
  let i = text.indexOf('\n');
  while (i !== -1 && lines < WORKER_MIN_LINES) {
    lines++;
    i = text.indexOf('\n', i + 1);
  }
  return lines >= WORKER_MIN_LINES;
}

let shared: PatchWorkerHost | null = null;

/** The worker host applyChunksAsync uses, started on first use. */
export function sharedPatchWorker(): PatchWorkerHost {
  return (shared ??= new PatchWorkerHost());
}

/**
 * applyChunks without blocking the main thread: large inputs are matched in a worker thread,
 * small ones inline. Same result, or the same PatchError, as applyChunks.
 */
export async function applyChunksAsync(
  before: string,
  chunks: readonly PatchChunk[],
  path: string,
): Promise<string> {
  if (!isLargePatch(before, chunks)) return applyChunks(before, chunks, path);
  return sharedPatchWorker().run(before, chunks, path);
}
