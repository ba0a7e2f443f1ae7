import { readFileSync } from 'node:fs';

/**
 * How bash turns an argument into paths, as far as the policy can follow it: brace expansion
 * first, then `~` and `~user`, then `$HOME`/`$PWD`; anything else it expands is unknown.
 */

/** Stands for an expansion whose value the policy cannot know (`$X`, `$(cmd)`). */
export const UNKNOWN = '\u0001';
const HOME_MARK = '\u0002';
const PWD_MARK = '\u0003';

/** Brace expansions beyond this many words are not followed. */
export const MAX_BRACE_WORDS = 64;

/** Replace `$...` expansions in a word's value by markers (HOME and PWD are known). */
export function markExpansions(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] ?? '';
    if (ch === '`') {
      const end = value.indexOf('`', i + 1);
      out += UNKNOWN;
      i = end < 0 ? value.length : end;
      continue;
    }
    if (ch !== '$' || i + 1 >= value.length) {
      out += ch;
      continue;
    }
    const next = value[i + 1] ?? '';
    if (next === '(' || next === '{') {
      const close = next === '(' ? ')' : '}';
      let depth = 0;
      let j = i + 1;
      for (; j < value.length; j++) {
        if (value[j] === next) depth++;
        else if (value[j] === close && --depth === 0) break;
      }
      const inner = value.slice(i + 2, j);
      out += next === '{' ? known(inner) : UNKNOWN;
      i = j;
      continue;
    }
    const name = /^([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(value.slice(i + 1))?.[0];
    if (!name) {
      out += ch;
      continue;
    }
    out += known(name);
    i += name.length;
  }
  return out;
}

function known(name: string): string {
  if (name === 'HOME') return HOME_MARK;
  if (name === 'PWD') return PWD_MARK;
  return UNKNOWN;
}

/** Bash brace expansion (`a{b,c}d`, `{1..3}`), or null past {@link MAX_BRACE_WORDS} words. */
export function expandBraces(word: string): string[] | null {
  const results: string[] = [];
  const queue = [word];
  while (queue.length > 0) {
    const w = queue.shift() as string;
    const brace = findBrace(w);
    if (!brace) {
      results.push(w);
      if (results.length > MAX_BRACE_WORDS) return null;
      continue;
    }
    const [open, close, parts] = brace;
    for (const p of parts) queue.push(w.slice(0, open) + p + w.slice(close + 1));
    if (queue.length > MAX_BRACE_WORDS * 4) return null;
  }
  return results;
}

/** The first `{...}` with a top-level comma or a `..` sequence: its bounds and alternatives. */
function findBrace(w: string): [number, number, string[]] | null {
  for (let open = w.indexOf('{'); open >= 0; open = w.indexOf('{', open + 1)) {
    let depth = 0;
    const cuts: number[] = [];
    for (let j = open; j < w.length; j++) {
      const ch = w[j];
      if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) {
        if (cuts.length > 0) {
          const bounds = [open, ...cuts, j];
          const parts = bounds.slice(1).map((end, k) => w.slice((bounds[k] as number) + 1, end));
          return [open, j, parts];
        }
        const seq = sequence(w.slice(open + 1, j));
        if (seq) return [open, j, seq];
        break;
      } else if (ch === ',' && depth === 1) cuts.push(j);
    }
  }
  return null;
}

function sequence(body: string): string[] | null {
  const m = /^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(?:\.\.(-?\d+))?$/.exec(body);
  if (!m) return null;
  const numeric = /\d/.test(m[1] ?? '');
  const a = numeric ? Number(m[1]) : (m[1] ?? '').charCodeAt(0);
  const b = numeric ? Number(m[2]) : (m[2] ?? '').charCodeAt(0);
  const step = Math.max(1, Math.abs(Number(m[3] ?? 1)));
  if (Math.abs(b - a) / step > MAX_BRACE_WORDS) return [UNKNOWN];
  const out: string[] = [];
  for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? step : -step)
    out.push(numeric ? String(v) : String.fromCharCode(v));
  return out;
}

/** The home of a user from /etc/passwd, or null when there is none to read or no such user. */
export function userHome(name: string): string | null {
  let text: string;
  try {
    text = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return null;
  }
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields.length >= 7) return fields[5] || null;
  }
  return null;
}

/** One expanded word: a path pattern, and another user's home when it began with `~user`. */
export interface Expanded {
  readonly path: string;
  readonly userHome: string | null;
  readonly unknownUser: string | null;
}

/** Tilde and the known variables of one brace alternative (`~root/x` -> `/root/x`). */
export function expandTilde(word: string, home: string, workspace: string): Expanded {
  let path = word;
  let other: string | null = null;
  let unknownUser: string | null = null;
  const m = /^~([^/]*)/.exec(word);
  if (m) {
    const name = m[1] ?? '';
    const rest = word.slice(m[0].length);
    if (name === '') path = home + rest;
    else if (name === '+') path = workspace + rest;
    else if (name === '-') path = UNKNOWN + rest;
    else {
      other = userHome(name);
      if (other === null) unknownUser = name;
      path = (other ?? UNKNOWN) + rest;
    }
  }
  path = path.split(HOME_MARK).join(home).split(PWD_MARK).join(workspace);
  return { path, userHome: other, unknownUser };
}
