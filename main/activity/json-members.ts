/*
 * Finds chosen top-level members of a compact JSON object (as JSON.stringify writes it) in its
 * UTF-8 bytes, without decoding or parsing the rest: a backtest needs a few small fields of each
 * log line, and decoding and JSON.parse of every whole line would be most of its time. Only for
 * text this app wrote (sealed lines): it assumes no whitespace between tokens and no repeated
 * keys. Anything unexpected gives null; the caller then parses the whole line. Scanning bytes is
 * safe: every byte of a multi-byte UTF-8 character is >= 0x80, never a quote, brace or bracket.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** The keys to look for, as bytes; each has a slot (its index) in a MemberRanges. */
export class MemberKeys {
  readonly size: number;
  /** By byte length: the keys that long, with their slots. */
  private readonly byLength: ({ slot: number; bytes: Buffer }[] | undefined)[] = [];

  constructor(readonly names: readonly string[]) {
    this.size = names.length;
    names.forEach((name, slot) => {
      const bytes = Buffer.from(name, 'utf8');
      (this.byLength[bytes.length] ??= []).push({ slot, bytes });
    });
  }

  /** The slot of the wanted key at `buf[start, end)`, or -1. */
  slotOf(buf: Uint8Array, start: number, end: number): number {
    const list = this.byLength[end - start];
    if (list === undefined) return -1;
    outer: for (const key of list) {
      for (let i = 0; i < key.bytes.length; i++)
        if (buf[start + i] !== key.bytes[i]) continue outer;
      return key.slot;
    }
    return -1;
  }

  /** Slots to fill, reused line after line (no allocation per line). */
  ranges(): MemberRanges {
    return new Int32Array(this.size * 2);
  }

  /** The slot of `name` (it must be one of the keys). */
  slot(name: string): number {
    const slot = this.names.indexOf(name);
    if (slot < 0) throw new Error(`${name} is not one of the keys`);
    return slot;
  }
}

/** Where each wanted member's value is: `[start, end)` at `2 * slot`; -1 when absent. */
export type MemberRanges = Int32Array;

/** The index just past the string that starts at `start` (a quote), or -1. */
function stringEnd(buf: Uint8Array, start: number, limit: number): number {
  for (let i = start + 1; i < limit; i++) {
    const c = buf[i];
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) i++;
  }
  return -1;
}

/** The index just past the JSON value that starts at `start`, or -1. */
function valueEnd(buf: Uint8Array, start: number, limit: number): number {
  const c = buf[start];
  if (c === QUOTE) return stringEnd(buf, start, limit);
  if (c !== OPEN_BRACE && c !== OPEN_BRACKET) {
    // A number, true, false or null: it runs to the next `,` or the end of the object.
    let end = start;
    while (end < limit && buf[end] !== COMMA && buf[end] !== CLOSE_BRACE) end++;
    return end === start ? -1 : end;
  }
  let depth = 0;
  for (let i = start; i < limit; i++) {
    const d = buf[i];
    if (d === QUOTE) {
      const end = stringEnd(buf, i, limit);
      if (end < 0) return -1;
      i = end - 1;
    } else if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
    else if ((d === CLOSE_BRACE || d === CLOSE_BRACKET) && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * Fill `ranges` with the members of the object whose bytes start at `start` (its `{`) and end
 * before `limit` (its closing `}`, or where a sealed line's seal starts); stops once all wanted
 * keys are found. False when the bytes are not an object as JSON.stringify writes one.
 */
export function findMembers(
  buf: Uint8Array,
  start: number,
  limit: number,
  keys: MemberKeys,
  ranges: MemberRanges,
): boolean {
  ranges.fill(-1);
  if (buf[start] !== OPEN_BRACE) return false;
  if (limit === start + 1) return true;
  let found = 0;
  let at = start + 1;
  for (;;) {
    if (buf[at] !== QUOTE) return false;
    const keyEnd = stringEnd(buf, at, limit);
    if (keyEnd < 0 || buf[keyEnd] !== COLON) return false;
    const end = valueEnd(buf, keyEnd + 1, limit);
    if (end < 0) return false;
    const slot = keys.slotOf(buf, at + 1, keyEnd - 1);
    if (slot >= 0 && ranges[2 * slot] === -1) {
      ranges[2 * slot] = keyEnd + 1;
      ranges[2 * slot + 1] = end;
      if (++found === keys.size) return true;
    }
    if (end === limit) return true;
    if (buf[end] !== COMMA) return false;
    at = end + 1;
  }
}

/** The JSON text of the member in `slot` (absent: undefined). */
export function memberText(buf: Buffer, ranges: MemberRanges, slot: number): string | undefined {
  const start = ranges[2 * slot] ?? -1;
  return start < 0 ? undefined : buf.toString('utf8', start, ranges[2 * slot + 1]);
}

/**
 * The value of the member in `slot` (absent: undefined): plain strings and null without
 * JSON.parse (most of them). Throws when it is not JSON.
 */
export function memberValue(buf: Buffer, ranges: MemberRanges, slot: number): unknown {
  const start = ranges[2 * slot] ?? -1;
  if (start < 0) return undefined;
  const end = ranges[2 * slot + 1] ?? start;
  if (buf[start] === QUOTE) {
    let plain = true;
    for (let i = start + 1; i < end - 1; i++) if (buf[i] === BACKSLASH) plain = false;
    if (plain) return buf.toString('utf8', start + 1, end - 1);
  }
  // null: n u l l
  if (
    end - start === 4 &&
    buf[start] === 0x6e &&
    buf[start + 1] === 0x75 &&
    buf[start + 3] === 0x6c
  )
    if (buf[start + 2] === 0x6c) return null;
  return JSON.parse(buf.toString('utf8', start, end));
}
