import { describe, expect, it } from 'vitest';
import { createOutputPump } from './output-pump';

function frames() {
  const queued: (() => void)[] = [];
  return {
    schedule: (cb: () => void) => queued.push(cb),
    pending: () => queued.length,
    run: () => queued.splice(0).forEach((cb) => cb()),
  };
}

describe('output pump', () => {
  it('asks for one frame however many events arrive, and writes once per run', () => {
    const f = frames();
    const pump = createOutputPump(f.schedule);
    const seen: string[] = [];
    pump.listen((runId, data) => seen.push(`${runId}:${data}`));
    for (let i = 0; i < 100; i++) pump.push({ runId: 'run-a', seq: i, data: 'x', bytes: 1 });
    expect(f.pending()).toBe(1);
    expect(seen).toEqual([]);
    f.run();
    expect(seen).toEqual([`run-a:${'x'.repeat(100)}`]);
    pump.push({ runId: 'run-a', seq: 100, data: 'y', bytes: 1 });
    expect(f.pending()).toBe(1);
  });

  it('replays what a run printed for a tab opened later; stops after unlisten', () => {
    const f = frames();
    const pump = createOutputPump(f.schedule);
    const seen: string[] = [];
    const stop = pump.listen((_id, data) => seen.push(data));
    pump.push({ runId: 'run-a', seq: 0, data: '\u001b[32mgreen', bytes: 10 });
    f.run();
    stop();
    pump.push({ runId: 'run-a', seq: 1, data: ' done', bytes: 5 });
    pump.flush();
    expect(seen).toEqual(['\u001b[32mgreen']);
    expect(pump.replay('run-a')).toBe('\u001b[32mgreen done');
    pump.forget('run-a');
    expect(pump.replay('run-a')).toBe('');
  });
});

describe('output pump flow control', () => {
  it('holds output while paused, hands it on at once on resume', () => {
    const f = frames();
    const pump = createOutputPump(f.schedule);
    const seen: string[] = [];
    pump.listen((_id, data) => seen.push(data));
    pump.pause();
    pump.push({ runId: 'run-a', seq: 0, data: 'one', bytes: 3 });
    f.run();
    expect(seen).toEqual([]);
    expect(pump.queued()).toBe(3);
    pump.resume();
    expect(seen).toEqual(['one']);
    expect(pump.queued()).toBe(0);
  });

  it('keeps the queue bounded while paused and counts what it skipped', () => {
    const f = frames();
    const pump = createOutputPump(f.schedule, { maxPending: 10, maxReplay: 100 });
    const seen: string[] = [];
    pump.listen((_id, data) => seen.push(data));
    pump.pause();
    for (let i = 0; i < 5; i++) pump.push({ runId: 'run-a', seq: i, data: 'abcd', bytes: 4 });
    expect(pump.queued()).toBe(10);
    pump.resume();
    expect(pump.skipped()).toBe(10);
    expect(seen[0]).toContain('10 characters not shown');
    expect(seen[0]?.endsWith('cdabcdabcd')).toBe(true);
  });

  it('still flushes when asked to, paused or not', () => {
    const f = frames();
    const pump = createOutputPump(f.schedule);
    const seen: string[] = [];
    pump.listen((_id, data) => seen.push(data));
    pump.pause();
    pump.push({ runId: 'run-a', seq: 0, data: 'exit soon', bytes: 9 });
    pump.flush();
    expect(seen).toEqual(['exit soon']);
  });
});
