import type { PatchChunk } from './patch-format';

/** What applying an update's hunks gave: the new text, or the PatchError message. */
export type HunkResult =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

/** One normalisation's view of the file: an id per distinct line, and where each id occurs. */
interface LineIndex {
  readonly ids: Map<string, number>;
  /** The id of each line of the file. */
  readonly lineIds: Int32Array;
  /** positions[starts[id] .. starts[id + 1]) are the lines with that id, ascending. */
  readonly starts: Int32Array;
  readonly positions: Int32Array;
}

interface Pass {
  readonly norm: (line: string) => string;
  index: LineIndex | null;
}

/**
 * Apply an update's hunks to a file's text (the matcher behind applyChunks and the patch worker).
 *
 * A hunk is looked for from where the previous one ended: first exactly, then ignoring trailing
 * whitespace, then ignoring all surrounding whitespace; a later fallback is used only when the
 * earlier one matches nowhere. `*** End of File` hunks are compared with the last lines only.
 * Each normalisation used indexes the file once (line -> positions): a hunk then costs about its
 * length times log n, and never more than one scan of the rest of the file per normalisation.
 *
 * Self-contained on purpose (no imports, no outer names, no classes): patch-worker.ts runs this
 * function's source text in a worker thread.
 */
export function applyHunks(text: string, chunks: readonly PatchChunk[], path: string): HunkResult {
  const src = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  if (text === '') src.length = 0;
  const passes: Pass[] = [
    { norm: (s) => s, index: null },
    { norm: (s) => s.trimEnd(), index: null },
    { norm: (s) => s.trim(), index: null },
  ];

  function buildIndex(norm: (line: string) => string): LineIndex {
    const ids = new Map<string, number>();
    const lineIds = new Int32Array(src.length);
    const counts: number[] = [];
    for (let i = 0; i < src.length; i++) {
      const key = norm(src[i] ?? '');
      let id = ids.get(key);
      if (id === undefined) {
        id = counts.length;
        ids.set(key, id);
        counts.push(0);
      }
      lineIds[i] = id;
      counts[id] = (counts[id] ?? 0) + 1;
    }
    const starts = new Int32Array(counts.length + 1);
    for (let id = 0; id < counts.length; id++)
      starts[id + 1] = (starts[id] ?? 0) + (counts[id] ?? 0);
    const next = starts.slice(0, -1);
    const positions = new Int32Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const id = lineIds[i] ?? 0;
      positions[next[id] ?? 0] = i;
      next[id] = (next[id] ?? 0) + 1;
    }
    return { ids, lineIds, starts, positions };
  }

  // First index in [lo, hi) whose position is >= value.
  function lowerBound(positions: Int32Array, lo: number, hi: number, value: number): number {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((positions[mid] ?? 0) < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // Knuth-Morris-Pratt over line ids: linear in the lines scanned, whatever the repetition.
  function scan(hay: Int32Array, needle: Int32Array, from: number): number {
    const m = needle.length;
    const fail = new Int32Array(m);
    for (let i = 1, k = 0; i < m; i++) {
      while (k > 0 && needle[i] !== needle[k]) k = fail[k - 1] ?? 0;
      if (needle[i] === needle[k]) k++;
      fail[i] = k;
    }
    for (let i = from, k = 0; i < hay.length; i++) {
      while (k > 0 && hay[i] !== needle[k]) k = fail[k - 1] ?? 0;
      if (hay[i] === needle[k]) k++;
      if (k === m) return i - m + 1;
    }
    return -1;
  }

  // The first s >= from where seq matches src under one normalisation, or -1.
  function search(pass: Pass, seq: readonly string[], from: number): number {
    const m = seq.length;
    if (from + m > src.length) return -1;
    const index = (pass.index ??= buildIndex(pass.norm));
    const target = new Int32Array(m);
    // Candidates come from the hunk line with the fewest occurrences left in the file.
    let rare = 0;
    let rareLo = 0;
    let rareCount = Infinity;
    for (let k = 0; k < m; k++) {
      const id = index.ids.get(pass.norm(seq[k] ?? ''));
      if (id === undefined) return -1;
      target[k] = id;
      const hi = index.starts[id + 1] ?? 0;
      const lo = lowerBound(index.positions, index.starts[id] ?? 0, hi, from + k);
      if (lo === hi) return -1;
      if (hi - lo < rareCount) {
        rare = k;
        rareLo = lo;
        rareCount = hi - lo;
      }
    }
    // Checking every candidate costs at most count * m; past a scan of the rest, scan instead.
    if (rareCount * m > src.length - from + m) return scan(index.lineIds, target, from);
    const hi = rareLo + rareCount;
    for (let i = rareLo; i < hi; i++) {
      const s = (index.positions[i] ?? 0) - rare;
      if (s + m > src.length) return -1;
      let k = 0;
      while (k < m && index.lineIds[s + k] === target[k]) k++;
      if (k === m) return s;
    }
    return -1;
  }

  // The file as edited so far is out ++ src[pos..]; the search cursor is always out.length.
  const out: string[] = [];
  let pos = 0;
  const copyTo = (end: number): void => {
    while (pos < end) out.push(src[pos++] ?? '');
  };
  const lineAt = (i: number): string => (i < out.length ? out[i] : src[pos + i - out.length]) ?? '';
  const find = (seq: readonly string[]): number => {
    for (const pass of passes) {
      const at = search(pass, seq, pos);
      if (at !== -1) return at;
    }
    return -1;
  };
  // End of File: only the last seq.length lines, which may include lines already edited.
  const findAtEnd = (seq: readonly string[]): number => {
    const at = out.length + src.length - pos - seq.length;
    if (at < 0) return -1;
    for (const { norm } of passes) {
      let k = 0;
      while (k < seq.length && norm(lineAt(at + k)) === norm(seq[k] ?? '')) k++;
      if (k === seq.length) return at;
    }
    return -1;
  };

  for (const [n, chunk] of chunks.entries()) {
    if (chunk.anchor !== null) {
      const at = find([chunk.anchor]);
      if (at === -1)
        return {
          ok: false,
          message: `hunk ${n + 1} in ${path}: the @@ line ${JSON.stringify(chunk.anchor)} was not found`,
        };
      copyTo(at + 1);
    }
    const m = chunk.oldLines.length;
    if (m === 0) {
      if (chunk.anchor === null) copyTo(src.length);
      for (const line of chunk.newLines) out.push(line);
      continue;
    }
    const matched: string[] = [];
    const at = chunk.endOfFile ? findAtEnd(chunk.oldLines) : find(chunk.oldLines);
    if (at === -1) {
      const first = chunk.oldLines.find((l) => l.trim() !== '') ?? chunk.oldLines[0] ?? '';
      return {
        ok: false,
        message: `hunk ${n + 1} in ${path} does not match the file (looking for ${JSON.stringify(first)}); read the file and make the context lines exact`,
      };
    }
    if (chunk.endOfFile) {
      for (let k = 0; k < m; k++) matched.push(lineAt(at + k));
      if (at >= out.length) copyTo(pos + at - out.length);
      else out.length = at;
      pos = src.length;
    } else {
      copyTo(at);
      for (let k = 0; k < m; k++) matched.push(src[at + k] ?? '');
      pos = at + m;
    }
    // Unchanged lines keep the file's own spelling (whitespace the fuzzy match looked past).
    const original = new Map(matched.map((l) => [l.trim(), l]));
    const context = new Set(chunk.oldLines);
    for (const l of chunk.newLines) out.push(context.has(l) ? (original.get(l.trim()) ?? l) : l);
  }
  copyTo(src.length);
  return { ok: true, text: out.length === 0 ? '' : `${out.join('\n')}\n` };
}
