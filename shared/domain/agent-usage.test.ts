import { describe, expect, it } from 'vitest';
import type { AgentUsage } from './agent';
import { addUsage as fromAgent } from './agent';
import { addUsage } from './agent-usage';

const usage = (tokens: number, costUsd: number | null): AgentUsage => ({
  inputTokens: tokens,
  outputTokens: tokens * 2,
  cachedInputTokens: 1,
  reasoningTokens: 0,
  costUsd,
});

describe('addUsage', () => {
  it.each<[number | null, number | null, number | null]>([
    [0.5, 0.25, 0.75],
    [0.5, null, 0.5],
    [null, 0.25, 0.25],
    [null, null, null],
  ])('adds the tokens; cost %s + %s is %s', (a, b, sum) => {
    expect(addUsage(usage(10, a), usage(5, b))).toEqual({
      inputTokens: 15,
      outputTokens: 30,
      cachedInputTokens: 2,
      reasoningTokens: 0,
      costUsd: sum,
    });
  });

  it('is the same function agent.ts exports (main imports it from there)', () => {
    expect(fromAgent).toBe(addUsage);
  });
});
