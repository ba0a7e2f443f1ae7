import type { ParsedScript } from './shell-parser';

const MAX_CANDIDATES = 256;
const MAX_TOTAL = 1_000_000;
const MAX_STARTS = 16;

/**
 * The texts in a command line that could be a script a shell reads unseen: each command's words
 * from every start (`echo rm -rf x` gives `rm -rf x`), each word holding a blank, and heredoc and
 * here-string bodies. Bounded, so hostile input stays cheap.
 */
export function visibleScripts(scripts: readonly ParsedScript[]): string[] {
  const out = new Set<string>();
  let total = 0;
  const add = (text: string): boolean => {
    if (text.trim() === '' || out.has(text)) return true;
    if (out.size >= MAX_CANDIDATES || total + text.length > MAX_TOTAL) return false;
    out.add(text);
    total += text.length;
    return true;
  };
  for (const parsed of scripts) {
    for (const cmd of parsed.commands) {
      const values = cmd.words.map((w) => w.value);
      for (let k = 1; k < Math.min(values.length, MAX_STARTS); k++)
        if (!add(values.slice(k).join(' '))) return [...out];
      for (const v of values) if (/\s/.test(v) && !add(v)) return [...out];
      for (const r of cmd.redirects) {
        const text = r.body?.value ?? (r.op === '<<<' ? r.target?.value : undefined);
        if (text !== undefined && !add(text)) return [...out];
      }
    }
  }
  return [...out];
}
