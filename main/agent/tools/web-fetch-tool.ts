import { z } from 'zod';
import { FetchRefused, safeFetch } from '../../net/safe-fetch';
import { hostNamedExactly } from '../../policy/web-host';
import { clip, defineTool, fail, ok } from './tool-types';

const MAX_BYTES = 2 * 1024 * 1024;
const TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 5;

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

/**
 * web_fetch: a GET under the same host policy as commands (the engine's decideUrl), checked again
 * for every redirect; names resolve only to public addresses unless the user allow-listed that
 * exact host; text only, at most 2 MB, 30 s. The result is redacted by the executor.
 */
export const webFetchTool = defineTool({
  name: 'web_fetch',
  summary: 'Fetch a web page and read its text',
  description:
    'Fetch a URL (http or https) and return its text content. Only hosts the network policy allows (or the user approves) are reached; local and private addresses are refused.',
  schema: z.object({
    url: z.string().url().max(4096),
    max_chars: z.number().int().min(100).max(200_000).default(20_000),
  }),
  subjects: (a) => [{ kind: 'url', url: a.url }],
  async execute(a, ctx) {
    const policy = ctx.policy;
    let result;
    try {
      result = await safeFetch(a.url, {
        // Decided again at the moment of each request: the first as the call was approved, a
        // redirect only where the policy allows it outright (nobody was asked about that host).
        checkHost: (url, hop) => {
          const d = policy.decideUrl(url.href);
          if (d.decision === 'allow') return { allowed: true, reason: d.reason };
          if (d.decision === 'prompt' && hop === 0 && ctx.approved === true)
            return { allowed: true, reason: d.reason };
          return {
            allowed: false,
            reason:
              d.decision === 'prompt' && hop > 0
                ? `a redirect led there, and the policy would ask about it (${d.reason}); fetch that URL itself to be asked`
                : d.reason,
          };
        },
        privateAllowed: (host) => hostNamedExactly(policy.config, host),
        strictHttpsOnly: policy.config.webFetch.strictHttpsOnly,
        maxBytes: MAX_BYTES,
        timeoutMs: TIMEOUT_MS,
        maxRedirects: MAX_REDIRECTS,
        signal: ctx.signal,
      });
    } catch (error) {
      if (error instanceof FetchRefused) return fail(`Not fetched: ${error.message}`);
      throw error;
    }
    const type = result.contentType;
    const text = type.includes('html') ? htmlToText(result.body) : result.body;
    const cut = result.truncated ? `\n[cut: the response was larger than ${MAX_BYTES} bytes]` : '';
    const via = result.hops.length > 1 ? ` (redirected to ${result.url})` : '';
    const body = `${result.status} ${result.statusText} (${type || 'unknown type'})${via}\n${clip(text, a.max_chars)}${cut}`;
    return result.status >= 200 && result.status < 300 ? ok(body) : fail(body);
  },
});
