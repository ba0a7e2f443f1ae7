import { describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger';
import { REDACTED, createSecretRedactor, logRedactor, redactKeyShapes } from './redact';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('redactKeyShapes', () => {
  it.each([
    ['OpenAI project key', 'key sk-proj-AbCdEf0123456789_-xyzXYZ done', 'key [REDACTED] done'],
    ['OpenAI legacy key', 'sk-AbCdEf0123456789AbCdEf0123456789', '[REDACTED]'],
    ['Anthropic key', '"sk-ant-api03-AbCdEf0123456789-xyz"', '"[REDACTED]"'],
    ['OpenRouter key', 'sk-or-v1-0123456789abcdef0123456789abcdef', '[REDACTED]'],
    ['Gemini key', 'url?key=AIzaSyA-0123456789abcdefghijklmnopqrstu&x=1', 'url?key=[REDACTED]&x=1'],
    ['xAI key', 'xai-AbCdEf0123456789AbCdEf0123456789', '[REDACTED]'],
    ['Groq key', 'gsk_AbCdEf0123456789AbCdEf0123456789', '[REDACTED]'],
    ['GitHub token', 'ghp_AbCdEf0123456789AbCdEf0123456789abcd', '[REDACTED]'],
    ['AWS key id', 'AKIAIOSFODNN7EXAMPLE', '[REDACTED]'],
    [
      'Bearer header',
      'Authorization: Bearer abc.def-ghi_jkl012345',
      'Authorization: Bearer [REDACTED]',
    ],
    ['x-api-key header', 'x-api-key: plainsecretvalue42', 'x-api-key: [REDACTED]'],
    ['env assignment', 'OPENAI_API_KEY=whatever-value-here', 'OPENAI_API_KEY=[REDACTED]'],
    ['JSON field', '{"apiKey":"0123456789abcdef"}', '{"apiKey":"[REDACTED]"}'],
    [
      'escaped JSON field',
      '{\\"api_key\\": \\"0123456789abcdef\\"}',
      '{\\"api_key\\": \\"[REDACTED]\\"}',
    ],
  ])('redacts a %s', (_name, input, expected) => {
    expect(redactKeyShapes(input)).toBe(expected);
  });

  it.each([
    ['a word containing sk-', 'the task-runner-configuration-file is fine'],
    ['a short sk- word', 'sk-learn'],
    ['an env var name', 'api_key_env = "OPENAI_API_KEY"'],
    ['ordinary prose', 'Set your key in Settings, then press Test.'],
    ['a git sha', 'commit 35bbbcd0a1b2c3d4e5f60718293a4b5c6d7e8f90'],
  ])('leaves %s alone', (_name, input) => {
    expect(redactKeyShapes(input)).toBe(input);
  });
});

describe('createSecretRedactor', () => {
  it('redacts remembered secrets of any shape, and their escaped forms', () => {
    const redactor = createSecretRedactor();
    const odd = 'my"odd\\key/with+chars=';
    redactor.remember('plain-looking-token-1234');
    redactor.remember(odd);
    expect(redactor.redact('a plain-looking-token-1234 b')).toBe(`a ${REDACTED} b`);
    expect(redactor.redact(JSON.stringify({ k: odd }))).toBe(`{"k":"${REDACTED}"}`);
    expect(redactor.redact(`?k=${encodeURIComponent(odd)}`)).toBe(`?k=${REDACTED}`);
  });

  it('replaces a longer secret whole when it contains a shorter one', () => {
    const redactor = createSecretRedactor();
    redactor.remember('token12345');
    redactor.remember('token12345-extended');
    expect(redactor.redact('x token12345-extended y token12345')).toBe(
      `x ${REDACTED} y ${REDACTED}`,
    );
  });

  it('does not remember secrets too short to match safely', () => {
    const redactor = createSecretRedactor();
    redactor.remember('abc');
    expect(redactor.redact('abc abc')).toBe('abc abc');
  });

  it('plugs into the logger so a remembered key never reaches the log file', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'redact-')), 'main.log');
    const logger = createLogger({ file });
    const redactor = createSecretRedactor();
    logger.addRedactor(logRedactor(redactor));
    redactor.remember('custom-endpoint-token-9f8e7d');
    logger.error('provider call failed', {
      error: new Error('401 for custom-endpoint-token-9f8e7d'),
      header: 'Bearer sk-proj-AbCdEf0123456789',
    });
    const text = await readFile(file, 'utf8');
    expect(text).toContain(REDACTED);
    expect(text).not.toContain('custom-endpoint-token-9f8e7d');
    expect(text).not.toContain('sk-proj-AbCdEf0123456789');
  });
});
