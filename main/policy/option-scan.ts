/**
 * Shared pieces of the dangerous-option table: what a finding is, and a GNU-style option reader
 * (`--opt=v`, `--opt v`, `-ov`, `-o v`, clusters such as `-sSLo out`).
 */

/** What an option or operand makes a program do beyond reading what it is given. */
export type Effect = 'runs' | 'writes' | 'reads' | 'target';

/**
 * One finding. `runs`/`writes`/`reads` come from options and are asked about unless a rule names
 * them; `target` is an operand the program writes (cp's destination), decided as a path write.
 */
export interface Finding {
  readonly effect: Effect;
  /** Index in argv of the word that holds the option (or the operand). */
  readonly index: number;
  readonly why: string;
  /** The file written or read, when named: the argv index holding it and the path itself. */
  readonly path?: { readonly index: number; readonly value: string };
}

export interface OptSpec {
  readonly effect: Effect;
  readonly why: string;
  /** Takes a value (the next word, or attached). */
  readonly takes?: boolean;
  /** The value is a file (`-o FILE`). */
  readonly file?: boolean;
}

/** Find the table's options in argv; `shortArgs` lists other short options that take a value. */
/**
 * GNU getopt_long takes any unambiguous prefix of a long option (`sed --in` is `--in-place`): a
 * word that is a prefix of exactly one long option of the table counts as that option.
 */
export function longPrefix(
  table: Readonly<Record<string, OptSpec>>,
  word: string,
): OptSpec | undefined {
  if (!word.startsWith('--') || word.length < 3) return undefined;
  const matches = Object.keys(table).filter((k) => k.startsWith('--') && k.startsWith(word));
  return matches.length === 1 ? table[matches[0] ?? ''] : undefined;
}

export function byTable(
  argv: readonly string[],
  table: Readonly<Record<string, OptSpec>>,
  shortArgs = '',
  start = 1,
): Finding[] {
  const out: Finding[] = [];
  const add = (spec: OptSpec, index: number, value: { index: number; value: string } | null) => {
    // `-o -` is standard output.
    if (spec.file && value?.value === '-') return;
    const path = spec.file && value && value.value !== '-' ? { path: value } : {};
    out.push({ effect: spec.effect, index, why: spec.why, ...path });
  };
  for (let i = start; i < argv.length; i++) {
    const w = argv[i] ?? '';
    if (w === '--') break;
    const exact = table[w];
    if (w.startsWith('--') || exact) {
      const eq = w.startsWith('--') ? w.indexOf('=') : -1;
      const spec =
        table[eq > 0 ? w.slice(0, eq) : w] ?? longPrefix(table, eq > 0 ? w.slice(0, eq) : w);
      if (!spec) continue;
      const next = argv[i + 1];
      const value =
        eq > 0
          ? { index: i, value: w.slice(eq + 1) }
          : spec.takes && next !== undefined
            ? { index: i + 1, value: next }
            : null;
      add(spec, i, value);
      if (spec.takes && eq < 0) i++;
      continue;
    }
    if (!w.startsWith('-') || w.length < 2) continue;
    for (let j = 1; j < w.length; j++) {
      const letter = w[j] ?? '';
      const spec = table[`-${letter}`];
      const attached = w.slice(j + 1);
      if (spec) {
        const next = argv[i + 1];
        const value = !spec.takes
          ? null
          : attached
            ? { index: i, value: attached }
            : next !== undefined
              ? { index: i + 1, value: next }
              : null;
        add(spec, i, value);
        if (spec.takes) {
          if (!attached) i++;
          break;
        }
      } else if (shortArgs.includes(letter)) {
        if (!attached) i++;
        break;
      }
    }
  }
  return out;
}

/** Indices of the non-option words (after `--`, everything), skipping option values. */
export function operandIndices(
  argv: readonly string[],
  shortArgs = '',
  longArgs: readonly string[] = [],
): number[] {
  const out: number[] = [];
  let options = true;
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i] ?? '';
    if (options && w === '--') {
      options = false;
      continue;
    }
    if (!options || !w.startsWith('-') || w === '-') {
      out.push(i);
      continue;
    }
    if (w.startsWith('--')) {
      if (!w.includes('=') && longArgs.includes(w)) i++;
      continue;
    }
    for (let j = 1; j < w.length; j++) {
      if (shortArgs.includes(w[j] ?? '')) {
        if (j === w.length - 1) i++;
        break;
      }
    }
  }
  return out;
}

/** A finding for each operand a program writes (tee FILE..., touch FILE...). */
export function targets(
  argv: readonly string[],
  indices: readonly number[],
  why: string,
): Finding[] {
  return indices.map((index) => ({
    effect: 'target' as const,
    index,
    why,
    path: { index, value: argv[index] ?? '' },
  }));
}

/** The value of an option (`-t DIR`, `-tDIR`, `--target-directory=DIR`), if given. */
export function optionValue(
  argv: readonly string[],
  short: string,
  long: string,
): { index: number; value: string } | null {
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i] ?? '';
    if (w === '--') break;
    if (w === short || w === long) {
      const next = argv[i + 1];
      return next === undefined ? null : { index: i + 1, value: next };
    }
    if (w.startsWith(`${long}=`)) return { index: i, value: w.slice(long.length + 1) };
    if (w.startsWith(short) && !w.startsWith('--') && w.length > short.length)
      return { index: i, value: w.slice(short.length) };
  }
  return null;
}
