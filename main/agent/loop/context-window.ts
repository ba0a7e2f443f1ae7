import type { ModelMessage } from 'ai';

/** `[context]` as the loop uses it, with VT Code's defaults filled in. */
export interface ContextLimits {
  readonly maxContextTokens: number;
  /** Start trimming when the estimate passes this share of the window (VT Code compacts at ~90%). */
  readonly triggerPercent: number;
  /** Trim down to this share of the window. */
  readonly trimToPercent: number;
  readonly preserveRecentTurns: number;
}

export const DEFAULT_CONTEXT: ContextLimits = {
  maxContextTokens: 128_000,
  triggerPercent: 90,
  trimToPercent: 60,
  preserveRecentTurns: 5,
};

/** A cheap token estimate (about four characters a token), good enough to decide when to trim. */
export function estimateTokens(system: string, messages: readonly ModelMessage[]): number {
  let chars = system.length;
  for (const m of messages) chars += JSON.stringify(m.content).length + 16;
  return Math.ceil(chars / 4);
}

export interface TrimResult {
  readonly messages: ModelMessage[];
  readonly droppedMessages: number;
  readonly tokensBefore: number;
  readonly tokensAfter: number;
}

const OMITTED = '[output omitted to fit the context window]';

/**
 * Fit the conversation in the window: drop the oldest whole turns (a user message up to the next
 * one, so tool calls keep their results), then shorten old tool outputs. Returns null when
 * nothing needed trimming.
 */
export function trimContext(
  system: string,
  messages: readonly ModelMessage[],
  limits: ContextLimits,
): TrimResult | null {
  const before = estimateTokens(system, messages);
  if (before <= (limits.maxContextTokens * limits.triggerPercent) / 100) return null;
  const target = (limits.maxContextTokens * limits.trimToPercent) / 100;
  const turnStarts = messages.flatMap((m, i) => (m.role === 'user' ? [i] : []));
  let out = [...messages];
  let dropped = 0;
  const droppable = Math.max(0, turnStarts.length - Math.max(1, limits.preserveRecentTurns));
  for (let t = 1; t <= droppable && estimateTokens(system, out) > target; t++) {
    const cut = turnStarts[t] ?? messages.length;
    dropped = cut;
    out = messages.slice(cut);
  }
  if (dropped > 0) {
    out = [
      {
        role: 'user',
        content: `[${dropped} earlier messages were removed to fit the context window]`,
      },
      ...out,
    ];
  }
  // Still too big (one long turn): shorten tool outputs, oldest first, keeping the last two.
  const toolIdx = out.flatMap((m, i) => (m.role === 'tool' ? [i] : []));
  for (const i of toolIdx.slice(0, -2)) {
    if (estimateTokens(system, out) <= target) break;
    const m = out[i];
    if (m?.role !== 'tool') continue;
    out[i] = {
      ...m,
      content: m.content.map((p) =>
        p.type === 'tool-result' ? { ...p, output: { type: 'text' as const, value: OMITTED } } : p,
      ),
    };
    dropped++;
  }
  return {
    messages: out,
    droppedMessages: dropped,
    tokensBefore: before,
    tokensAfter: estimateTokens(system, out),
  };
}
