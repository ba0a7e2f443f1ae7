/**
 * Read a GNU sed script far enough to find the commands that leave sed: `e` and the `e` flag of
 * `s` run a shell command, `w`/`W` and the `w` flag write a file, `r`/`R` read one.
 */

/** One command of a sed script that touches something outside sed. */
export interface SedEffect {
  readonly effect: 'runs' | 'writes' | 'reads';
  /** The file written or read (`w out`), or the command run. */
  readonly target: string;
}

const SIMPLE = new Set([...'{}=dDgGhHlnNpPqQxzF']);

/** The effects of a script, or null when it cannot be read (then treat it as running code). */
export function sedEffects(script: string): SedEffect[] | null {
  const out: SedEffect[] = [];
  let i = 0;
  const rest = (): string => {
    const end = script.indexOf('\n', i);
    const text = script.slice(i, end < 0 ? script.length : end).replace(/^\s+/, '');
    i = end < 0 ? script.length : end + 1;
    return text;
  };
  const label = (): void => {
    while (i < script.length && !/[;\n]/.test(script[i] ?? '')) i++;
  };
  while (i < script.length) {
    while (i < script.length && /[\s;]/.test(script[i] ?? '')) i++;
    if (i >= script.length) break;
    if (script[i] === '#') {
      rest();
      continue;
    }
    i = skipAddresses(script, i);
    if (i < 0) return null;
    const cmd = script[i++] ?? '';
    if (SIMPLE.has(cmd)) {
      while (/\d/.test(script[i] ?? '')) i++;
    } else if (cmd === ':' || cmd === 'b' || cmd === 't' || cmd === 'T' || cmd === 'v') {
      label();
    } else if (cmd === 'a' || cmd === 'i' || cmd === 'c') {
      while (i < script.length && !(script[i] === '\n' && script[i - 1] !== '\\')) i++;
    } else if (cmd === 'r' || cmd === 'R') {
      out.push({ effect: 'reads', target: rest() });
    } else if (cmd === 'w' || cmd === 'W') {
      out.push({ effect: 'writes', target: rest() });
    } else if (cmd === 'e') {
      out.push({ effect: 'runs', target: rest() });
    } else if (cmd === 's' || cmd === 'y') {
      const delim = script[i] ?? '';
      if (delim === '' || delim === '\n' || delim === '\\') return null;
      i = skipDelimited(script, i + 1, delim);
      if (i < 0) return null;
      i = skipDelimited(script, i, delim);
      if (i < 0) return null;
      if (cmd === 's' && !substituteFlags(script, i, out, (n) => (i = n))) return null;
    } else {
      return null;
    }
  }
  return out;
}

/** `s///FLAGS`: `e` runs the pattern space, `w FILE` writes to the end of the line. */
function substituteFlags(
  script: string,
  start: number,
  out: SedEffect[],
  moveTo: (i: number) => void,
): boolean {
  let i = start;
  while (i < script.length && /[gpiImMe0-9]/.test(script[i] ?? '')) {
    if (script[i] === 'e') out.push({ effect: 'runs', target: 'the pattern space' });
    i++;
  }
  if (script[i] === 'w') {
    const end = script.indexOf('\n', i);
    out.push({ effect: 'writes', target: script.slice(i + 1, end < 0 ? undefined : end).trim() });
    i = end < 0 ? script.length : end + 1;
  }
  moveTo(i);
  return i >= script.length || /[\s;}]/.test(script[i] ?? '');
}

/** Past one `text<delim>` (escapes honoured); -1 when it never ends. */
function skipDelimited(script: string, start: number, delim: string): number {
  for (let i = start; i < script.length; i++) {
    if (script[i] === '\\') i++;
    else if (script[i] === delim) return i + 1;
  }
  return -1;
}

/** Past `1`, `$`, `/re/I`, `\%re%`, `first~step`, `addr1,+N` and `!`; -1 when malformed. */
function skipAddresses(script: string, start: number): number {
  let i = start;
  for (let n = 0; n < 2; n++) {
    const ch = script[i] ?? '';
    if (/[\d$]/.test(ch)) {
      while (/[\d$~]/.test(script[i] ?? '')) i++;
    } else if (ch === '/' || ch === '\\') {
      const delim = ch === '/' ? '/' : (script[i + 1] ?? '');
      i = skipDelimited(script, ch === '/' ? i + 1 : i + 2, delim);
      if (i < 0) return -1;
      while (/[IM]/.test(script[i] ?? '')) i++;
    } else if (n === 1 && /[+~]/.test(ch)) {
      i++;
      while (/\d/.test(script[i] ?? '')) i++;
    } else break;
    if (n === 0 && script[i] === ',') i++;
    else break;
  }
  while (/[\s!]/.test(script[i] ?? '')) i++;
  return i;
}
