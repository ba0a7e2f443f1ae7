/*
 * How terminal output goes into xterm.js. xterm.js queues every write and parses it later in
 * slices, so writing whatever arrives would let a flood pile up in its queue (it throws past 50 MB).
 * Instead the characters in flight are counted through write callbacks and the output pump is
 * paused while xterm.js has enough to parse; the pump's own queue is bounded. In a flood the
 * screen is drawn a few times a second, not every frame: the writes go inside synchronized-output
 * blocks (DEC mode 2026), which xterm.js parses but does not draw until the block ends.
 */

/** The part of an xterm.js Terminal the writer uses. */
export interface WriteTarget {
  write(data: string, callback?: () => void): void;
}

/** The part of the output pump the writer steers. */
export interface FlowControl {
  pause(): void;
  resume(): void;
}

export interface XtermWriterLimits {
  /** Characters written and not yet parsed past which the pump is paused. */
  readonly highWater: number;
  /** Characters in flight at or below which the pump is resumed. */
  readonly lowWater: number;
  /** Longest single write: xterm.js parses a write in one task, so this bounds a task. */
  readonly maxWrite: number;
  /** Writes closer together than this are a flood; a flood is drawn once per this interval. */
  readonly floodFrameMs: number;
}

export const DEFAULT_WRITER_LIMITS: XtermWriterLimits = {
  highWater: 1024 * 1024,
  lowWater: 256 * 1024,
  maxWrite: 128 * 1024,
  floodFrameMs: 100,
};

export const BEGIN_SYNC = '\u001b[?2026h';
export const END_SYNC = '\u001b[?2026l';

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface XtermWriter {
  write(data: string): void;
  /** Characters written and not yet parsed. */
  inFlight(): number;
  /** Stop steering: the pump is resumed and callbacks still due are ignored. */
  dispose(): void;
}

/** Feed one terminal: bounded in flight, drawn a few times a second in a flood. */
export function createXtermWriter(
  term: WriteTarget,
  flow: FlowControl,
  limits: XtermWriterLimits = DEFAULT_WRITER_LIMITS,
  clock: Clock = realClock,
): XtermWriter {
  let inFlight = 0;
  let pausedFlow = false;
  let disposed = false;
  let lastWriteAt = Number.NEGATIVE_INFINITY;
  let syncSince: number | null = null;
  let quietTimer: unknown = null;

  const endSync = () => {
    if (syncSince === null) return;
    syncSince = null;
    term.write(END_SYNC);
  };

  const parsed = (length: number) => {
    inFlight -= length;
    if (!disposed && pausedFlow && inFlight <= limits.lowWater) {
      pausedFlow = false;
      flow.resume();
    }
  };

  return {
    write(data) {
      if (disposed || data.length === 0) return;
      const now = clock.now();
      // The first write of a burst is drawn at once; the ones that follow close behind are batched.
      if (syncSince === null && now - lastWriteAt < limits.floodFrameMs) {
        syncSince = now;
        term.write(BEGIN_SYNC);
      }
      lastWriteAt = now;
      for (let start = 0; start < data.length; start += limits.maxWrite) {
        const piece = data.slice(start, start + limits.maxWrite);
        inFlight += piece.length;
        term.write(piece, () => parsed(piece.length));
      }
      if (syncSince !== null && now - syncSince >= limits.floodFrameMs) endSync();
      if (quietTimer !== null) clock.clearTimeout(quietTimer);
      quietTimer = clock.setTimeout(() => {
        quietTimer = null;
        endSync();
      }, limits.floodFrameMs);
      if (!pausedFlow && inFlight > limits.highWater) {
        pausedFlow = true;
        flow.pause();
      }
    },
    inFlight: () => inFlight,
    dispose() {
      if (disposed) return;
      disposed = true;
      if (quietTimer !== null) clock.clearTimeout(quietTimer);
      endSync();
      if (pausedFlow) {
        pausedFlow = false;
        flow.resume();
      }
    },
  };
}
