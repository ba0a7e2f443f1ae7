import type { AgentUsage } from '../../../shared/domain/agent';

/** `1.2k in · 340 out · $0.0031`, with cached and reasoning tokens only when there are some. */
export function formatUsage(usage: AgentUsage): string {
  const parts = [
    `${formatTokens(usage.inputTokens)} in`,
    `${formatTokens(usage.outputTokens)} out`,
  ];
  if (usage.cachedInputTokens > 0) parts.push(`${formatTokens(usage.cachedInputTokens)} cached`);
  if (usage.reasoningTokens > 0) parts.push(`${formatTokens(usage.reasoningTokens)} reasoning`);
  parts.push(formatCost(usage.costUsd));
  return parts.join(' · ');
}

/** Token counts as people read them: 950, 1.2k, 3.4M. */
export function formatTokens(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${(count / 1000).toFixed(count < 10_000 ? 1 : 0)}k`;
  return `${(count / 1_000_000).toFixed(1)}M`;
}

/** Dollars with enough digits for small amounts; "cost unknown" when the price is not known. */
export function formatCost(costUsd: number | null): string {
  if (costUsd === null) return 'cost unknown';
  if (costUsd === 0) return '$0';
  return costUsd < 0.01 ? `$${costUsd.toFixed(4)}` : `$${costUsd.toFixed(2)}`;
}

/** 850 ms, 2.4 s, 3 min 5 s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** One line saying what a tool call is about: its command or its path, else its arguments. */
export function callSubject(args: unknown): string {
  if (args && typeof args === 'object') {
    const record = args as Record<string, unknown>;
    for (const key of ['command', 'path', 'file_path', 'pattern', 'url']) {
      const value = record[key];
      if (typeof value === 'string') return value;
      if (Array.isArray(value)) return value.join(' ');
    }
  }
  const text = JSON.stringify(args) ?? '';
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
