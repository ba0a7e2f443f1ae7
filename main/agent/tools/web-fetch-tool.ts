import { z } from 'zod';
import { clip, defineTool, fail, ok } from './tool-types';

const MAX_BYTES = 2 * 1024 * 1024;

/** Crude HTML to text: the model needs the words, not the markup. */
function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|noscript)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|li|h[1-6]|tr)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export const webFetchTool = defineTool({
  name: 'web_fetch',
  summary: 'Fetch a web page and read its text',
  description: 'Fetch a URL (http or https) and return its text content.',
  schema: z.object({
    url: z.string().url().max(4096),
    max_chars: z.number().int().min(100).max(200_000).default(20_000),
  }),
  subjects: (a) => [{ kind: 'url', url: a.url }],
  async execute(a, ctx) {
    const url = new URL(a.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return fail(`only http and https URLs can be fetched, not ${url.protocol}`);
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(30_000)]);
    const response = await ctx.fetch(url, { signal, redirect: 'follow' });
    const reader = response.body?.getReader();
    const parts: Uint8Array[] = [];
    let size = 0;
    while (reader) {
      const chunk: { done: boolean; value?: Uint8Array } = await reader.read();
      const { done, value } = chunk;
      if (done || !value) break;
      size += value.length;
      parts.push(value);
      if (size >= MAX_BYTES) {
        await reader.cancel();
        break;
      }
    }
    const raw = Buffer.concat(parts).toString('utf8');
    const type = response.headers.get('content-type') ?? '';
    const text = type.includes('html') ? htmlToText(raw) : raw;
    const body = `${response.status} ${response.statusText} (${type || 'unknown type'})\n${clip(text, a.max_chars)}`;
    return response.ok ? ok(body) : fail(body);
  },
});
