import { describe, expect, it } from 'vitest';
import { providerSpec } from './providers';
import { MAX_KEY_LENGTH, maskKey, validateApiKey } from './validate';

const openai = providerSpec('openai');
const anthropic = providerSpec('anthropic');
const custom = providerSpec('custom:local-llm');

describe('validateApiKey', () => {
  it.each([
    ['empty', '', /empty/],
    ['only whitespace', ' \t\n ', /empty/],
    ['inner space', 'sk-abc def0123456789', /whitespace character \(U\+0020\) at position 7/],
    ['inner newline', 'sk-abc\ndef0123456789', /whitespace character \(U\+000A\)/],
    ['tab', 'sk-abc\tdef0123456789', /whitespace character \(U\+0009\)/],
    ['NUL', 'sk-abc\0def0123456789', /control character \(U\+0000\)/],
    ['escape', 'sk-abc\u001bdef0123456789', /control character \(U\+001B\)/],
    ['DEL', 'sk-abc\u007fdef0123456789', /control character \(U\+007F\)/],
    ['ellipsis from a masked key', 'sk-abc…def0123456789', /non-ASCII character \(U\+2026\)/],
    ['zero-width space', 'sk-abc\u200bdef0123456789', /non-ASCII character \(U\+200B\)/],
    ['Bearer prefix', 'Bearer sk-abcdef0123456789', /without "Bearer "/],
    ['too short', 'sk-abc', /6 characters long; API keys are at least 8/],
    ['too long', `sk-${'a'.repeat(MAX_KEY_LENGTH)}`, /at most 2048/],
  ])('rejects %s', (_name, raw, message) => {
    const result = validateApiKey(openai, raw);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(message);
      // The error names the problem, never the key.
      if (raw.length > 8) expect(result.error).not.toContain(raw.trim().slice(3, 12));
    }
  });

  it('trims surrounding whitespace and newlines', () => {
    const result = validateApiKey(openai, '  sk-proj-abcdef0123456789\r\n');
    expect(result).toEqual({ ok: true, key: 'sk-proj-abcdef0123456789', warnings: [] });
  });

  it.each([
    [openai, 'sk-proj-abcdef0123456789', []],
    [anthropic, 'sk-ant-api03-abcdef0123456789', []],
    [providerSpec('gemini'), 'AIzaSyA-0123456789abcdefghijklmnopqrstu', []],
    [providerSpec('xai'), 'xai-abcdef0123456789abcdef', []],
    [providerSpec('openrouter'), 'sk-or-v1-abcdef0123456789', []],
    [custom, 'anything-goes-0123456789', []],
    [custom, 'sk-ant-api03-abcdef0123456789', []],
    [anthropic, 'sk-proj-abcdef0123456789', [/Anthropic keys usually start with "sk-ant-"/]],
    [providerSpec('gemini'), 'sk-proj-abcdef0123456789', [/start with "AIza"/]],
    [openai, 'sk-ant-api03-abcdef0123456789', [/looks like a key for Anthropic/]],
    [providerSpec('deepseek'), 'sk-or-v1-abcdef0123456789', [/looks like a key for OpenRouter/]],
    [openai, 'sk-proj-abc***********6789', [/masked keys/]],
  ])('%# accepts with the right warnings', (spec, raw, warnings) => {
    const result = validateApiKey(spec, raw);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.warnings).toHaveLength(warnings.length);
      warnings.forEach((w, i) => expect(result.warnings[i]).toMatch(w));
    }
  });
});

describe('maskKey', () => {
  it.each([
    ['sk-proj-abcdef0123456789', '…6789'],
    ['short-key-12', '…12'],
    ['abcdefg', '…'],
  ])('%s -> %s', (key, masked) => {
    expect(maskKey(key)).toBe(masked);
  });
});
