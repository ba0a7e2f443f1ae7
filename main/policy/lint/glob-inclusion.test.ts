import { describe, expect, it } from 'vitest';
import { globToRegex } from '../rules';
import { globIncluded, parseGlob, prefixUnion, samples, type GlobUnion } from './glob-inclusion';

const g = (glob: string): GlobUnion => {
  const tokens = parseGlob(glob);
  if (!tokens) throw new Error(`unreadable ${glob}`);
  return [tokens];
};

describe('glob inclusion', () => {
  it.each([
    ['rm -rf build', 'rm *'],
    ['git status *', 'git *'],
    ['git s?atus', 'git *'],
    ['ls', '*'],
    ['*', '*'],
    ['a[bc]d', 'a?d'],
    ['a[b-d]e', 'a[a-z]e'],
    ['npm run test*', 'npm run *'],
  ])('%s is inside %s', (a, b) => {
    expect(globIncluded(g(a), g(b))).toEqual({ included: true, counterexample: null });
  });

  it.each([
    ['git *', 'git status *'],
    ['rm*', 'rm *'],
    ['*', 'ls *'],
    ['a?d', 'a[bc]d'],
    ['a[!b]c', 'a[a-c]c'],
    ['git push *', 'git push origin *'],
  ])('%s is not inside %s, with a counterexample', (a, b) => {
    const r = globIncluded(g(a), g(b));
    expect(r.included).toBe(false);
    expect(r.counterexample).not.toBeNull();
    // The counterexample is real: the first glob matches it and the second does not.
    expect(globToRegex(a).test(r.counterexample ?? '')).toBe(true);
    expect(globToRegex(b).test(r.counterexample ?? '')).toBe(false);
  });

  it('reads a word list as itself or itself and more words', () => {
    expect(globIncluded(prefixUnion('git status'), g('git *')).included).toBe(true);
    expect(globIncluded(prefixUnion('git status'), g('git status *')).included).toBe(false);
    expect(globIncluded(g('git status --short'), prefixUnion('git status')).included).toBe(true);
    expect(globIncluded(g('git statusx'), prefixUnion('git status')).included).toBe(false);
  });

  it.each([['a[]b]'], ['a[\\]b]'], ['a[[:alpha:]]']])(
    'leaves %s to sampling (its regex reading is not a plain class)',
    (glob) => {
      expect(parseGlob(glob)).toBeNull();
    },
  );

  it('samples texts the pattern matches', () => {
    const texts = samples(g('rm -rf *'));
    expect(texts).toContain('rm -rf ');
    expect(texts.every((t) => globToRegex('rm -rf *').test(t))).toBe(true);
  });
});
