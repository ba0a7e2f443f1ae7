import { describe, expect, it } from 'vitest';
import {
  BEGIN_SYNC,
  createXtermWriter,
  END_SYNC,
  type Clock,
  type XtermWriterLimits,
} from './xterm-writer';

const limits: XtermWriterLimits = { highWater: 10, lowWater: 4, maxWrite: 4, floodFrameMs: 100 };

function setup() {
  const writes: string[] = [];
  const callbacks: (() => void)[] = [];
  const term = {
    write(data: string, callback?: () => void) {
      writes.push(data);
      if (callback) callbacks.push(callback);
    },
  };
  const flow = { pauses: 0, resumes: 0, pause: () => flow.pauses++, resume: () => flow.resumes++ };
  const timers: { at: number; callback: () => void }[] = [];
  let now = 1000;
  const clock: Clock = {
    now: () => now,
    setTimeout: (callback, ms) => {
      const timer = { at: now + ms, callback };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (handle) => {
      const index = timers.indexOf(handle as (typeof timers)[number]);
      if (index >= 0) timers.splice(index, 1);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const timer of timers.filter((t) => t.at <= now)) {
      timers.splice(timers.indexOf(timer), 1);
      timer.callback();
    }
  };
  const parseAll = () => callbacks.splice(0).forEach((cb) => cb());
  const writer = createXtermWriter(term, flow, limits, clock);
  return { writer, writes, flow, advance, parseAll, callbacks };
}

describe('xterm writer', () => {
  it('writes a lone chunk at once, in pieces no longer than maxWrite', () => {
    const { writer, writes, parseAll } = setup();
    writer.write('abcdefghij');
    expect(writes).toEqual(['abcd', 'efgh', 'ij']);
    expect(writer.inFlight()).toBe(10);
    parseAll();
    expect(writer.inFlight()).toBe(0);
  });

  it('draws a flood once per frame interval inside synchronized-output blocks', () => {
    const { writer, writes, advance } = setup();
    writer.write('a');
    advance(16);
    writer.write('b');
    advance(16);
    writer.write('c');
    expect(writes).toEqual(['a', BEGIN_SYNC, 'b', 'c']);
    advance(84);
    writer.write('d');
    // 100 ms after the block began: it ends, so the screen is drawn.
    expect(writes.slice(-2)).toEqual(['d', END_SYNC]);
    advance(16);
    writer.write('e');
    expect(writes.slice(-2)).toEqual([BEGIN_SYNC, 'e']);
    // When the output stops, the open block ends after one interval.
    advance(100);
    expect(writes.at(-1)).toBe(END_SYNC);
  });

  it('pauses the pump past the high-water mark and resumes it once drained', () => {
    const { writer, flow, callbacks } = setup();
    writer.write('0123456789');
    expect(flow.pauses).toBe(0);
    writer.write('x');
    expect(flow.pauses).toBe(1);
    callbacks.shift()?.(); // 7 left
    expect(flow.resumes).toBe(0);
    callbacks.shift()?.(); // 3 left
    expect(flow.resumes).toBe(1);
    callbacks.splice(0).forEach((cb) => cb());
    expect(flow.resumes).toBe(1);
  });

  it('on dispose ends an open block, resumes the pump and ignores later callbacks', () => {
    const { writer, writes, flow, advance, callbacks } = setup();
    writer.write('0123456789a');
    advance(10);
    writer.write('b');
    expect(flow.pauses).toBe(1);
    writer.dispose();
    expect(writes.at(-1)).toBe(END_SYNC);
    expect(flow.resumes).toBe(1);
    callbacks.splice(0).forEach((cb) => cb());
    writer.write('late');
    expect(flow.resumes).toBe(1);
    expect(writes.at(-1)).toBe(END_SYNC);
  });
});
