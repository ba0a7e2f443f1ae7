/*
 * Whether every command one rule matches is matched by another, decided exactly for word lists and
 * globs (as rules.ts's globToRegex reads them) by walking both patterns over the same text, with a
 * counterexample when not. Regexes cannot be walked this way; callers sample them instead.
 */

/** One glob element: a character, `?`, `*`, or a `[...]` class of code point ranges. */
export type GlobToken =
  | { readonly t: 'lit'; readonly c: number }
  | { readonly t: 'one' }
  | { readonly t: 'star' }
  | { readonly t: 'cls'; readonly neg: boolean; readonly ranges: readonly [number, number][] };

/** A pattern: texts matching any of its token lists. */
export type GlobUnion = readonly (readonly GlobToken[])[];

const lits = (text: string): GlobToken[] => [...text].map((ch) => ({ t: 'lit', c: cp(ch) }));
const cp = (ch: string): number => ch.codePointAt(0) ?? 0;

/** A word-list rule (`git status`) as globs over the command's text: itself, or it plus more words. */
export function prefixUnion(text: string): GlobUnion {
  return [lits(text), [...lits(`${text} `), { t: 'star' }]];
}

/**
 * Parse a glob the way globToRegex does. Null for the forms whose regex reading is not a plain
 * class (a class starting with `]`, holding `[` or a backslash): those are sampled instead.
 */
export function parseGlob(glob: string): GlobToken[] | null {
  const out: GlobToken[] = [];
  const chars = [...glob];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (ch === '*') {
      if (out.at(-1)?.t !== 'star') out.push({ t: 'star' });
    } else if (ch === '?') out.push({ t: 'one' });
    else if (ch === '[') {
      const close = chars.indexOf(']', i + 2);
      if (close < 0) {
        out.push({ t: 'lit', c: cp('[') });
        continue;
      }
      const body = chars.slice(i + 1, close);
      const cls = parseClass(body);
      if (!cls) return null;
      out.push(cls);
      i = close;
    } else out.push({ t: 'lit', c: cp(ch) });
  }
  return out;
}

function parseClass(body: readonly string[]): GlobToken | null {
  let rest = [...body];
  const neg = rest[0] === '!' || rest[0] === '^';
  if (neg) rest = rest.slice(1);
  if (rest.length === 0 || rest.some((c) => c === '[' || c === '\\' || c === ']')) return null;
  const ranges: [number, number][] = [];
  for (let i = 0; i < rest.length; i++) {
    const lo = cp(rest[i] ?? '');
    if (rest[i + 1] === '-' && i + 2 < rest.length) {
      const hi = cp(rest[i + 2] ?? '');
      if (hi < lo) return null;
      ranges.push([lo, hi]);
      i += 2;
    } else ranges.push([lo, lo]);
  }
  return { t: 'cls', neg, ranges };
}

function inClass(tok: Extract<GlobToken, { t: 'cls' }>, c: number): boolean {
  const hit = tok.ranges.some(([lo, hi]) => c >= lo && c <= hi);
  return tok.neg ? !hit : hit;
}

/** Positions reachable without reading: a star may match nothing. */
function close(tokens: readonly GlobToken[], pos: number, into: Set<number>): void {
  let p = pos;
  for (;;) {
    into.add(p);
    if (tokens[p]?.t !== 'star') return;
    p++;
  }
}

function step(tokens: readonly GlobToken[], pos: number, c: number): number | null {
  const tok = tokens[pos];
  if (!tok) return null;
  switch (tok.t) {
    case 'lit':
      return tok.c === c ? pos + 1 : null;
    case 'one':
      return pos + 1;
    case 'star':
      return pos;
    case 'cls':
      return inClass(tok, c) ? pos + 1 : null;
  }
}

// Characters a counterexample prefers, so it reads like a command.
const PREFERRED = [...'x-/. 9Q_'].map(cp);

/** One character per stretch of code points that every token treats alike. */
function alphabet(patterns: readonly GlobUnion[]): number[] {
  const cuts = new Set<number>([0, 0x110000]);
  for (const union of patterns)
    for (const tokens of union)
      for (const tok of tokens) {
        if (tok.t === 'lit') {
          cuts.add(tok.c);
          cuts.add(tok.c + 1);
        } else if (tok.t === 'cls')
          for (const [lo, hi] of tok.ranges) {
            cuts.add(lo);
            cuts.add(hi + 1);
          }
      }
  for (const p of PREFERRED) {
    cuts.add(p);
    cuts.add(p + 1);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const reps: number[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const start = sorted[i] ?? 0;
    const end = sorted[i + 1] ?? 0;
    // Commands hold no NUL: the first stretch is represented by U+0001.
    if (start > 0) reps.push(start);
    else if (end > 1) reps.push(1);
  }
  return reps;
}

export interface Inclusion {
  readonly included: boolean;
  /** When not included: a text the first pattern matches and the second does not. */
  readonly counterexample: string | null;
}

const MAX_STATES = 20_000;

/**
 * Whether every text `a` matches is matched by `b`. Unsure (too many states) counts as not
 * included: lint only reports what it can show.
 */
export function globIncluded(a: GlobUnion, b: GlobUnion): Inclusion {
  // Quick no (most pairs of rules): every text of `a` starts with its fixed start, every text of
  // `b` with `b`'s; when they differ before either ends, a's shortest text is outside `b`.
  const pa = literalStart(a);
  const pb = literalStart(b);
  if (!pa.startsWith(pb) && !pb.startsWith(pa))
    return { included: false, counterexample: shortest(a[0] ?? []) };
  return walk(a, b);
}

/** The characters every text of the pattern starts with. */
function literalStart(union: GlobUnion): string {
  const starts = union.map((tokens) => {
    let out = '';
    for (const tok of tokens) {
      if (tok.t !== 'lit') break;
      out += String.fromCodePoint(tok.c);
    }
    return out;
  });
  let common = starts[0] ?? '';
  for (const s of starts.slice(1)) while (!s.startsWith(common)) common = common.slice(0, -1);
  return common;
}

/** The shortest text of a token list: stars match nothing, `?` and classes one character. */
function shortest(tokens: readonly GlobToken[]): string {
  return tokens
    .map((tok) => {
      if (tok.t === 'lit') return String.fromCodePoint(tok.c);
      if (tok.t === 'star') return '';
      if (tok.t === 'one') return 'x';
      const rep = tok.neg
        ? [...'xqQ9_-'].find((ch) => inClass(tok, cp(ch)))
        : String.fromCodePoint(tok.ranges[0]?.[0] ?? 120);
      return rep ?? '';
    })
    .join('');
}

function walk(a: GlobUnion, b: GlobUnion): Inclusion {
  const sigma = alphabet([a, b]);
  const startB = new Set<string>();
  b.forEach((tokens, j) => {
    const s = new Set<number>();
    close(tokens, 0, s);
    for (const p of s) startB.add(`${j}:${p}`);
  });
  const acceptsB = (set: ReadonlySet<string>): boolean =>
    [...set].some((k) => {
      const [j, p] = k.split(':').map(Number);
      return p === b[j ?? 0]?.length;
    });
  const stepB = (set: ReadonlySet<string>, c: number): Set<string> => {
    const next = new Set<string>();
    for (const k of set) {
      const [j = 0, p = 0] = k.split(':').map(Number);
      const tokens = b[j] ?? [];
      const to = step(tokens, p, c);
      if (to === null) continue;
      const s = new Set<number>();
      close(tokens, to, s);
      for (const q of s) next.add(`${j}:${q}`);
    }
    return next;
  };
  for (const tokens of a) {
    const first = new Set<number>();
    close(tokens, 0, first);
    const queue: { pos: number; set: Set<string>; text: string }[] = [...first].map((pos) => ({
      pos,
      set: startB,
      text: '',
    }));
    const seen = new Set<string>();
    while (queue.length > 0) {
      const { pos, set, text } = queue.shift() as (typeof queue)[number];
      const key = `${pos}|${[...set].sort().join(',')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (seen.size > MAX_STATES) return { included: false, counterexample: null };
      if (pos === tokens.length && !acceptsB(set)) return { included: false, counterexample: text };
      for (const c of sigma) {
        const to = step(tokens, pos, c);
        if (to === null) continue;
        const nextB = stepB(set, c);
        const reach = new Set<number>();
        close(tokens, to, reach);
        for (const p of reach)
          queue.push({ pos: p, set: nextB, text: text + String.fromCodePoint(c) });
      }
    }
  }
  return { included: true, counterexample: null };
}

// What a `*` stands for in samples: nothing, a word, options, paths, quotes, several words.
const FRAGMENTS = ['', 'x', ' x', ' -rf /', " 'a b'", '/tmp/q z', ' --force', ';9'];

/** Texts a pattern matches, for testing a regex against it (a sample, not a proof). */
export function samples(union: GlobUnion): string[] {
  const out = new Set<string>();
  for (const tokens of union) {
    const stars = tokens.filter((t) => t.t === 'star').length;
    const render = (pick: (star: number) => string): string => {
      let star = 0;
      return tokens
        .map((tok) => {
          if (tok.t === 'lit') return String.fromCodePoint(tok.c);
          if (tok.t === 'one') return 'x';
          if (tok.t === 'star') return pick(star++);
          const rep = tok.neg
            ? [...'xqQ9_-'].find((ch) => inClass(tok, cp(ch)))
            : String.fromCodePoint(tok.ranges[0]?.[0] ?? 120);
          return rep ?? '';
        })
        .join('');
    };
    for (const f of FRAGMENTS) out.add(render(() => f));
    for (let s = 0; s < stars; s++)
      for (const f of FRAGMENTS) out.add(render((k) => (k === s ? f : '')));
  }
  return [...out];
}
