/*
 * How a command or path is shown to the person who decides on it: whole, with its size, and with
 * characters that hide or reorder text made visible. Anything cut for a one-line view says so.
 */

// Controls, bidi overrides and isolates, zero-width and other invisible code points.
const INVISIBLE: readonly (readonly [number, number])[] = [
  [0x00, 0x08],
  [0x0b, 0x1f],
  [0x7f, 0x9f],
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x61c, 0x61c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff9, 0xfffb],
  [0xe0000, 0xe0fff],
];

function invisible(cp: number): boolean {
  return INVISIBLE.some(([lo, hi]) => cp >= lo && cp <= hi);
}

const count = (n: number, one: string): string =>
  `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;

/** Characters as people count them (code points, so an emoji is one). */
function length(text: string): number {
  return Array.from(text).length;
}

/** "1 line, 4,213 characters": a trailing newline does not start another line. */
export function describeSize(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n').length;
  return `${count(lines, 'line')}, ${count(length(text), 'character')}`;
}

/** The text with every invisible character replaced by a visible ⟨U+XXXX⟩, and how many there were. */
export function showInvisible(text: string): { text: string; hidden: number } {
  let out = '';
  let hidden = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (invisible(cp)) {
      hidden++;
      out += `⟨U+${cp.toString(16).toUpperCase().padStart(4, '0')}⟩`;
    } else out += ch;
  }
  return { text: out, hidden };
}

/**
 * The first line, at most `max` characters, for a one-line view; `marker` says what was left out
 * ("… +2 more lines, 4,213 characters in all"), null when nothing was.
 */
export function elideLine(text: string, max: number): { head: string; marker: string | null } {
  const [first = ''] = text.split('\n', 1);
  const chars = [...first];
  const head = chars.length > max ? chars.slice(0, max).join('') : first;
  const more = text.replace(/\n$/, '').split('\n').length - 1;
  if (more === 0 && head === first) return { head, marker: null };
  const lines = more > 0 ? ` +${count(more, 'more line')},` : '';
  return { head, marker: `…${lines} ${count(length(text), 'character')} in all` };
}
