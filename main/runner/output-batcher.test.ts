import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutputBatcher } from './output-batcher';

describe('OutputBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends one message per interval, not one per chunk', () => {
    const sent: Array<[string, number]> = [];
    const b = new OutputBatcher((d, n) => sent.push([d, n]), { intervalMs: 16, maxBytes: 1000 });
    for (let i = 0; i < 100; i++) b.push('x', 1);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(16);
    expect(sent).toEqual([['x'.repeat(100), 100]]);
  });

  it('sends at once when the byte limit is reached', () => {
    const sent: string[] = [];
    const b = new OutputBatcher((d) => sent.push(d), { intervalMs: 16, maxBytes: 4 });
    b.push('ab', 2);
    b.push('cd', 2);
    expect(sent).toEqual(['abcd']);
    b.push('e', 1);
    b.flush();
    expect(sent).toEqual(['abcd', 'e']);
  });

  it('ignores empty chunks and empty flushes', () => {
    const sent: string[] = [];
    const b = new OutputBatcher((d) => sent.push(d));
    b.push('', 0);
    b.flush();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([]);
  });
});
