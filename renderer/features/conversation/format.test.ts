import { describe, expect, it } from 'vitest';
import { callSubject, formatCost, formatDuration, formatTokens, formatUsage } from './format';

describe('conversation formatting', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1234, '1.2k'],
    [45_600, '46k'],
    [3_400_000, '3.4M'],
  ])('tokens %d → %s', (n, text) => expect(formatTokens(n)).toBe(text));

  it.each([
    [null, 'cost unknown'],
    [0, '$0'],
    [0.00312, '$0.0031'],
    [1.5, '$1.50'],
  ])('cost %s → %s', (n, text) => expect(formatCost(n)).toBe(text));

  it.each([
    [850, '850 ms'],
    [2400, '2.4 s'],
    [185_000, '3 min 5 s'],
  ])('duration %d → %s', (n, text) => expect(formatDuration(n)).toBe(text));

  it('shows cached and reasoning tokens only when there are some', () => {
    const base = { inputTokens: 1200, outputTokens: 30, cachedInputTokens: 0, reasoningTokens: 0 };
    expect(formatUsage({ ...base, costUsd: null })).toBe('1.2k in · 30 out · cost unknown');
    expect(
      formatUsage({ ...base, cachedInputTokens: 800, reasoningTokens: 12, costUsd: 0.5 }),
    ).toBe('1.2k in · 30 out · 800 cached · 12 reasoning · $0.50');
  });

  it.each([
    [{ command: 'echo hi' }, 'echo hi'],
    [{ command: ['ls', '-la'] }, 'ls -la'],
    [{ path: 'src/a.ts', content: 'x' }, 'src/a.ts'],
    [{ other: 1 }, '{"other":1}'],
    [undefined, ''],
  ])('subject of %j is %s', (args, text) => expect(callSubject(args)).toBe(text));
});
