import type { ScriptPart, ScriptResponse, ScriptUsage } from './fixture';

/*
 * Server-side encoders for the two streaming wire formats, as the real APIs send them:
 * OpenAI chat completions (`data: {chunk}` lines ending with `data: [DONE]`) and Anthropic
 * messages (`event: <type>` + `data: {...}` pairs from message_start to message_stop).
 */

type StreamScript = Extract<ScriptResponse, { kind: 'stream' }>;

function chunks(text: string, size: number): string[] {
  if (text.length === 0) return [''];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function argumentsText(part: Extract<ScriptPart, { type: 'tool_call' }>): string {
  return typeof part.arguments === 'string' ? part.arguments : JSON.stringify(part.arguments);
}

function finishOf(script: StreamScript): 'stop' | 'tool_calls' | 'length' {
  return (
    script.finish ?? (script.parts.some((p) => p.type === 'tool_call') ? 'tool_calls' : 'stop')
  );
}

const usageOrDefault = (u: ScriptUsage | undefined): ScriptUsage =>
  u ?? { input: 10, output: 5, cached: 0, reasoning: 0 };

/** SSE events (each a complete `data: ...\n\n` block) for an OpenAI chat-completions stream. */
export function openAiEvents(script: StreamScript, model: string, n: number): string[] {
  const id = `chatcmpl-scripted-${n}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint: 'fp_scripted',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    })}\n\n`;
  const events = [chunk({ role: 'assistant', content: '' })];
  let toolIndex = 0;
  for (const part of script.parts) {
    switch (part.type) {
      case 'text':
        for (const c of chunks(part.text, script.chunkSize)) events.push(chunk({ content: c }));
        break;
      case 'reasoning':
        // DeepSeek's and most OpenAI-compatible servers' field for thinking text.
        for (const c of chunks(part.text, script.chunkSize))
          events.push(chunk({ reasoning_content: c }));
        break;
      case 'tool_call': {
        const index = toolIndex++;
        const callId = part.id ?? `call_scripted_${n}_${index}`;
        events.push(
          chunk({
            tool_calls: [
              {
                index,
                id: callId,
                type: 'function',
                function: { name: part.name, arguments: '' },
              },
            ],
          }),
        );
        for (const c of chunks(argumentsText(part), script.chunkSize))
          events.push(chunk({ tool_calls: [{ index, function: { arguments: c } }] }));
        break;
      }
    }
  }
  events.push(chunk({}, finishOf(script)));
  const u = usageOrDefault(script.usage);
  events.push(
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [],
      usage: {
        prompt_tokens: u.input,
        completion_tokens: u.output,
        total_tokens: u.input + u.output,
        prompt_tokens_details: { cached_tokens: u.cached },
        completion_tokens_details: { reasoning_tokens: u.reasoning },
      },
    })}\n\n`,
  );
  events.push('data: [DONE]\n\n');
  return events;
}

/** SSE events for an Anthropic messages stream. */
export function anthropicEvents(script: StreamScript, model: string, n: number): string[] {
  const ev = (type: string, data: Record<string, unknown>): string =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const u = usageOrDefault(script.usage);
  const events = [
    ev('message_start', {
      message: {
        id: `msg_scripted_${n}`,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: u.input - u.cached,
          cache_read_input_tokens: u.cached,
          cache_creation_input_tokens: 0,
          output_tokens: 1,
        },
      },
    }),
    ev('ping', {}),
  ];
  script.parts.forEach((part, index) => {
    switch (part.type) {
      case 'text':
        events.push(
          ev('content_block_start', { index, content_block: { type: 'text', text: '' } }),
        );
        for (const c of chunks(part.text, script.chunkSize))
          events.push(ev('content_block_delta', { index, delta: { type: 'text_delta', text: c } }));
        break;
      case 'reasoning':
        events.push(
          ev('content_block_start', {
            index,
            content_block: { type: 'thinking', thinking: '', signature: '' },
          }),
        );
        for (const c of chunks(part.text, script.chunkSize))
          events.push(
            ev('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: c } }),
          );
        events.push(
          ev('content_block_delta', {
            index,
            delta: { type: 'signature_delta', signature: `sig-scripted-${n}-${index}` },
          }),
        );
        break;
      case 'tool_call':
        events.push(
          ev('content_block_start', {
            index,
            content_block: {
              type: 'tool_use',
              id: part.id ?? `toolu_scripted_${n}_${index}`,
              name: part.name,
              input: {},
            },
          }),
        );
        for (const c of chunks(argumentsText(part), script.chunkSize))
          events.push(
            ev('content_block_delta', {
              index,
              delta: { type: 'input_json_delta', partial_json: c },
            }),
          );
        break;
    }
    events.push(ev('content_block_stop', { index }));
  });
  const finish = finishOf(script);
  const stopReason =
    finish === 'tool_calls' ? 'tool_use' : finish === 'length' ? 'max_tokens' : 'end_turn';
  events.push(
    ev('message_delta', {
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: u.output },
    }),
  );
  events.push(ev('message_stop', {}));
  return events;
}

/** The JSON error body each API sends with a non-2xx status. */
export function errorBody(
  wire: 'openai' | 'anthropic',
  status: number,
  message: string,
  code: string | undefined,
): string {
  if (wire === 'anthropic') {
    const type =
      code ??
      (status === 401
        ? 'authentication_error'
        : status === 404
          ? 'not_found_error'
          : status === 429
            ? 'rate_limit_error'
            : status === 529
              ? 'overloaded_error'
              : status >= 500
                ? 'api_error'
                : 'invalid_request_error');
    return JSON.stringify({ type: 'error', error: { type, message } });
  }
  const type =
    status === 429
      ? 'rate_limit_exceeded'
      : status >= 500
        ? 'server_error'
        : 'invalid_request_error';
  return JSON.stringify({ error: { message, type, param: null, code: code ?? null } });
}
