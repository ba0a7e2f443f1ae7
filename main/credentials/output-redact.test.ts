import { describe, expect, it } from 'vitest';
import { createOutputRedactor } from './output-redact';
import { REDACTED, createSecretRedactor } from './redact';

const SECRET = 'ghp_realTokenValue0123456789abcdefABCD';

function run(chunks: readonly string[], secrets: readonly string[] = [SECRET]): string {
  const r = createOutputRedactor(() => secrets, REDACTED);
  const out = chunks.map((c) => r.push(Buffer.from(c, 'utf8')).toString('utf8')).join('');
  return out + r.flush().toString('utf8');
}

describe('createOutputRedactor', () => {
  it.each([
    ['whole in one chunk', [`a ${SECRET} b`]],
    ['split in two', [`a ${SECRET.slice(0, 10)}`, `${SECRET.slice(10)} b`]],
    ['split after its first byte', ['a g', `${SECRET.slice(1)} b`]],
    ['one byte per chunk', [...`a ${SECRET} b`]],
    [
      'twice, split across three chunks',
      [`${SECRET}${SECRET.slice(0, 5)}`, SECRET.slice(5, 20), `${SECRET.slice(20)}!`],
    ],
  ])('redacts a secret %s', (_name, chunks) => {
    const out = run(chunks);
    expect(out).not.toContain(SECRET);
    expect(out).toContain(REDACTED);
    expect(out.startsWith('a ') || out.startsWith(REDACTED)).toBe(true);
  });

  it('passes other bytes through unchanged, multi-byte characters cut between chunks included', () => {
    const bytes = Buffer.from('héllo wörld ✓ gh-not-a-secret', 'utf8');
    const r = createOutputRedactor(() => [SECRET], REDACTED);
    const parts = [bytes.subarray(0, 2), bytes.subarray(2, 13), bytes.subarray(13)];
    const out = Buffer.concat([...parts.map((p) => r.push(p)), r.flush()]);
    expect(out.equals(bytes)).toBe(true);
  });

  it('holds back only what could start a secret, and releases it on flush', () => {
    const r = createOutputRedactor(() => [SECRET], REDACTED);
    expect(r.push(Buffer.from('log line ghp_')).toString()).toBe('log line ');
    expect(r.holding).toBe(true);
    expect(r.flush().toString()).toBe('ghp_');
    expect(r.holding).toBe(false);
  });

  it('redacts a non-ASCII secret by its UTF-8 bytes', () => {
    const secret = 'pässwört-très-secret';
    const out = run(['x pä', 'sswört-très-', 'secret y'], [secret]);
    expect(out).toBe(`x ${REDACTED} y`);
  });

  it('costs nothing when no secret is known', () => {
    const r = createOutputRedactor(() => [], REDACTED);
    const chunk = Buffer.from('anything at all');
    expect(r.push(chunk)).toBe(chunk);
  });

  it('is what SecretRedactor hands out, and sees secrets remembered mid-stream', () => {
    const redactor = createSecretRedactor();
    const stream = redactor.outputRedactor();
    expect(stream.push(Buffer.from('before ')).toString()).toBe('before ');
    redactor.remember(SECRET);
    const out =
      stream.push(Buffer.from(`after ${SECRET} end`)).toString() + stream.flush().toString();
    expect(out).toBe(`after ${REDACTED} end`);
  });
});
