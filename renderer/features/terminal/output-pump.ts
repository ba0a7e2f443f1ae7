import type { RunId, RunOutputEvent } from '../../../shared/domain/runner';
import {
  appendReplay,
  DEFAULT_OUTPUT_LIMITS,
  emptyQueue,
  emptyReplay,
  forgetRun,
  queuedLength,
  queueOutput,
  replayText,
  takeWrites,
  type OutputLimits,
  type OutputQueue,
  type ReplayLog,
} from './output-buffer';

export type FrameScheduler = (callback: () => void) => void;
export type OutputListener = (runId: RunId, data: string) => void;

/** requestAnimationFrame where there is one (the renderer), a timer elsewhere. */
export const animationFrame: FrameScheduler = (callback) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => callback());
  else setTimeout(callback, 16);
};

/** Queues output events and hands them to listeners once per frame; keeps each run's replay log. */
export interface OutputPump {
  push(event: RunOutputEvent): void;
  listen(listener: OutputListener): () => void;
  replay(runId: RunId): string;
  forget(runId: RunId): void;
  /** Flush now, paused or not (tests, the exit of a run, and before a redraw). */
  flush(): void;
  /**
   * Hold output in the (bounded) queue instead of handing it on each frame: the terminal has
   * enough to parse. Past the queue's limit the oldest output is skipped, with a notice.
   */
  pause(): void;
  /** Hand output on again, what waits right away (the terminal is about to run dry). */
  resume(): void;
  /** Characters waiting for the next flush, all runs together. */
  queued(): number;
  /** Characters skipped so far because the queue was full, all runs together. */
  skipped(): number;
}

/** Make a pump that flushes on `schedule` (one flush per frame, however many events arrive). */
export function createOutputPump(
  schedule: FrameScheduler = animationFrame,
  limits: OutputLimits = DEFAULT_OUTPUT_LIMITS,
): OutputPump {
  let queue: OutputQueue = emptyQueue;
  let scheduled = false;
  let paused = false;
  let skipped = 0;
  const replays = new Map<RunId, ReplayLog>();
  const listeners = new Set<OutputListener>();

  const flush = () => {
    scheduled = false;
    for (const run of Object.values(queue.runs)) skipped += run.skipped;
    const taken = takeWrites(queue);
    queue = taken.queue;
    for (const { runId, data } of taken.writes) {
      replays.set(runId, appendReplay(replays.get(runId) ?? emptyReplay, data, limits.maxReplay));
      for (const listener of listeners) listener(runId, data);
    }
  };

  const request = () => {
    if (scheduled || paused) return;
    scheduled = true;
    schedule(() => {
      // A frame asked for before a pause still comes; the queue waits for resume().
      if (paused) scheduled = false;
      else flush();
    });
  };

  return {
    push(event) {
      queue = queueOutput(queue, event, limits);
      request();
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    replay(runId) {
      return replayText(replays.get(runId) ?? emptyReplay);
    },
    forget(runId) {
      queue = forgetRun(queue, runId);
      replays.delete(runId);
    },
    flush,
    pause() {
      paused = true;
    },
    resume() {
      if (!paused) return;
      paused = false;
      if (queuedLength(queue) > 0) flush();
    },
    queued: () => queuedLength(queue),
    skipped: () => skipped,
  };
}
