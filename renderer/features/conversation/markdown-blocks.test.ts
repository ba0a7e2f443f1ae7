import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { describe, expect, it } from 'vitest';
import { splitGrowing, splitMarkdown, type BlockSplit } from './markdown-blocks';

const blocksOf = (text: string) => splitMarkdown(text).blocks;

/** HTML of Markdown as the app renders it (without highlighting), whitespace between tags dropped. */
function html(markdown: string): string {
  return renderToStaticMarkup(
    createElement(ReactMarkdown, { remarkPlugins: [remarkGfm] }, markdown),
  ).replace(/>\s+</g, '><');
}

/** Answers shaped like a model's: every construct a blank line might cut in two. */
const SAMPLES = [
  'Intro\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\nAfter',
  '- one\n- two\n\n- three (the list turns loose)\n\nAfter the list',
  '1. first\n\n   more of the first\n\n2. second\n\n   ```sh\n   ls\n\n   pwd\n   ```\n3. third',
  'Para\n\n    indented code\n\n    more code\n\nEnd',
  'A table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n\nBelow it.',
  'a\n\n b starts with a space\n\n  c with two\n\n# Heading\n\ntext',
  '> quote\n\n> another quote\n\n* * *\n\n- [ ] task\n- [x] done',
  'See [the docs][d] and a note[^1].\n\nMore text.\n\n[d]: https://example.com\n[^1]: The note.',
  '~~~\nunclosed\n\nfence',
];

describe('splitMarkdown', () => {
  it('splits paragraphs at blank lines', () => {
    expect(blocksOf('one\ntwo\n\nthree\n\n\nfour')).toEqual(['one\ntwo\n', 'three\n', 'four']);
  });

  it('keeps a fenced code block with blank lines in one piece', () => {
    expect(blocksOf(SAMPLES[0] ?? '')).toEqual([
      'Intro\n',
      '```ts\nconst a = 1;\n\nconst b = 2;\n```\n',
      'After',
    ]);
  });

  it('keeps an unclosed fence (still streaming) as the last block, and says it is open', () => {
    const open = splitMarkdown('Text\n\n~~~\ncode\n\nmore');
    expect(open.blocks).toEqual(['Text\n', '~~~\ncode\n\nmore']);
    expect(open.openFence).toBe(true);
    expect(splitMarkdown('Text\n\n~~~\ncode\n~~~').openFence).toBe(false);
  });

  it('only closes a fence with the same marker, at least as long', () => {
    expect(blocksOf('````\n```\n\ninner\n````\n\nend')).toEqual([
      '````\n```\n\ninner\n````\n',
      'end',
    ]);
  });

  it('keeps a loose list, an item with more paragraphs and indented code together', () => {
    expect(blocksOf(SAMPLES[1] ?? '')).toEqual([
      '- one\n- two\n\n- three (the list turns loose)\n',
      'After the list',
    ]);
    expect(blocksOf(SAMPLES[2] ?? '')).toHaveLength(1);
    expect(blocksOf(SAMPLES[3] ?? '')).toEqual([
      'Para\n',
      '    indented code\n\n    more code\n',
      'End',
    ]);
  });

  it('splits before a paragraph indented by less than four spaces', () => {
    expect(blocksOf('a\n\n b\n\n  c')).toEqual(['a\n', ' b\n', '  c']);
  });

  it('keeps a text with link or footnote definitions in one block', () => {
    const split = splitMarkdown(SAMPLES[7] ?? '');
    expect(split.blocks).toEqual([SAMPLES[7]]);
    expect(split.definitions).toBe(true);
  });

  it('loses no text: the blocks joined are the text without blank separators', () => {
    const text = 'a\n\nb\n```\nx\n\ny\n```\n\n\n| t |\n|---|\n| 1 |\n';
    expect(blocksOf(text).join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
    expect(blocksOf('')).toEqual([]);
    expect(blocksOf('\n\n  \n')).toEqual([]);
  });

  it('renders block by block exactly as the whole text renders', () => {
    for (const sample of SAMPLES) {
      expect(blocksOf(sample).map(html).join(''), sample).toBe(html(sample));
    }
  });
});

describe('splitGrowing', () => {
  it('splits a growing text the same as from scratch, however it grows', () => {
    const full = SAMPLES.join('\n\n');
    for (const step of [1, 3, 7, 13, 200]) {
      let split: BlockSplit | null = null;
      for (let n = 0; n <= full.length + step; n += step) {
        const text = full.slice(0, n);
        split = splitGrowing(split, text);
        expect(split.blocks, JSON.stringify(text)).toEqual(splitMarkdown(text).blocks);
        expect(split.openFence).toBe(splitMarkdown(text).openFence);
      }
    }
  });

  it('renders like the whole text at every flush: tables, lists and fences cut mid-way', () => {
    const full = SAMPLES.slice(0, 7).join('\n\n');
    let split: BlockSplit | null = null;
    for (let n = 0; n <= full.length; n += 5) {
      const text = full.slice(0, n);
      split = splitGrowing(split, text);
      expect(split.blocks.map(html).join(''), JSON.stringify(text)).toBe(html(text));
    }
  });

  it('reuses the final blocks and splits afresh a text that does not extend the last one', () => {
    const first = splitGrowing(null, 'a\n\nb');
    const grown = splitGrowing(first, 'a\n\nb c\n\nd');
    expect(grown.blocks[0]).toBe(first.blocks[0]);
    expect(grown.blocks).toEqual(['a\n', 'b c\n', 'd']);
    expect(splitGrowing(first, 'x\n\ny').blocks).toEqual(['x\n', 'y']);
  });
});
