import { describe, expect, it } from 'vitest';
import { splitEnvString } from './env-split';
import { expandBraces, expandTilde, markExpansions, MAX_BRACE_WORDS, UNKNOWN } from './path-expand';

describe('brace expansion', () => {
  it.each([
    ['~/.{n,}pmrc', ['~/.npmrc', '~/.pmrc']],
    ['a{b,c{d,e}}f', ['abf', 'acdf', 'acef']],
    ['x{1..3}', ['x1', 'x2', 'x3']],
    ['{a..c}', ['a', 'b', 'c']],
    ['{a}', ['{a}']],
    ['{}', ['{}']],
  ])('%s', (word, expected) => {
    expect(expandBraces(word)?.sort()).toEqual(expected.sort());
  });

  it('gives up past the bound', () => {
    expect(expandBraces('{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}')).toBeNull();
    expect(MAX_BRACE_WORDS).toBeLessThan(128);
  });
});

describe('tilde and variables', () => {
  it('expands ~, ~+, ~root and $HOME; others are unknown', () => {
    expect(expandTilde(markExpansions('$HOME/x'), '/h', '/w').path).toBe('/h/x');
    expect(expandTilde(markExpansions('${PWD}/x'), '/h', '/w').path).toBe('/w/x');
    expect(expandTilde('~/x', '/h', '/w').path).toBe('/h/x');
    expect(expandTilde('~+/x', '/h', '/w').path).toBe('/w/x');
    expect(expandTilde('~root/x', '/h', '/w')).toMatchObject({
      path: '/root/x',
      userHome: '/root',
    });
    expect(expandTilde('~nosuchuser-vt/x', '/h', '/w').unknownUser).toBe('nosuchuser-vt');
    expect(markExpansions('$X/$(id)/`id`/${Y:-z}')).toBe(
      `${UNKNOWN}/${UNKNOWN}/${UNKNOWN}/${UNKNOWN}`,
    );
  });
});

describe('env -S splitting', () => {
  it.each([
    ['rm -rf x', ['rm', '-rf', 'x']],
    ['\'a b\' "c d"', ['a b', 'c d']],
    ['a\\_b\\tc', ['a', 'b\tc']],
    ['a #comment', ['a']],
    ['a\\cb', ['a']],
  ])('%j', (input, expected) => {
    expect(splitEnvString(input)).toEqual(expected);
  });

  it.each(['a ${HOME}', 'a $X', '\\q', "'open"])('refuses %j', (input) => {
    expect(splitEnvString(input)).toBeNull();
  });
});
