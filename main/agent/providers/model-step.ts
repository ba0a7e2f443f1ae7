import {
  experimental_streamLanguageModelCall,
  type LanguageModel,
  type LanguageModelUsage,
  type ModelMessage,
  type ToolSet,
} from 'ai';
import { assistantMessageOf, type CallPart } from './assistant-message';
import { ProviderError, classifyProviderError } from './errors';

/** Bounds for retrying a failed provider call. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error is reported instead. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxRetries: 4,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
};

/** A tool call as the model sent it; `input` is the parsed JSON, or the raw text when unparsable. */
export interface ModelToolCall {
  readonly callId: string;
  readonly toolName: string;
  readonly input: unknown;
  /** Set when the arguments were not valid JSON. */
  readonly parseError: string | null;
}

export interface StepRequest {
  readonly model: LanguageModel;
  readonly provider: string;
  readonly modelId: string;
  readonly system: string;
  readonly messages: readonly ModelMessage[];
  readonly tools: ToolSet;
  readonly temperature: number | null;
  readonly reasoning: 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | null;
  readonly signal: AbortSignal;
  readonly retry: RetryPolicy;
  readonly onText: (text: string) => void;
  readonly onReasoning: (text: string) => void;
  readonly onRetry: (info: {
    attempt: number;
    delayMs: number;
    error: ProviderError;
    discardPartial: boolean;
  }) => void;
  /** Injected in tests to skip real waiting. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface StepResult {
  readonly text: string;
  readonly toolCalls: readonly ModelToolCall[];
  /** The assistant message(s) to append to the history (tool results are added by the loop). */
  readonly assistantMessages: readonly ModelMessage[];
  readonly usage: LanguageModelUsage | null;
  readonly finishReason: string;
  /** Time spent waiting on the provider, including retries. */
  readonly providerMs: number;
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'unknown error');
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ProviderError('cancelled', 'Cancelled.'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new ProviderError('cancelled', 'Cancelled.'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** How long to wait before retry number `attempt` (1-based), or null to give up. */
export function retryDelay(
  error: ProviderError,
  attempt: number,
  policy: RetryPolicy,
): number | null {
  if (!error.retryable || attempt > policy.maxRetries) return null;
  if (error.retryAfterMs !== null) {
    return error.retryAfterMs > policy.maxRetryAfterMs ? null : error.retryAfterMs;
  }
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // Up to 20% jitter so parallel sessions do not retry in lockstep.
  return Math.round(exp * (0.8 + Math.random() * 0.2));
}

async function attemptOnce(
  req: StepRequest,
  emitted: { any: boolean },
): Promise<Omit<StepResult, 'providerMs'>> {
  let failure: unknown = null;
  let content: readonly CallPart[] | null = null;
  // One model call: the SDK's prompt conversion, tool preparation and tool-call parsing, without
  // streamText's multi-step machinery (the loop is ours), about 1 ms less per step.
  const { stream } = await experimental_streamLanguageModelCall({
    model: req.model,
    system: req.system,
    messages: [...req.messages],
    tools: req.tools,
    abortSignal: req.signal,
    ...(req.temperature !== null ? { temperature: req.temperature } : {}),
    ...(req.reasoning !== null ? { reasoning: req.reasoning } : {}),
    onLanguageModelCallEnd: (event) => {
      content = event.content;
    },
  });
  let text = '';
  const calls: ModelToolCall[] = [];
  let usage: LanguageModelUsage | null = null;
  let finishReason = 'unknown';
  for await (const part of stream) {
    switch (part.type) {
      // Empty deltas (a provider's opening chunk) are not text, as streamText does not pass them.
      case 'text-delta':
        if (part.text.length === 0) break;
        text += part.text;
        emitted.any = true;
        req.onText(part.text);
        break;
      case 'reasoning-delta':
        if (part.text.length === 0) break;
        emitted.any = true;
        req.onReasoning(part.text);
        break;
      case 'tool-call': {
        const invalid = 'invalid' in part && part.invalid === true;
        calls.push({
          callId: part.toolCallId,
          toolName: part.toolName,
          input: part.input,
          parseError: invalid ? describe((part as { error?: unknown }).error) : null,
        });
        break;
      }
      case 'model-call-end':
        usage = part.usage;
        finishReason = part.finishReason;
        break;
      case 'error':
        failure ??= part.error;
        break;
      // Starts, ends, ids, files, sources and provider extras carry nothing the loop needs (the
      // assistant message for the history is built from the call's content at its end).
      case 'custom':
      case 'file':
      case 'model-call-response-metadata':
      case 'model-call-start':
      case 'ping':
      case 'raw':
      case 'reasoning-end':
      case 'reasoning-file':
      case 'reasoning-start':
      case 'source':
      case 'text-end':
      case 'text-start':
      case 'tool-approval-request':
      case 'tool-approval-response':
      case 'tool-error':
      case 'tool-input-delta':
      case 'tool-input-end':
      case 'tool-input-start':
      case 'tool-result':
        break;
    }
    if (failure !== null) break;
  }
  if (failure !== null) throw failure instanceof Error ? failure : new Error(describe(failure));
  if (req.signal.aborted) throw new ProviderError('cancelled', 'Cancelled.');
  // The loop answers every call itself: only the assistant's own message goes to the history.
  const assistantMessages = assistantMessageOf(content ?? []);
  return { text, toolCalls: calls, assistantMessages, usage, finishReason };
}

/** Stream one model step with retries on 429/5xx/network drops; throws ProviderError. */
export async function runModelStep(req: StepRequest): Promise<StepResult> {
  const started = performance.now();
  const sleep = req.sleep ?? abortableSleep;
  for (let attempt = 1; ; attempt++) {
    const emitted = { any: false };
    try {
      const result = await attemptOnce(req, emitted);
      return { ...result, providerMs: performance.now() - started };
    } catch (raw) {
      const error = req.signal.aborted
        ? new ProviderError('cancelled', 'Cancelled.')
        : classifyProviderError(raw, { provider: req.provider, model: req.modelId });
      const delay = retryDelay(error, attempt, req.retry);
      if (delay === null) {
        if (
          error.kind === 'rate-limit' &&
          error.retryAfterMs !== null &&
          attempt <= req.retry.maxRetries
        ) {
          throw new ProviderError(
            'rate-limit',
            `${error.message} (asked to wait ${Math.ceil(error.retryAfterMs / 1000)} s, longer than the ${Math.round(req.retry.maxRetryAfterMs / 1000)} s limit)`,
            { status: error.status },
          );
        }
        if (error.retryable && attempt > req.retry.maxRetries) {
          throw new ProviderError(
            error.kind,
            `${error.message} (gave up after ${attempt} attempts)`,
            {
              status: error.status,
            },
          );
        }
        throw error;
      }
      req.onRetry({ attempt, delayMs: delay, error, discardPartial: emitted.any });
      await sleep(delay, req.signal);
    }
  }
}
