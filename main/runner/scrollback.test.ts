import { describe, expect, it } from 'vitest';
import { HeadTailBuffer } from './scrollback';

describe('HeadTailBuffer', () => {
  it('keeps everything under the limit', () => {
    const b = new HeadTailBuffer(100);
    b.append('hello ');
    b.append(Buffer.from('world'));
    expect(b.text()).toBe('hello world');
    expect([b.totalBytes, b.keptBytes, b.droppedBytes]).toEqual([11, 11, 0]);
  });

  it('keeps head and tail and names the dropped bytes', () => {
    const b = new HeadTailBuffer(10);
    for (const c of 'abcdefghijklmnopqrstuvwxyz') b.append(c);
    expect(b.text()).toBe('abcde\n[... 16 bytes dropped ...]\nvwxyz');
    expect(b.droppedBytes).toBe(16);
  });

  it('handles one chunk larger than the whole buffer', () => {
    const b = new HeadTailBuffer(6);
    b.append('0123456789');
    expect(b.text()).toBe('012\n[... 4 bytes dropped ...]\n789');
  });

  it('does not split a multi-byte character into replacement characters', () => {
    const b = new HeadTailBuffer(8);
    b.append('ééééééééé'); // 18 bytes, 2 each
    const text = b.text();
    expect(text).not.toContain('\uFFFD');
    expect(text.startsWith('éé')).toBe(true);
    expect(text.endsWith('éé')).toBe(true);
  });

  it('stays bounded whatever is appended', () => {
    const b = new HeadTailBuffer(1024);
    const chunk = Buffer.alloc(4096, 'x');
    for (let i = 0; i < 10_000; i++) b.append(chunk);
    expect(b.keptBytes).toBe(1024);
    expect(b.totalBytes).toBe(4096 * 10_000);
  });

  it.each([0, 1, 1.5, Number.NaN])('rejects a limit of %s', (n) => {
    expect(() => new HeadTailBuffer(n)).toThrow(RangeError);
  });
});

describe('HeadTailBuffer tail ring', () => {
  it('matches a plain reference for any chunk sizes, across growth and wrap-around', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (const max of [2, 3, 10, 101, 1000, 300_000]) {
      const b = new HeadTailBuffer(max);
      const chunks: Buffer[] = [];
      for (let i = 0; i < 200; i++) {
        const chunk = Buffer.alloc(random(i % 50 === 0 ? 200_000 : 700));
        for (let j = 0; j < chunk.length; j++) chunk[j] = 97 + random(26);
        b.append(chunk);
        chunks.push(chunk);
      }
      const all = Buffer.concat(chunks);
      const headLimit = Math.floor(max / 2);
      const tailLimit = max - headLimit;
      const headEnd = Math.min(headLimit, all.length);
      const expected = Buffer.concat([
        all.subarray(0, headEnd),
        all.subarray(Math.max(headEnd, all.length - tailLimit)),
      ]).toString('latin1');
      const dropped = all.length - expected.length;
      expect(b.totalBytes).toBe(all.length);
      expect(b.droppedBytes).toBe(dropped);
      const text = b.text();
      const plain =
        dropped === 0 ? text : text.replace(/\n\[\.\.\. \d+ bytes dropped \.\.\.\]\n/, '');
      expect(plain).toBe(expected);
    }
  });
});
