import { globToRegex } from '../rules';

/**
 * Turn literal command words into a VT Code shell pattern that matches exactly them: the glob's
 * own characters are put in brackets (`[*]`, `[?]`, `[[]`), which VT Code's glob reads the same.
 */
export function literalPattern(words: string): string {
  return words.replace(/[*?[]/g, (c) => `[${c}]`);
}

/** Keep `*` as a wildcard, make `?` and `[` literal (Claude Code rules only know `*`). */
export function starPattern(text: string): string {
  return text.replace(/[?[]/g, (c) => `[${c}]`);
}

/** A prefix as two rules: the words alone, and the words followed by anything. */
export function prefixEntries(pattern: string): string[] {
  return [`exec_command(${pattern})`, `exec_command(${pattern} *)`];
}

// Programs that run whatever they are given: an allow for them allows anything.
const RUNS_ANYTHING = new Set([
  'sh',
  'bash',
  'zsh',
  'fish',
  'dash',
  'ksh',
  'python',
  'python3',
  'node',
  'deno',
  'bun',
  'ruby',
  'perl',
  'php',
  'eval',
  'exec',
  'env',
  'xargs',
  'sudo',
  'doas',
  'npx',
  'bunx',
  'pnpx',
  'uvx',
  'pipx',
  'powershell',
  'pwsh',
]);

/** Why an allow of commands starting with `first` amounts to "run anything", or null. */
export function runsAnything(first: string): string | null {
  const name = first.split('/').pop() ?? first;
  if (first === '' || first.startsWith('*')) return 'it matches any command';
  return RUNS_ANYTHING.has(name)
    ? `\`${name}\` runs whatever code it is given, so this allows running anything`
    : null;
}

/** Whether any of the `exec_command(...)` entries matches the command text (for Codex examples). */
export function entriesMatch(entries: readonly string[], text: string): boolean {
  return entries.some((e) => {
    const inner = /^exec_command\((.*)\)$/s.exec(e)?.[1];
    return inner !== undefined && globToRegex(inner).test(text);
  });
}
