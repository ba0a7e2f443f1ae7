import { beforeAll, describe, expect, it } from 'vitest';
import { ALL } from './command-corpus-cases';
import { parseSimpleCommand } from './shell-fast-path';
import { createShellParser, type ShellParser } from './shell-parser';

let parser: ShellParser;

beforeAll(async () => {
  parser = await createShellParser({ fastPath: false });
});

/** A seeded generator, so a failure names a line that can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Words that are safe, words that look safe but are not (keywords, assignments, tildes, `#`),
// and shell metacharacters, so generated lines land on both sides of the fast path's boundary.
const TOKENS = [
  ...['git', 'status', 'ls', '-la', '--run', '--', '-', 'src/index.ts', './x', '../y', '.', '..'],
  ...['HEAD~1', 'a=b', '--x=y', 'FOO=1', '~', '~/x', '~root', 'x~', '%1', '@a', 'a,b', '^x', '+x'],
  ...[':', '1', '2', '007', '_', 'a#b', '#', '#c', '#$(rm x)', 'if', 'then', 'fi', 'in', 'do'],
  ...['export', 'declare', 'unset', 'local', 'time', 'function', 'select', 'coproc', 'esac', '!'],
  ...['$x', '"a b"', "'c'", '\\d', ';', '&&', '|', '>', '<', '(', ')', '{', '}', '[', ']', '*'],
  ...['?', '`x`', 'é', '\n', '\r', '$((1))', '{a,b}', 'a=(1)', '&', '2>&1', '<<EOF'],
];
const BLANKS = [' ', ' ', ' ', '\t', '  ', ''];
const CHARS = 'ab-_./:@%+,^=~# \t\\$';

function generatedLines(count: number): string[] {
  const next = random(20_260_801);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 3 === 0) {
      let line = '';
      const n = Math.floor(next() * 12);
      for (let k = 0; k < n; k++) line += pick([...CHARS]);
      lines.push(line);
      continue;
    }
    const n = 1 + Math.floor(next() * 6);
    let line = pick(BLANKS);
    for (let k = 0; k < n; k++) {
      // Mostly safe words, so most lines are ones the fast path takes.
      const token = next() < 0.8 ? (pick(TOKENS.slice(0, 26)) ?? '') : pick(TOKENS);
      line += token + (k < n - 1 ? pick(BLANKS.slice(0, 5)) : pick(BLANKS));
    }
    lines.push(line);
  }
  return lines;
}

describe('fast path for plain word lines', () => {
  it('gives exactly what the parser gives on every corpus command', () => {
    let taken = 0;
    for (const [command] of Object.values(ALL).flat()) {
      const fast = parseSimpleCommand(command);
      if (!fast) continue;
      taken++;
      expect(fast, JSON.stringify(command)).toEqual(parser.parse(command));
    }
    expect(taken).toBeGreaterThan(50);
  });

  it('gives exactly what the parser gives on 6,000 generated lines', () => {
    let taken = 0;
    for (const line of generatedLines(6000)) {
      const fast = parseSimpleCommand(line);
      if (!fast) continue;
      taken++;
      expect(fast, JSON.stringify(line)).toEqual(parser.parse(line));
    }
    expect(taken).toBeGreaterThan(1000);
  });

  it.each([
    ['git status', ['git', 'status'], 'git status'],
    ['  npm test -- --run   # #42 $(x)', ['npm', 'test', '--', '--run'], 'npm test -- --run'],
    ['ls\t-la', ['ls', '-la'], 'ls\t-la'],
    [
      'git diff HEAD~1 --stat=50',
      ['git', 'diff', 'HEAD~1', '--stat=50'],
      'git diff HEAD~1 --stat=50',
    ],
  ])('reads %j', (line, words, text) => {
    const fast = parseSimpleCommand(line);
    expect(fast?.commands.map((c) => [c.words.map((w) => w.value), c.text])).toEqual([
      [words, text],
    ]);
  });

  it.each([
    'FOO=1 ls',
    'export X',
    'ls#x',
    'if',
    'echo "a"',
    'ls > out',
    'ls && ls',
    'ls *',
    'echo $HOME',
    'ls\nrm x',
    'r\\m x',
    '~/bin/tool',
    'echo é',
    'echo a # é',
  ])('leaves %j to the parser', (line) => {
    expect(parseSimpleCommand(line)).toBeNull();
  });

  it('reads a comment-only or blank line as no command', () => {
    expect(parseSimpleCommand('  # note')).toEqual({ commands: [], hazards: [] });
    expect(parseSimpleCommand('')).toEqual({ commands: [], hazards: [] });
  });

  it('stays linear on a long line that fails at the end', () => {
    const line = `${'a'.repeat(50_000)} ${'b '.repeat(20_000)}!`;
    const start = performance.now();
    expect(parseSimpleCommand(line)).toBeNull();
    // A blow-up bound, not a speed target (a quadratic scan of this line takes minutes).
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
