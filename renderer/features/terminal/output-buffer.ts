import type { RunId, RunOutputEvent } from '../../../shared/domain/runner';

/*
 * Terminal bytes on their way from the bridge to xterm.js. Output events are queued per run by a
 * pure reducer and handed on once per animation frame, so a flooding command costs one write per
 * run per frame. Each run also keeps a bounded replay log, so switching tabs redraws its output.
 */

export interface OutputLimits {
  /** Characters waiting for the next frame, per run; past it the oldest are skipped (hidden window). */
  readonly maxPending: number;
  /** Characters kept per run to redraw its tab; past it the oldest are dropped. */
  readonly maxReplay: number;
}

export const DEFAULT_OUTPUT_LIMITS: OutputLimits = {
  maxPending: 8 * 1024 * 1024,
  maxReplay: 2 * 1024 * 1024,
};

interface RunQueue {
  readonly chunks: readonly string[];
  readonly length: number;
  /** Characters skipped because frames did not come (a hidden window) while output flooded in. */
  readonly skipped: number;
  readonly lastSeq: number;
}

export interface OutputQueue {
  readonly runs: Readonly<Record<RunId, RunQueue>>;
}

export const emptyQueue: OutputQueue = { runs: {} };

/** Drop whole chunks from the front until at most `max` characters remain. */
function keepTail(
  chunks: readonly string[],
  length: number,
  max: number,
): { chunks: string[]; length: number; dropped: number } {
  const kept = [...chunks];
  let total = length;
  let dropped = 0;
  while (total > max && kept.length > 0) {
    const first = kept[0] ?? '';
    const excess = total - max;
    if (first.length <= excess) {
      kept.shift();
      total -= first.length;
      dropped += first.length;
    } else {
      kept[0] = first.slice(excess);
      total -= excess;
      dropped += excess;
    }
  }
  return { chunks: kept, length: total, dropped };
}

/** Queue one output event; repeated or out-of-order sequence numbers are ignored. */
export function queueOutput(
  queue: OutputQueue,
  event: RunOutputEvent,
  limits: OutputLimits = DEFAULT_OUTPUT_LIMITS,
): OutputQueue {
  const run = queue.runs[event.runId] ?? { chunks: [], length: 0, skipped: 0, lastSeq: -1 };
  if (event.seq <= run.lastSeq || event.data.length === 0) return queue;
  const trimmed = keepTail(
    [...run.chunks, event.data],
    run.length + event.data.length,
    limits.maxPending,
  );
  return {
    runs: {
      ...queue.runs,
      [event.runId]: {
        chunks: trimmed.chunks,
        length: trimmed.length,
        skipped: run.skipped + trimmed.dropped,
        lastSeq: event.seq,
      },
    },
  };
}

/** Characters waiting in the queue, all runs together. */
export function queuedLength(queue: OutputQueue): number {
  let total = 0;
  for (const run of Object.values(queue.runs)) total += run.length;
  return total;
}

export interface OutputWrite {
  readonly runId: RunId;
  readonly data: string;
}

/** A line in the terminal's own words (dim), for notices the renderer adds to a run's output. */
export function noticeLine(text: string): string {
  return `\r\n\u001b[2m[${text}]\u001b[0m\r\n`;
}

/** Take everything waiting: one write per run, the queue emptied but sequence numbers kept. */
export function takeWrites(queue: OutputQueue): { writes: OutputWrite[]; queue: OutputQueue } {
  const writes: OutputWrite[] = [];
  const runs: Record<RunId, RunQueue> = {};
  for (const [runId, run] of Object.entries(queue.runs)) {
    if (run.length > 0) {
      const notice =
        run.skipped > 0
          ? noticeLine(`${run.skipped} characters not shown: the window was busy or hidden`)
          : '';
      writes.push({ runId, data: notice + run.chunks.join('') });
    }
    runs[runId] = { chunks: [], length: 0, skipped: 0, lastSeq: run.lastSeq };
  }
  return { writes, queue: { runs } };
}

/** Forget a run's sequence state (its tab was closed). */
export function forgetRun(queue: OutputQueue, runId: RunId): OutputQueue {
  const runs = { ...queue.runs };
  delete runs[runId];
  return { runs };
}

export interface ReplayLog {
  readonly chunks: readonly string[];
  readonly length: number;
  readonly dropped: number;
}

export const emptyReplay: ReplayLog = { chunks: [], length: 0, dropped: 0 };

/** Append to a run's replay log, keeping its tail within `max` characters. */
export function appendReplay(log: ReplayLog, data: string, max: number): ReplayLog {
  // One chunk per frame adds up; joining now and then keeps each append cheap.
  const chunks = log.chunks.length >= 256 ? [log.chunks.join(''), data] : [...log.chunks, data];
  const trimmed = keepTail(chunks, log.length + data.length, max);
  return { chunks: trimmed.chunks, length: trimmed.length, dropped: log.dropped + trimmed.dropped };
}

/** The text that redraws a run: a notice when its start was dropped, then the kept tail. */
export function replayText(log: ReplayLog): string {
  const head =
    log.dropped > 0 ? noticeLine(`${log.dropped} earlier characters not kept for redraw`) : '';
  return head + log.chunks.join('');
}
