import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SubjectBlock } from './subject-block';
import { describeSize, elideLine, showInvisible } from './subject-text';

const long = `echo ${'a'.repeat(4990)}; rm -rf x`;

describe('describeSize', () => {
  it.each([
    ['echo hi', '1 line, 7 characters'],
    ['', '1 line, 0 characters'],
    ['x', '1 line, 1 character'],
    ['ls\npwd\n', '2 lines, 7 characters'],
    ['a\n\nb', '3 lines, 4 characters'],
    [long, '1 line, 5,005 characters'],
    ['é👍', '1 line, 2 characters'],
  ])('%j is %s', (text, size) => expect(describeSize(text)).toBe(size));
});

describe('showInvisible', () => {
  it('marks characters that hide or reorder text', () => {
    expect(showInvisible('ls \u202Ex\u200By\rz\u0007')).toEqual({
      text: 'ls ⟨U+202E⟩x⟨U+200B⟩y⟨U+000D⟩z⟨U+0007⟩',
      hidden: 4,
    });
    expect(showInvisible('a\tb\nc')).toEqual({ text: 'a\tb\nc', hidden: 0 });
    expect(showInvisible('tag\u{E0041}')).toEqual({ text: 'tag⟨U+E0041⟩', hidden: 1 });
  });
});

describe('elideLine', () => {
  it('keeps a short single line whole, with no marker', () => {
    expect(elideLine('npm test', 80)).toEqual({ head: 'npm test', marker: null });
  });

  it('says what it left out: the rest of the line and the other lines', () => {
    expect(elideLine(long, 20)).toEqual({
      head: `echo ${'a'.repeat(15)}`,
      marker: '… 5,005 characters in all',
    });
    expect(elideLine('ls\nrm -rf x', 80)).toEqual({
      head: 'ls',
      marker: '… +1 more line, 11 characters in all',
    });
  });
});

describe('SubjectBlock', () => {
  it('shows the whole command with its size, never a cut line', () => {
    const html = renderToStaticMarkup(createElement(SubjectBlock, { subject: long }));
    expect(html).toContain(`${'a'.repeat(4990)}; rm -rf x</pre>`);
    expect(html).toContain('1 line, 5,005 characters');
  });

  it('counts invisible characters and shows them as code points', () => {
    const html = renderToStaticMarkup(createElement(SubjectBlock, { subject: 'ls \u202E; rm x' }));
    expect(html).toContain('ls ⟨U+202E⟩; rm x');
    expect(html).toContain('1 invisible character shown as ⟨U+…⟩');
  });
});
