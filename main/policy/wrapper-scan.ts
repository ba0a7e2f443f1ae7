import { splitEnvString } from './env-split';
import type { ShellWord } from './shell-words';
import type { WrapperSpec } from './wrapper-specs';

/** A word the policy made up (a split string, a joined command line): literal text. */
export function synthetic(value: string, dynamic = false): ShellWord {
  return { text: value, value, dynamic, glob: false };
}

/** `sh -c SCRIPT`, the way wrappers that take a command string run it. */
export function shellRun(script: ShellWord): ShellWord[] {
  return [synthetic('sh'), synthetic('-c'), script];
}

/** Join words into one command line, as watch, sg and `sudo -s` do. */
export function joined(words: readonly ShellWord[]): ShellWord {
  return synthetic(
    words.map((w) => w.value).join(' '),
    words.some((w) => w.dynamic),
  );
}

type OptionKind = 'flag' | 'arg' | 'optional' | 'shell' | 'env' | 'none' | 'split';

const KINDS = new Map<WrapperSpec, Map<string, OptionKind>>();

function kindsOf(spec: WrapperSpec): Map<string, OptionKind> {
  let map = KINDS.get(spec);
  if (map) return map;
  map = new Map();
  const add = (list: readonly string[] | undefined, kind: OptionKind): void => {
    for (const name of list ?? []) map?.set(name, kind);
  };
  add(spec.flags, 'flag');
  add(spec.args, 'arg');
  add(spec.optional, 'optional');
  add(spec.shell, 'shell');
  add(spec.env, 'env');
  add(spec.noCommand, 'none');
  add(spec.split, 'split');
  KINDS.set(spec, map);
  return map;
}

/** A long option by its name or a unique abbreviation, as getopt_long accepts. */
function longKind(kinds: Map<string, OptionKind>, name: string): OptionKind | undefined {
  const exact = kinds.get(name);
  if (exact) return exact;
  const matches = [...kinds.keys()].filter((k) => k.startsWith('--') && k.startsWith(name));
  return matches.length === 1 ? kinds.get(matches[0] as string) : undefined;
}

/** The state of one option scan over a wrapper's words. */
export interface Scan {
  words: readonly ShellWord[];
  i: number;
  script: ShellWord | null;
  env: string[];
  unsure: string | null;
  noCommand: boolean;
  seen: Set<string>;
  /** Non-option words met on the way, when the wrapper permutes (`su -c cmd user`). */
  operands: ShellWord[];
}

/** Read a wrapper's options; stops at the first non-option unless it permutes like getopt. */
export function scanOptions(words: readonly ShellWord[], spec: WrapperSpec, permute = false): Scan {
  const kinds = kindsOf(spec);
  const program = words[0]?.value ?? '';
  const s: Scan = {
    words,
    i: 1,
    script: null,
    env: [],
    unsure: null,
    noCommand: false,
    seen: new Set(),
    operands: [],
  };
  const use = (kind: OptionKind | undefined, name: string, value: ShellWord | null): void => {
    s.seen.add(name);
    if (kind === undefined) s.unsure ??= `\`${program}\` option \`${name}\` is not understood`;
    else if (kind === 'none') s.noCommand = true;
    else if (kind === 'shell') s.script = value;
    else if (kind === 'env' && value) s.env.push(value.value);
    if ((kind === 'arg' || kind === 'shell' || kind === 'env') && !value)
      s.unsure ??= `\`${program}\` option \`${name}\` has no value`;
  };
  while (s.i < s.words.length) {
    const word = s.words[s.i] as ShellWord;
    const w = word.value;
    if (w === '--') {
      s.i++;
      if (permute) s.operands.push(...s.words.slice(s.i));
      if (permute) s.i = s.words.length;
      break;
    }
    if (spec.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) {
      s.env.push(w);
      s.i++;
      continue;
    }
    const optionLike = w.startsWith('-') && (w !== '-' || kinds.has('-'));
    if (!optionLike) {
      if (!permute) break;
      s.operands.push(word);
      s.i++;
      continue;
    }
    if ((spec.numericOption && /^-\d+$/.test(w)) || w === '-') {
      s.i++;
      continue;
    }
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = eq > 0 ? w.slice(0, eq) : w;
      const kind = spec.anyLong ? (longKind(kinds, name) ?? 'flag') : longKind(kinds, name);
      const takes = kind === 'arg' || kind === 'shell' || kind === 'env' || kind === 'split';
      const value =
        eq > 0
          ? synthetic(w.slice(eq + 1), word.dynamic)
          : takes
            ? (s.words[s.i + 1] ?? null)
            : null;
      if (kind === 'split') {
        splice(s, value, eq > 0 || !value ? 1 : 2);
        continue;
      }
      use(kind, name, value);
      s.i += takes && eq < 0 ? 2 : 1;
      continue;
    }
    shortCluster(s, kinds, word, use);
  }
  return s;
}

/** `-xvf FILE`, `-w5`, `-c'cmd'`: each letter is an option until one takes the rest. */
function shortCluster(
  s: Scan,
  kinds: Map<string, OptionKind>,
  word: ShellWord,
  use: (kind: OptionKind | undefined, name: string, value: ShellWord | null) => void,
): void {
  const w = word.value;
  for (let j = 1; j < w.length; j++) {
    const name = `-${w[j] ?? ''}`;
    const kind = kinds.get(name);
    const attached = w.slice(j + 1);
    if (kind === 'optional') break;
    if (kind === 'arg' || kind === 'shell' || kind === 'env' || kind === 'split') {
      const value = attached ? synthetic(attached, word.dynamic) : (s.words[s.i + 1] ?? null);
      if (kind === 'split') return splice(s, value, attached ? 1 : 2);
      use(kind, name, value);
      s.i += attached ? 1 : 2;
      return;
    }
    use(kind, name, null);
    if (kind === undefined) break;
  }
  s.i++;
}

/** Replace `-S STRING` (which took `width` words) by the words env splits it into. */
function splice(s: Scan, value: ShellWord | null, width: number): void {
  const split = value && !value.dynamic ? splitEnvString(value.value) : null;
  if (!split) {
    s.unsure ??= 'the string of `env -S` cannot be split without running it';
    s.i += width;
    return;
  }
  const words = split.map((w) => synthetic(w));
  s.words = [...s.words.slice(0, s.i), ...words, ...s.words.slice(s.i + width)];
}
