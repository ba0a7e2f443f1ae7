import { knownPrefixes, providerLabel, type ProviderSpec } from './providers';

/** Shortest and longest key we accept; real provider keys are 30-200 characters. */
export const MIN_KEY_LENGTH = 8;
export const MAX_KEY_LENGTH = 2048;

export type KeyValidation =
  | { readonly ok: true; readonly key: string; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: string };

/*
 * Messages never quote the key: they name the offending character by code point and position, so a
 * rejected paste can be fixed without the error itself leaking it.
 */
function describeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (/\s/u.test(char)) return `a whitespace character (${hex})`;
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f))
    return `a control character (${hex})`;
  return `a non-ASCII character (${hex})`;
}

/** Trim and check a key as typed or pasted. Errors block saving; warnings are shown alongside. */
export function validateApiKey(spec: ProviderSpec, raw: string): KeyValidation {
  const key = raw.trim();
  if (key.length === 0) return { ok: false, error: 'The key is empty.' };
  // HTTP headers carry keys, so they are printable ASCII; anything else is a paste accident.
  const chars = [...key];
  const bad = chars.findIndex((c) => !/^[\x21-\x7e]$/.test(c));
  if (bad !== -1) {
    if (/^bearer\s/i.test(key)) {
      return { ok: false, error: 'Paste only the key itself, without "Bearer ".' };
    }
    return {
      ok: false,
      error: `The key contains ${describeChar(chars[bad] ?? '')} at position ${bad + 1}; API keys are a single word of printable ASCII. Copy it again from the provider's console.`,
    };
  }
  if (key.length < MIN_KEY_LENGTH) {
    return {
      ok: false,
      error: `The key is ${key.length} characters long; API keys are at least ${MIN_KEY_LENGTH}.`,
    };
  }
  if (key.length > MAX_KEY_LENGTH) {
    return {
      ok: false,
      error: `The key is ${key.length} characters long; at most ${MAX_KEY_LENGTH} are accepted.`,
    };
  }

  const warnings: string[] = [];
  if (/\*{3,}|\.{3}/.test(key)) {
    warnings.push('The key contains "***" or "...", as masked keys do; paste the full key.');
  }
  const ownPrefix = spec.keyPrefix;
  if (ownPrefix && !key.startsWith(ownPrefix)) {
    warnings.push(`${spec.label} keys usually start with "${ownPrefix}"; this one does not.`);
  } else if (ownPrefix) {
    // An `sk-ant-` key is also an `sk-` key: only a more specific prefix tells them apart.
    const foreign = knownPrefixes().find(
      (p) =>
        p.provider !== spec.id && p.prefix.length > ownPrefix.length && key.startsWith(p.prefix),
    );
    if (foreign) {
      warnings.push(
        `This looks like a key for ${providerLabel(foreign.provider)} ("${foreign.prefix}…"), not for ${spec.label}.`,
      );
    }
  }
  return { ok: true, key, warnings };
}

/** The masked form the UI shows: an ellipsis and the last four characters. */
export function maskKey(key: string): string {
  // Short keys would be half revealed by four characters; show fewer.
  const visible = key.length >= 16 ? 4 : key.length >= 8 ? 2 : 0;
  return visible === 0 ? '…' : `…${key.slice(-visible)}`;
}
