import { hash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/*
 * Checking the seals of a large log (the activity backtest reads 100,000 lines) is a SHA-256 of
 * every byte: done in a worker thread, block by block, while the main thread reads the lines it
 * has been told about. The worker runs sealedLengths' own source text (`eval: true`, as
 * patch-worker.ts): there is no worker file to locate in the bundle, under tsx or in vitest.
 */

/** Lines checked per step (the reader waits for a whole block at most). */
const BLOCK = 2048;
/** Fewer lines than this are checked inline: a worker costs more than it saves. */
export const WORKER_MIN_LINES = 4096;

type OneShotHash = (algorithm: string, data: Uint8Array, encoding: 'buffer') => Uint8Array;

/**
 * For each line `i` in `[from, to)` (bytes `[starts[i], ends[i])`), the length of its JSON before
 * its seal when the seal is the HMAC-SHA256 under the key behind `prefix` and `opad` (RFC 2104:
 * `prefix` is the padded key XOR 0x36 followed by the scope and a NUL), else -1, into `out`.
 * Self-contained (no imports, no outer names): its source also runs in a worker thread.
 */
export function sealedLengths(
  oneShot: OneShotHash,
  prefix: Uint8Array,
  opad: Uint8Array,
  bytes: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  out: Int32Array,
  from: number,
  to: number,
): void {
  // `,"seal":"` then 64 hex digits then `"}`
  const mark = [44, 34, 115, 101, 97, 108, 34, 58, 34];
  const digits = '0123456789abcdef';
  let longest = 0;
  for (let i = from; i < to; i++) longest = Math.max(longest, (ends[i] ?? 0) - (starts[i] ?? 0));
  const input = new Uint8Array(prefix.length + longest + 1);
  input.set(prefix);
  const outer = new Uint8Array(opad.length + 32);
  outer.set(opad);
  for (let i = from; i < to; i++) {
    out[i] = -1;
    const start = starts[i] ?? 0;
    const end = ends[i] ?? 0;
    const at = end - start - (mark.length + 64 + 2);
    if (at <= 0 || bytes[end - 2] !== 34 || bytes[end - 1] !== 125) continue;
    let marked = true;
    for (let k = 0; k < mark.length; k++) if (bytes[start + at + k] !== mark[k]) marked = false;
    if (!marked) continue;
    input.set(bytes.subarray(start, start + at), prefix.length);
    input[prefix.length + at] = 125;
    outer.set(oneShot('sha256', input.subarray(0, prefix.length + at + 1), 'buffer'), opad.length);
    const mac = oneShot('sha256', outer, 'buffer');
    // Every digit is compared whatever differs (as timingSafeEqual); A-F read as a-f.
    let diff = 0;
    for (let k = 0, p = start + at + mark.length; k < 64; k++, p++) {
      let c = bytes[p] ?? 0;
      if (c >= 0x41 && c <= 0x46) c |= 0x20;
      const byte = mac[k >> 1] ?? 0;
      diff |= c ^ digits.charCodeAt(k & 1 ? byte & 15 : byte >> 4);
    }
    if (diff === 0) out[i] = at;
  }
}

// `__name` is the helper esbuild's keepNames (tsx) writes into function bodies; a worker lacks it.
const WORKER_SOURCE = `'use strict';
const __name = (fn) => fn;
const sealedLengths = (${sealedLengths.toString()});
const { hash } = require('node:crypto');
const { workerData } = require('node:worker_threads');
const { prefix, opad, bytes, starts, ends, lengths, progress, block } = workerData;
for (let from = 0; from < starts.length; from += block) {
  const to = Math.min(from + block, starts.length);
  sealedLengths(hash, prefix, opad, bytes, starts, ends, lengths, from, to);
  Atomics.store(progress, 0, to);
  Atomics.notify(progress, 0);
}
`;

/** Atomics.waitAsync (Node 16+; typed from ES2024, after this project's lib). */
const atomics = Atomics as unknown as {
  waitAsync(
    array: Int32Array,
    index: number,
    value: number,
    timeoutMs: number,
  ): { async: false; value: string } | { async: true; value: Promise<string> };
};

const shared = (length: number): SharedArrayBuffer =>
  new SharedArrayBuffer(Math.max(length, 1) * Int32Array.BYTES_PER_ELEMENT);

/**
 * The seals of a file's lines, checked ahead of the reader: in a worker for many lines (when
 * `bytes` is shared memory), else inline as the reader asks. `lengths[i]` is valid once
 * `wait(i)` has resolved.
 */
export class LineSeals {
  readonly lengths: Int32Array;
  /** Lines checked so far (written by the worker). */
  private readonly progress: Int32Array;
  private worker: Worker | null = null;
  private stopped: Promise<void> | null = null;

  constructor(
    private readonly prefix: Uint8Array,
    private readonly opad: Uint8Array,
    private readonly bytes: Uint8Array,
    private readonly starts: Int32Array,
    private readonly ends: Int32Array,
  ) {
    const lines = starts.length;
    const useWorker = lines >= WORKER_MIN_LINES && bytes.buffer instanceof SharedArrayBuffer;
    this.lengths = new Int32Array(useWorker ? shared(lines) : new ArrayBuffer(lines * 4));
    this.progress = new Int32Array(shared(1));
    if (!useWorker) return;
    try {
      const at = (a: Int32Array) => {
        const copy = new Int32Array(shared(a.length));
        copy.set(a);
        return copy;
      };
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          prefix,
          opad,
          bytes,
          starts: at(starts),
          ends: at(ends),
          lengths: this.lengths,
          progress: this.progress,
          block: BLOCK,
        },
      });
      // Kept referenced: the reader's waits do not keep the process alive, the worker does (it
      // ends by itself after the last block).
      this.worker = worker;
      // However the worker ends, the reader is woken and checks the rest itself.
      this.stopped = new Promise((resolve) => {
        worker.once('exit', () => resolve());
        worker.once('error', () => resolve());
      });
    } catch {
      this.worker = null;
    }
  }

  /** Lines checked so far. */
  get checked(): number {
    return Atomics.load(this.progress, 0);
  }

  /** Resolves once line `i` is checked. */
  async wait(i: number): Promise<void> {
    while (this.checked <= i) {
      if (this.worker === null || this.stopped === null) {
        this.inline(i);
        continue;
      }
      const seen = this.checked;
      const waiting = atomics.waitAsync(this.progress, 0, seen, 1000);
      if (waiting.async) {
        const stopped = await Promise.race([waiting.value, this.stopped.then(() => 'stopped')]);
        // A worker that stopped before the end (crashed, out of memory): the rest is checked here.
        if (stopped === 'stopped' && this.checked <= i) this.worker = null;
      }
    }
  }

  /** Stop the worker (the reader gave up early). */
  close(): void {
    void this.worker?.terminate().catch(() => undefined);
    this.worker = null;
  }

  private inline(i: number): void {
    const from = this.checked;
    const to = Math.min(Math.max(i + 1, from + BLOCK), this.starts.length);
    sealedLengths(
      hash,
      this.prefix,
      this.opad,
      this.bytes,
      this.starts,
      this.ends,
      this.lengths,
      from,
      to,
    );
    Atomics.store(this.progress, 0, to);
  }
}
