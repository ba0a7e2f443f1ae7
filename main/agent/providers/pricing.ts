import type { LanguageModelUsage } from 'ai';
import type { AgentUsage } from '../../../shared/domain/agent';

/** US dollars per million tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly cachedInput: number;
  readonly output: number;
}

// Published list prices (per 1M tokens) for common models; unknown models get no cost.
const PRICES: ReadonlyArray<readonly [string, ModelPrice]> = [
  ['gpt-4o-mini', { input: 0.15, cachedInput: 0.075, output: 0.6 }],
  ['gpt-4o', { input: 2.5, cachedInput: 1.25, output: 10 }],
  ['gpt-4.1-nano', { input: 0.1, cachedInput: 0.025, output: 0.4 }],
  ['gpt-4.1-mini', { input: 0.4, cachedInput: 0.1, output: 1.6 }],
  ['gpt-4.1', { input: 2, cachedInput: 0.5, output: 8 }],
  ['o4-mini', { input: 1.1, cachedInput: 0.275, output: 4.4 }],
  ['claude-3-5-haiku', { input: 0.8, cachedInput: 0.08, output: 4 }],
  ['claude-sonnet-4', { input: 3, cachedInput: 0.3, output: 15 }],
  ['claude-opus-4', { input: 15, cachedInput: 1.5, output: 75 }],
  ['deepseek-chat', { input: 0.27, cachedInput: 0.07, output: 1.1 }],
  ['deepseek-reasoner', { input: 0.55, cachedInput: 0.14, output: 2.19 }],
];

/** The price of a model by longest matching prefix, or null when unknown. */
export function priceOf(
  model: string,
  extra: ReadonlyMap<string, ModelPrice> = new Map(),
): ModelPrice | null {
  const own = extra.get(model);
  if (own) return own;
  const m = model.toLowerCase().replace(/^.*\//, '');
  let best: ModelPrice | null = null;
  let bestLen = 0;
  for (const [prefix, price] of PRICES) {
    if (m.startsWith(prefix) && prefix.length > bestLen) {
      best = price;
      bestLen = prefix.length;
    }
  }
  return best;
}

export const ZERO_USAGE: AgentUsage = {
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  reasoningTokens: 0,
  costUsd: null,
};

/** Convert the SDK's usage for one step, pricing it when the model's price is known. */
export function toAgentUsage(
  usage: LanguageModelUsage | null,
  price: ModelPrice | null,
): AgentUsage {
  const input = usage?.inputTokens ?? 0;
  const cached = usage?.inputTokenDetails.cacheReadTokens ?? 0;
  const output = usage?.outputTokens ?? 0;
  const costUsd = price
    ? ((input - cached) * price.input + cached * price.cachedInput + output * price.output) /
      1_000_000
    : null;
  return {
    inputTokens: input,
    outputTokens: output,
    cachedInputTokens: cached,
    reasoningTokens: usage?.outputTokenDetails.reasoningTokens ?? 0,
    costUsd,
  };
}

export { addUsage } from '../../../shared/domain/agent';
