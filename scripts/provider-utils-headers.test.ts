import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { PATCHED_SOURCE, providerUtilsPlainHeaders } from './provider-utils-headers';

/* The build's patch of @ai-sdk/provider-utils: it applies to the installed version, and the
 * patched helpers give the same headers as the SDK's own, without the Headers class. */

const require = createRequire(import.meta.url);
const file = require.resolve('@ai-sdk/provider-utils');
type Normalize = (h: unknown) => Record<string, string>;
type Suffix = (h: unknown, ...parts: string[]) => Record<string, string>;

function helpers(source: string): { normalize: Normalize; suffix: Suffix } {
  // The two functions, taken from the (patched) module text and defined on their own.
  const start = source.indexOf('function normalizeHeaders(');
  const mid = source.indexOf('function withUserAgentSuffix(');
  const end = source.indexOf('\n}', mid) + 2;
  const normalize = source.slice(start, source.indexOf('\n}', start) + 2);
  const suffix = source.slice(mid, end);
  // Run in a context of their own, with the Headers class the SDK's own version needs.
  return runInNewContext(
    `${normalize}\n${suffix}\n({ normalize: normalizeHeaders, suffix: withUserAgentSuffix })`,
    { Headers, Array, Object },
  ) as { normalize: Normalize; suffix: Suffix };
}

describe('provider-utils plain headers patch', () => {
  const original = readFileSync(file, 'utf8');
  const plugin = providerUtilsPlainHeaders();
  const transform = plugin.transform as (code: string, id: string) => { code: string } | null;

  it('applies to the installed @ai-sdk/provider-utils, and only to it', () => {
    const out = transform(original, file);
    expect(out).not.toBeNull();
    expect(out!.code).toContain(PATCHED_SOURCE.normalize);
    expect(out!.code).toContain(PATCHED_SOURCE.suffix);
    expect(out!.code).not.toContain('new Headers(normalizeHeaders(headers))');
    expect(transform('export const x = 1;', '/somewhere/else/index.js')).toBeNull();
  });

  it('fails the build when the SDK text changed, instead of dropping the patch', () => {
    const changed = original.replace(
      'function withUserAgentSuffix(',
      'function withUserAgentSuffix2(',
    );
    expect(() => transform(changed, file)).toThrow(/provider-utils changed: withUserAgentSuffix/);
  });

  it('gives the same headers as the SDK’s own helpers', () => {
    const before = helpers(original);
    const after = helpers(transform(original, file)!.code);
    const inputs: unknown[] = [
      undefined,
      { Authorization: 'Bearer k', 'X-Extra': undefined, 'Content-Type': 'application/json' },
      [
        ['X-A', '1'],
        ['x-b', '2'],
      ],
      new Headers({ 'User-Agent': 'mine/1.0', 'X-C': '3' }),
      { 'user-agent': 'app/2' },
    ];
    for (const input of inputs) {
      expect(after.normalize(input)).toEqual(before.normalize(input));
      expect(after.suffix(input, 'ai-sdk/openai/1', 'runtime/node')).toEqual(
        before.suffix(input, 'ai-sdk/openai/1', 'runtime/node'),
      );
    }
  });
});
