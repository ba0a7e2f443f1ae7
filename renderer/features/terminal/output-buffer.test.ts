import { describe, expect, it } from 'vitest';
import {
  appendReplay,
  emptyQueue,
  emptyReplay,
  forgetRun,
  queueOutput,
  replayText,
  takeWrites,
} from './output-buffer';

const out = (runId: string, seq: number, data: string) => ({
  runId,
  seq,
  data,
  bytes: data.length,
});

describe('output queue', () => {
  it('joins a frame of events into one write per run, in order', () => {
    let q = emptyQueue;
    q = queueOutput(q, out('run-a', 0, 'one '));
    q = queueOutput(q, out('run-b', 0, 'B'));
    q = queueOutput(q, out('run-a', 1, 'two'));
    const { writes, queue } = takeWrites(q);
    expect(writes).toEqual([
      { runId: 'run-a', data: 'one two' },
      { runId: 'run-b', data: 'B' },
    ]);
    expect(takeWrites(queue).writes).toEqual([]);
  });

  it('ignores repeated and out-of-order sequence numbers, across frames too', () => {
    let q = queueOutput(emptyQueue, out('run-a', 3, 'x'));
    q = queueOutput(q, out('run-a', 3, 'x again'));
    q = queueOutput(q, out('run-a', 2, 'late'));
    const first = takeWrites(q);
    expect(first.writes).toEqual([{ runId: 'run-a', data: 'x' }]);
    const second = takeWrites(queueOutput(first.queue, out('run-a', 1, 'older')));
    expect(second.writes).toEqual([]);
  });

  it('keeps the newest output when frames stop coming, and says how much was skipped', () => {
    const limits = { maxPending: 10, maxReplay: 100 };
    let q = emptyQueue;
    for (let i = 0; i < 5; i++) q = queueOutput(q, out('run-a', i, `${i}abcd`), limits);
    const [write] = takeWrites(q).writes;
    expect(write?.data).toMatch(/15 characters not shown/);
    expect(write?.data.endsWith('bcd4abcd')).toBe(true);
  });

  it('forgets a closed run so a new run with the same id starts clean', () => {
    const q = forgetRun(takeWrites(queueOutput(emptyQueue, out('run-a', 5, 'x'))).queue, 'run-a');
    expect(takeWrites(queueOutput(q, out('run-a', 0, 'y'))).writes).toEqual([
      { runId: 'run-a', data: 'y' },
    ]);
  });
});

describe('replay log', () => {
  it('keeps the tail within the limit and notes what was dropped', () => {
    let log = emptyReplay;
    log = appendReplay(log, 'hello ', 8);
    log = appendReplay(log, 'world', 8);
    expect(log.length).toBe(8);
    expect(log.dropped).toBe(3);
    expect(replayText(log)).toMatch(/3 earlier characters not kept/);
    expect(replayText(log).endsWith('lo world')).toBe(true);
  });

  it('stays exact over many small appends', () => {
    let log = emptyReplay;
    let all = '';
    for (let i = 0; i < 1000; i++) {
      log = appendReplay(log, `${i},`, 1_000_000);
      all += `${i},`;
    }
    expect(replayText(log)).toBe(all);
    expect(log.chunks.length).toBeLessThan(300);
  });
});
