/**
 * `env -S STRING` / `env --split-string=STRING`: split STRING into words the way GNU env does
 * (coreutils env.c, split-string), so `env -S 'rm -rf x'` is decided as `rm -rf x`.
 */

const ESCAPES: Readonly<Record<string, string>> = {
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '#': '#',
  $: '$',
  _: ' ',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

/** The words, or null when the string uses `${VAR}` or an escape env would reject. */
export function splitEnvString(input: string): string[] | null {
  const words: string[] = [];
  let current = '';
  let has = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i] ?? '';
    if (quote === "'") {
      if (ch === "'") quote = null;
      else if (ch === '\\' && (input[i + 1] === "'" || input[i + 1] === '\\'))
        current += input[++i];
      else current += ch;
      continue;
    }
    if (ch === '\\') {
      const next = input[++i] ?? '';
      // `\c` ends the string; `\_` is a separator outside quotes and a space inside them.
      if (next === 'c') break;
      if (next === '_' && quote === null) {
        if (has) words.push(current);
        current = '';
        has = false;
        continue;
      }
      const escaped = ESCAPES[next];
      if (escaped === undefined) return null;
      current += escaped;
      has = true;
      continue;
    }
    // Variables are expanded from env's own environment, which the policy cannot see.
    if (ch === '$') return null;
    if (quote === '"') {
      if (ch === '"') quote = null;
      else current += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (ch === '#' && !has) {
      break;
    } else if (/\s/.test(ch)) {
      if (has) words.push(current);
      current = '';
      has = false;
    } else {
      current += ch;
      has = true;
    }
  }
  if (quote !== null) return null;
  if (has) words.push(current);
  return words;
}
