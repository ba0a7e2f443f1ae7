import { describe, expect, it } from 'vitest';
import { splitGrowing, splitMarkdownBlocks } from './markdown';

describe('splitMarkdownBlocks', () => {
  it('splits paragraphs at blank lines', () => {
    expect(splitMarkdownBlocks('one\ntwo\n\nthree\n\n\nfour')).toEqual([
      'one\ntwo\n',
      'three\n',
      'four',
    ]);
  });

  it('keeps a fenced code block with blank lines in one piece', () => {
    const text = 'Intro\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\nAfter';
    expect(splitMarkdownBlocks(text)).toEqual([
      'Intro\n',
      '```ts\nconst a = 1;\n\nconst b = 2;\n```\n',
      'After',
    ]);
  });

  it('keeps an unclosed fence (still streaming) as the last block', () => {
    expect(splitMarkdownBlocks('Text\n\n~~~\ncode\n\nmore')).toEqual([
      'Text\n',
      '~~~\ncode\n\nmore',
    ]);
  });

  it('only closes a fence with the same marker, at least as long', () => {
    const text = '````\n```\n\ninner\n````\n\nend';
    expect(splitMarkdownBlocks(text)).toEqual(['````\n```\n\ninner\n````\n', 'end']);
  });

  it('loses no text: the blocks joined are the text without blank separators', () => {
    const text = 'a\n\nb\n```\nx\n\ny\n```\n\n\n| t |\n|---|\n| 1 |\n';
    const blocks = splitMarkdownBlocks(text);
    expect(blocks.join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
    expect(splitMarkdownBlocks('')).toEqual([]);
  });

  it('splits a growing text the same as from scratch, however it grows', () => {
    const full =
      'Intro line\n\n```js\nlet a;\n\nlet b;\n```\n\nPara two\nmore\n\n\n- item\n- item 2\n\nEnd.';
    for (const step of [1, 3, 7, 13]) {
      let split = null;
      for (let n = 0; n <= full.length; n += step) {
        split = splitGrowing(split, full.slice(0, n));
        expect(split.blocks).toEqual(splitMarkdownBlocks(full.slice(0, n)));
      }
    }
    // A text that does not extend the previous one is split afresh.
    const first = splitGrowing(null, 'a\n\nb');
    expect(splitGrowing(first, 'x\n\ny').blocks).toEqual(['x\n', 'y']);
  });
});
