import type { Plugin } from 'vite';

/*
 * @ai-sdk/provider-utils builds every request's headers with the Fetch API's `Headers` class, and
 * in Node that class comes with undici, which takes about 25 ms and 12 MiB to load. The providers
 * send through `providerFetch` (main/net/provider-fetch.ts), which needs none of it, so in the
 * main build these two helpers do the same with a plain object: names lower-cased, empty entries
 * dropped, the user-agent suffix appended. The build fails if the SDK's text changes, so an
 * upgrade is checked here again instead of silently keeping the old code or dropping the patch.
 */

const NORMALIZE = `function normalizeHeaders(headers) {
	if (headers == null) return {};
	const normalized = {};
	if (headers instanceof Headers) headers.forEach((value, key) => {
		normalized[key.toLowerCase()] = value;
	});
	else {`;

const NORMALIZE_PLAIN = `function normalizeHeaders(headers) {
	if (headers == null) return {};
	const normalized = {};
	if (typeof headers.forEach === "function" && !Array.isArray(headers)) headers.forEach((value, key) => {
		normalized[key.toLowerCase()] = value;
	});
	else {`;

const SUFFIX = `function withUserAgentSuffix(headers, ...userAgentSuffixParts) {
	const normalizedHeaders = new Headers(normalizeHeaders(headers));
	const currentUserAgentHeader = normalizedHeaders.get("user-agent") || "";
	normalizedHeaders.set("user-agent", [currentUserAgentHeader, ...userAgentSuffixParts].filter(Boolean).join(" "));
	return Object.fromEntries(normalizedHeaders.entries());
}`;

const SUFFIX_PLAIN = `function withUserAgentSuffix(headers, ...userAgentSuffixParts) {
	const normalizedHeaders = normalizeHeaders(headers);
	const currentUserAgentHeader = normalizedHeaders["user-agent"] || "";
	normalizedHeaders["user-agent"] = [currentUserAgentHeader, ...userAgentSuffixParts].filter(Boolean).join(" ");
	return normalizedHeaders;
}`;

const TARGET = /[\\/]@ai-sdk[\\/]provider-utils[\\/]dist[\\/]index\.js$/;

/** Replace `find` once in `code`, or fail the build naming what was not found. */
function replaceOnce(code: string, find: string, replacement: string, what: string): string {
  const at = code.indexOf(find);
  if (at === -1 || code.indexOf(find, at + 1) !== -1) {
    throw new Error(
      `@ai-sdk/provider-utils changed: ${what} is not as scripts/provider-utils-headers.ts expects; check the new version and update the patch`,
    );
  }
  return code.slice(0, at) + replacement + code.slice(at + find.length);
}

/** Patch @ai-sdk/provider-utils so that building headers does not load undici. */
export function providerUtilsPlainHeaders(): Plugin {
  let patched = false;
  return {
    name: 'vtcode:provider-utils-plain-headers',
    transform(code, id) {
      if (!TARGET.test(id)) return null;
      patched = true;
      const once = replaceOnce(code, NORMALIZE, NORMALIZE_PLAIN, 'normalizeHeaders');
      return { code: replaceOnce(once, SUFFIX, SUFFIX_PLAIN, 'withUserAgentSuffix'), map: null };
    },
    buildEnd(error) {
      if (!error && !patched) {
        throw new Error(
          '@ai-sdk/provider-utils was not found to patch (scripts/provider-utils-headers.ts)',
        );
      }
    },
  };
}

/** The two helpers as patched, for the test that runs them. */
export const PATCHED_SOURCE = { normalize: NORMALIZE_PLAIN, suffix: SUFFIX_PLAIN } as const;
