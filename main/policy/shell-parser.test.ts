import { beforeAll, describe, expect, it } from 'vitest';
import { ALL } from './command-corpus-cases';
import { parseSimpleCommand } from './shell-fast-path';
import { createLazyShellParser, createShellParser, type ShellParser } from './shell-parser';

let eager: ShellParser;

beforeAll(async () => {
  eager = await createShellParser();
});

const scripts = Object.values(ALL).flatMap((cases) => cases.map(([command]) => command));
const simple = scripts.filter((s) => parseSimpleCommand(s) !== null);
const complex = scripts.filter((s) => parseSimpleCommand(s) === null);

describe('createLazyShellParser', () => {
  it('the corpus has lines on both sides of the fast path', () => {
    expect(simple.length).toBeGreaterThan(20);
    expect(complex.length).toBeGreaterThan(20);
  });

  it('before ready(): answers what the fast path decides, as the loaded parser does', () => {
    const lazy = createLazyShellParser();
    for (const s of simple) expect(lazy.parse(s), s).toEqual(eager.parse(s));
  });

  it.each([
    ['echo hi | cat'],
    ['cat a > b'],
    ['echo $(rm -rf x)'],
    ['git status && rm -rf /'],
    ["bash -c 'rm -rf x'"],
    ['f() { rm -rf x; }; f'],
    ['echo `id`'],
    ['cat <<EOF\nx\nEOF'],
  ])('before ready(): refuses %j instead of guessing', (script) => {
    const lazy = createLazyShellParser();
    expect(() => lazy.parse(script)).toThrow(/not loaded yet/);
  });

  it('after ready(): parses every corpus line as the loaded parser does', async () => {
    const lazy = createLazyShellParser();
    await lazy.ready();
    await lazy.ready();
    for (const s of scripts) expect(lazy.parse(s), s).toEqual(eager.parse(s));
  });

  it('without the fast path: nothing parses before ready()', async () => {
    const lazy = createLazyShellParser({ fastPath: false });
    expect(() => lazy.parse('git status')).toThrow(/not loaded yet/);
    await lazy.ready();
    const plain = await createShellParser({ fastPath: false });
    expect(lazy.parse('git status')).toEqual(plain.parse('git status'));
  });
});
