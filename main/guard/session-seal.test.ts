import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SessionSealer } from './session-seal';

/** sealedLength must agree with open on every line: it is the same seal, read from bytes. */
function agree(sealer: SessionSealer, scope: string, line: string): void {
  const opened = sealer.open(scope, line);
  const bytes = Buffer.from(line);
  const n = sealer.sealedLength(scope, bytes);
  expect(n >= 0).toBe(opened.sealed);
  if (n >= 0) expect(`${bytes.toString('utf8', 0, n)}}`).toBe(opened.json);
}

describe('sealedLength (bytes) agrees with open (text)', () => {
  const sealer = SessionSealer.withKey(randomBytes(32));
  const scope = '/home/ü/proj\0activity';
  const lines = [
    { id: 'a', text: 'plain' },
    { id: 'b', text: 'ünïcödé ✓ 🚀 and "quotes" \\ slashes' },
    { id: 'c', nested: { list: [1, 2, { x: null }] } },
    {},
  ].map((v) => JSON.stringify(v));

  it.each(lines)('a sealed line: %s', (json) => {
    agree(sealer, scope, sealer.seal(scope, json));
  });

  it.each(lines)('the same line altered: %s', (json) => {
    const sealed = sealer.seal(scope, json);
    const at = sealed.indexOf(',"seal":"') + 9;
    const flip = (i: number) =>
      `${sealed.slice(0, i)}${sealed[i] === '0' ? '1' : '0'}${sealed.slice(i + 1)}`;
    for (const line of [
      flip(1 + (json.length > 3 ? 2 : 0)),
      flip(at),
      flip(sealed.length - 3),
      sealed.slice(0, at) + sealed.slice(at).toUpperCase(),
      sealed.slice(0, -1),
      `${sealed} `,
      sealed.replace(',"seal":"', ',"seal" :"'),
      json,
      '',
      '{}',
    ])
      agree(sealer, scope, line);
  });

  it('is not sealed for another scope or another key', () => {
    const sealed = Buffer.from(sealer.seal(scope, lines[0] ?? ''));
    expect(sealer.sealedLength(scope, sealed)).toBeGreaterThan(0);
    expect(sealer.sealedLength('/other\0activity', sealed)).toBe(-1);
    expect(SessionSealer.withKey(randomBytes(32)).sealedLength(scope, sealed)).toBe(-1);
  });

  it('handles keys longer than a hash block, and long lines after short ones', () => {
    const long = SessionSealer.withKey(randomBytes(100));
    agree(long, scope, long.seal(scope, JSON.stringify({ k: 'v' })));
    agree(long, scope, long.seal(scope, JSON.stringify({ k: 'v'.repeat(20_000) })));
    agree(long, 'short', long.seal('short', JSON.stringify({ k: 'v' })));
  });
});
