import { describe, expect, it } from 'vitest';
import { FAILING_CASES, MATCHING_CASES, largeCase, updateChunks } from './patch-cases';
import { PatchError, applyChunks, parsePatch } from './patch-format';

const wrap = (body: string): string => `*** Begin Patch\n${body}\n*** End Patch`;

describe('apply_patch format', () => {
  it('parses add, delete, update with move, and applies hunks with an @@ anchor', () => {
    const ops = parsePatch(
      wrap(
        '*** Add File: n.txt\n+one\n+two\n*** Delete File: old.txt\n*** Update File: a.ts\n*** Move to: b.ts\n@@ function f() {\n-  return 1;\n+  return 2;\n }',
      ),
    );
    expect(ops.map((o) => o.type)).toEqual(['add', 'delete', 'update']);
    expect(ops[0]).toEqual({ type: 'add', path: 'n.txt', content: 'one\ntwo\n' });
    const update = ops[2];
    if (update?.type !== 'update') throw new Error('expected an update');
    expect(update.moveTo).toBe('b.ts');
    const text = 'function g() {\n  return 1;\n}\nfunction f() {\n  return 1;\n}\n';
    expect(applyChunks(text, update.chunks, 'a.ts')).toBe(
      'function g() {\n  return 1;\n}\nfunction f() {\n  return 2;\n}\n',
    );
  });

  it('matches context that differs only in trailing whitespace', () => {
    const [op] = parsePatch(wrap('*** Update File: a\n@@\n x\n-y\n+z'));
    if (op?.type !== 'update') throw new Error('expected an update');
    expect(applyChunks('x   \ny\n', op.chunks, 'a')).toBe('x   \nz\n');
  });

  it.each([
    ['no begin', 'hello', /must start with/],
    ['no end', '*** Begin Patch\n*** Delete File: a', /must end with/],
    ['empty', wrap(''), /changes no files/],
    ['bad add line', wrap('*** Add File: a\nnot plus'), /starts with "\+"/],
    ['bad hunk line', wrap('*** Update File: a\n@@\n?x'), /start with/],
    ['header without path', wrap('*** Delete File: '), /needs a path/],
    ['garbage header', wrap('*** Rename File: a'), /expected a file header/],
  ])('rejects %s', (_name, text, message) => {
    expect(() => parsePatch(text)).toThrow(PatchError);
    expect(() => parsePatch(text)).toThrow(message);
  });

  it('says which hunk does not match', () => {
    const [op] = parsePatch(wrap('*** Update File: a\n@@\n-missing\n+x'));
    if (op?.type !== 'update') throw new Error('expected an update');
    expect(() => applyChunks('present\n', op.chunks, 'a')).toThrow(
      /hunk 1 in a does not match.*"missing"/,
    );
  });
});

describe('applyChunks matching', () => {
  it.each(MATCHING_CASES)('%s', (_name, before, body, after) => {
    expect(applyChunks(before, updateChunks(body), 'a')).toBe(after);
  });

  it.each(FAILING_CASES)('rejects %s', (_name, before, body, message) => {
    expect(() => applyChunks(before, updateChunks(body), 'a')).toThrow(PatchError);
    expect(() => applyChunks(before, updateChunks(body), 'a')).toThrow(message);
  });

  it.each([16_000, 100_000])('applies 50 hunks to a %i-line file', (lines) => {
    const { before, chunks, after } = largeCase(lines, 50);
    expect(chunks).toHaveLength(50);
    expect(applyChunks(before, chunks, 'a')).toBe(after);
  });
});
