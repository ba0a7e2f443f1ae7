import type { PermissionRuleList } from '../../../shared/domain/policy-edit';
import { commandText, splitEntryWords } from '../rules';
import { entriesMatch, literalPattern, prefixEntries, runsAnything } from './shell-words';
import { parseStarlarkCalls, type StarCall, type StarValue } from './starlark';
import { clip, mapped, notMapped, type ImportText, type Mapping, type ReadRule } from './types';

const DECISIONS: Readonly<Record<string, PermissionRuleList>> = {
  allow: 'allow',
  prompt: 'ask',
  forbidden: 'deny',
};

const ARGS = new Set(['pattern', 'decision', 'justification', 'match', 'not_match']);
const MAX_COMBINATIONS = 64;

/** Read a Codex `.rules` file: each `prefix_rule(...)` mapped, every other statement reported. */
export function readCodexRules(src: ImportText): ReadRule[] {
  const { calls, problems } = parseStarlarkCalls(src.text);
  const rows: ReadRule[] = calls.map((call) => ({
    source: { file: src.file, where: `line ${call.line}`, text: clip(call.text) },
    mapping:
      call.name === 'prefix_rule'
        ? mapPrefixRule(call)
        : notMapped(`${call.name}(...) is not read: only prefix_rule has a vtcode.toml form`),
  }));
  for (const p of problems) {
    rows.push({
      source: {
        file: src.file,
        where: `line ${p.line}`,
        text: clip(p.text || '(the rest of the file)'),
      },
      mapping: notMapped(`cannot read this: ${p.why}`),
    });
  }
  return rows.sort((a, b) => lineOf(a) - lineOf(b));
}

const lineOf = (r: ReadRule): number => Number(/\d+/.exec(r.source.where)?.[0] ?? 0);

/** A word of a pattern as VT Code writes it; null when its rules cannot say it. */
function word(token: StarValue): string | null {
  if (typeof token !== 'string' || token === '' || /[\s'"\\\0]/.test(token)) return null;
  return token;
}

/** Map `prefix_rule(pattern = [...], decision = ..., match = [...], not_match = [...])`. */
export function mapPrefixRule(call: StarCall): Mapping {
  const args = new Map<string, StarValue>();
  for (const a of call.args) {
    if (a.name === null) return notMapped('arguments must be named (pattern = [...])');
    if (!ARGS.has(a.name)) return notMapped(`prefix_rule has no argument ${a.name}`);
    args.set(a.name, a.value);
  }
  const decision = args.get('decision') ?? 'allow';
  const list = typeof decision === 'string' ? DECISIONS[decision] : undefined;
  if (!list)
    return notMapped(
      `decision must be "allow", "prompt" or "forbidden", not ${JSON.stringify(decision)}`,
    );
  const pattern = args.get('pattern');
  if (!Array.isArray(pattern) || pattern.length === 0)
    return notMapped('pattern must be a non-empty list of words');
  // Each position is a word or a list of alternatives; the rule is every combination of them.
  let combos: string[][] = [[]];
  for (const element of pattern as readonly StarValue[]) {
    const options = Array.isArray(element) ? (element as readonly StarValue[]) : [element];
    if (options.length === 0) return notMapped('an empty list of alternatives matches nothing');
    const words = options.map(word);
    const badWord = words.findIndex((w) => w === null);
    if (badWord >= 0)
      return notMapped(
        `the pattern word ${JSON.stringify(options[badWord])} cannot be written as a VT Code rule word (empty, or holds a space, quote or backslash)`,
      );
    combos = combos.flatMap((c) => (words as string[]).map((w) => [...c, w]));
    if (combos.length > MAX_COMBINATIONS)
      return notMapped(
        `the alternatives make more than ${MAX_COMBINATIONS} commands; split the rule`,
      );
  }
  const entries = combos.flatMap((c) => prefixEntries(literalPattern(c.join(' '))));
  const problem =
    exampleProblem(entries, args.get('match'), true) ??
    exampleProblem(entries, args.get('not_match'), false);
  if (problem) return notMapped(problem);
  const justification = args.get('justification');
  const note = [
    'a prefix: the words alone, or followed by more',
    typeof justification === 'string' && justification.trim() !== ''
      ? `justification: ${clip(justification, 200)}`
      : null,
  ]
    .filter(Boolean)
    .join('; ');
  const loud =
    list === 'allow'
      ? (combos
          .map((c) => (c.length === 1 ? runsAnything(c[0] ?? '') : null))
          .find((w) => w !== null) ?? null)
      : null;
  return mapped(
    entries.map((entry) => ({ list, entry })),
    note,
    loud,
  );
}

/**
 * The rule's own examples, checked against what it would become: a `match` example the entries
 * miss (or a `not_match` one they hit) means the import would not mean the same.
 */
function exampleProblem(
  entries: readonly string[],
  examples: StarValue | undefined,
  should: boolean,
): string | null {
  if (examples === undefined) return null;
  if (!Array.isArray(examples))
    return `${should ? 'match' : 'not_match'} must be a list of examples`;
  for (const example of examples as readonly StarValue[]) {
    const argv =
      typeof example === 'string'
        ? splitEntryWords(example)
        : Array.isArray(example) && example.every((w) => typeof w === 'string')
          ? example
          : null;
    if (argv === null) return `the example ${JSON.stringify(example)} is not a command`;
    const hit = entriesMatch(entries, commandText(argv));
    if (hit !== should)
      return `its own ${should ? 'match' : 'not_match'} example \`${argv.join(' ')}\` would ${should ? 'not ' : ''}match the imported rules`;
  }
  return null;
}
