import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutputBatcher } from './output-batcher';

const b = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('OutputBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends one message per interval, not one per chunk', () => {
    const sent: Array<[string, number]> = [];
    const batcher = new OutputBatcher((d, n) => sent.push([d, n]), {
      intervalMs: 16,
      maxBytes: 1000,
    });
    for (let i = 0; i < 100; i++) batcher.push(b('x'));
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(16);
    expect(sent).toEqual([['x'.repeat(100), 100]]);
  });

  it('sends at once when the byte limit is reached', () => {
    const sent: string[] = [];
    const batcher = new OutputBatcher((d) => sent.push(d), { intervalMs: 16, maxBytes: 4 });
    batcher.push(b('ab'));
    batcher.push(b('cd'));
    expect(sent).toEqual(['abcd']);
    batcher.push(b('e'));
    batcher.flush();
    expect(sent).toEqual(['abcd', 'e']);
  });

  it('ignores empty chunks and empty flushes', () => {
    const sent: string[] = [];
    const batcher = new OutputBatcher((d) => sent.push(d));
    batcher.push(Buffer.alloc(0));
    batcher.end();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([]);
  });

  it('keeps a character split between batches whole and counts raw bytes', () => {
    const sent: Array<[string, number]> = [];
    const batcher = new OutputBatcher((d, n) => sent.push([d, n]), { intervalMs: 16, maxBytes: 3 });
    const euro = b('a€b'); // € is 3 bytes
    batcher.push(euro.subarray(0, 3)); // 'a' and two bytes of €
    batcher.push(euro.subarray(3));
    batcher.end();
    expect(sent.map(([d]) => d).join('')).toBe('a€b');
    expect(sent.reduce((n, [, bytes]) => n + bytes, 0)).toBe(euro.length);
    expect(sent.map(([d]) => d).join('')).not.toContain('\uFFFD');
  });

  it('shows a character cut off at the very end as one replacement character', () => {
    const sent: string[] = [];
    const batcher = new OutputBatcher((d) => sent.push(d));
    batcher.push(b('ok€').subarray(0, 4));
    batcher.end();
    expect(sent.join('')).toBe('ok\uFFFD');
  });
});
