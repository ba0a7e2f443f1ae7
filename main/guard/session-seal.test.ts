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

describe('lineSeals (many lines, checked in a worker thread)', () => {
  it('gives sealedLength for every line, in order, sealed or not', async () => {
    const sealer = SessionSealer.withKey(randomBytes(32));
    const scope = '/ws\0activity';
    const lines: string[] = [];
    for (let i = 0; i < 9000; i++) {
      const json = JSON.stringify({
        id: `r${i}`,
        text: i % 7 === 0 ? 'ünï ✓' : 'x'.repeat(i % 50),
      });
      const sealed = sealer.seal(scope, json);
      // Every 5th line edited after sealing, every 11th never sealed, every 13th sealed elsewhere.
      lines.push(
        i % 5 === 0
          ? sealed.replace('"id":"r', '"id":"R')
          : i % 11 === 0
            ? json
            : i % 13 === 0
              ? sealer.seal('/other\0activity', json)
              : sealed,
      );
    }
    const text = Buffer.from(lines.join('\n'));
    const bytes = Buffer.from(new SharedArrayBuffer(text.length));
    text.copy(bytes);
    const starts = new Int32Array(lines.length);
    const ends = new Int32Array(lines.length);
    let at = 0;
    lines.forEach((line, i) => {
      starts[i] = at;
      at += Buffer.byteLength(line);
      ends[i] = at;
      at += 1;
    });
    const read = async (stopEarly: boolean) => {
      const seals = sealer.lineSeals(scope, bytes, starts, ends);
      // A worker that stops early (here: stopped at once) leaves the rest to be checked inline.
      if (stopEarly) seals.close();
      const got: number[] = [];
      for (let i = 0; i < lines.length; i++) {
        if (i >= seals.checked) await seals.wait(i);
        got.push(seals.lengths[i] ?? -2);
      }
      seals.close();
      return got;
    };
    const want = lines.map((line) => sealer.sealedLength(scope, Buffer.from(line)));
    expect(await read(false)).toEqual(want);
    expect(await read(true)).toEqual(want);
    expect(want.filter((n) => n >= 0).length).toBeGreaterThan(5000);
    expect(want.filter((n) => n < 0).length).toBeGreaterThan(2500);
  });
});
