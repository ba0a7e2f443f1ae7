import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentEvent } from '../../shared/domain/agent';
import { DeltaCoalescer } from './delta-coalescer';

const at = '2026-11-25T10:00:00.000Z';
const text = (t: string, step = 0): AgentEvent => ({
  type: 'text-delta',
  turnId: 't1',
  at,
  step,
  text: t,
});
const reasoning = (t: string): AgentEvent => ({
  type: 'reasoning-delta',
  turnId: 't1',
  at,
  step: 0,
  text: t,
});

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('DeltaCoalescer', () => {
  it('joins the deltas of one frame into one event', () => {
    const out: AgentEvent[] = [];
    const c = new DeltaCoalescer((e) => out.push(e));
    for (const t of ['Hel', 'lo, ', 'world']) c.push(text(t));
    expect(out).toEqual([]);
    vi.advanceTimersByTime(16);
    expect(out).toEqual([text('Hello, world')]);
  });

  it('keeps the order: another event, another kind or another step flushes first', () => {
    const out: AgentEvent[] = [];
    const c = new DeltaCoalescer((e) => out.push(e));
    c.push(reasoning('think '));
    c.push(reasoning('more'));
    c.push(text('A'));
    c.push(text('B', 1));
    const usage: AgentEvent = { type: 'turn-finished', turnId: 't1', at } as AgentEvent;
    c.push(usage);
    expect(out).toEqual([reasoning('think more'), text('A'), text('B', 1), usage]);
  });

  it('flushes early once enough text waits', () => {
    const out: AgentEvent[] = [];
    const c = new DeltaCoalescer((e) => out.push(e), { intervalMs: 1000, maxChars: 4 });
    c.push(text('ab'));
    c.push(text('cd'));
    expect(out).toEqual([text('abcd')]);
    c.push(text('e'));
    c.flush();
    expect(out).toEqual([text('abcd'), text('e')]);
  });
});
