import type { AgentUsage } from './agent';

// Apart from agent.ts so that code adding usages (the renderer's conversation reducer on its first
// screen) does not load the agent schemas, and zod with them (issue 18).

/** Add two usages; the cost stays null only when neither side knows it. */
export function addUsage(a: AgentUsage, b: AgentUsage): AgentUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
    costUsd: a.costUsd === null && b.costUsd === null ? null : (a.costUsd ?? 0) + (b.costUsd ?? 0),
  };
}
