import type { AssistantModelMessage, LanguageModelCallEndEvent, ModelMessage } from 'ai';

/*
 * The assistant message a model call leaves in the history, built from the call's content the way
 * the SDK's streamText builds its `responseMessages` (model-step.ts calls the model without
 * streamText; a test compares the two on every wire format).
 */

/** One part of a model call's content as the SDK collects it (text, reasoning, tool calls...). */
export type CallPart = LanguageModelCallEndEvent['content'][number];
type AssistantPart = Exclude<AssistantModelMessage['content'], string>[number];

/** A part's provider metadata, as the options it goes back to the provider with. */
type ProviderOptions = NonNullable<Extract<AssistantPart, { type: 'text' }>['providerOptions']>;

function meta(part: { providerMetadata?: ProviderOptions | undefined }): {
  providerOptions?: ProviderOptions;
} {
  return part.providerMetadata != null ? { providerOptions: part.providerMetadata } : {};
}

/**
 * The assistant message for the history, as the SDK's own `responseMessages` gives it: text,
 * reasoning and files with their provider metadata (reasoning signatures go back to the provider),
 * tool calls with their input. Results of provider-run tools stay with the call they answer.
 */
export function assistantMessageOf(content: readonly CallPart[]): ModelMessage[] {
  const parts: AssistantPart[] = [];
  for (const part of content) {
    switch (part.type) {
      case 'text':
        if (part.text.length === 0 && part.providerMetadata == null) break;
        parts.push({ type: 'text', text: part.text, ...meta(part) });
        break;
      case 'reasoning':
        parts.push({ type: 'reasoning', text: part.text, ...meta(part) });
        break;
      case 'custom':
        parts.push({ type: 'custom', kind: part.kind, ...meta(part) });
        break;
      case 'file':
      case 'reasoning-file':
        parts.push({
          type: part.type,
          data: part.file.base64,
          mediaType: part.file.mediaType,
          ...meta(part),
        });
        break;
      case 'tool-call':
        parts.push({
          type: 'tool-call',
          toolCallId: part.toolCallId,
          toolName: part.toolName,
          input: part.invalid === true && typeof part.input !== 'object' ? {} : part.input,
          ...(part.providerExecuted !== undefined
            ? { providerExecuted: part.providerExecuted }
            : {}),
          ...meta(part),
        });
        break;
      case 'tool-result':
      case 'tool-error':
        if (part.providerExecuted !== true) break;
        parts.push({
          type: 'tool-result',
          toolCallId: part.toolCallId,
          toolName: part.toolName,
          output: providerToolOutput(part),
          ...meta(part),
        } as AssistantPart);
        break;
      // Sources are citations for the reader; approvals belong to SDK-run tools, never used here.
      case 'source':
      case 'tool-approval-request':
      case 'tool-approval-response':
        break;
    }
  }
  return parts.length > 0 ? [{ role: 'assistant', content: parts }] : [];
}

function providerToolOutput(part: {
  type: 'tool-result' | 'tool-error';
  output?: unknown;
  error?: unknown;
}): unknown {
  const value = part.type === 'tool-result' ? part.output : part.error;
  if (part.type === 'tool-error') {
    return typeof value === 'string'
      ? { type: 'error-text', value }
      : { type: 'error-json', value: value ?? null };
  }
  return typeof value === 'string'
    ? { type: 'text', value }
    : { type: 'json', value: value ?? null };
}
