import { describe, expect, it } from 'vitest';
import { changeSummary, diffLines } from './diff-lines';

describe('diff lines', () => {
  it('shows an edit as a hunk with context, removals and additions', () => {
    const lines = diffLines('a.txt', 'one\ntwo\nthree\n', 'one\n2\nthree\n');
    expect(lines).toEqual([
      { kind: 'hunk', text: '@@ -1,3 +1,3 @@' },
      { kind: 'same', text: 'one' },
      { kind: 'del', text: 'two' },
      { kind: 'add', text: '2' },
      { kind: 'same', text: 'three' },
    ]);
    expect(changeSummary('x', 'y', lines)).toBe('+1 −1');
  });

  it('treats a new file as all additions and skips the no-newline marker', () => {
    const lines = diffLines('new.txt', null, 'a\nb');
    expect(lines.filter((l) => l.kind !== 'hunk')).toEqual([
      { kind: 'add', text: 'a' },
      { kind: 'add', text: 'b' },
    ]);
    expect(changeSummary(null, 'a\nb', lines)).toBe('created');
    expect(changeSummary('a', null, diffLines('gone', 'a', null))).toBe('deleted');
  });

  it('has no lines when nothing changed', () => {
    expect(diffLines('same.txt', 'x\n', 'x\n')).toEqual([]);
  });
});
