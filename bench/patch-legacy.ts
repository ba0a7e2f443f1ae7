import { PatchError, type PatchChunk } from '../main/agent/tools/patch-format';

/*
 * The hunk matcher as it was before the line index (commit 27252a2), kept for the bench only:
 * every hunk tried every start position from the cursor, once per normalisation.
 */

function findSeq(
  lines: readonly string[],
  seq: readonly string[],
  from: number,
  eof: boolean,
): number {
  const norms: Array<(s: string) => string> = [(s) => s, (s) => s.trimEnd(), (s) => s.trim()];
  for (const norm of norms) {
    const target = seq.map(norm);
    const starts = eof ? [lines.length - seq.length] : [];
    if (!eof) for (let s = from; s + seq.length <= lines.length; s++) starts.push(s);
    for (const s of starts) {
      if (s < from && !eof) continue;
      if (s < 0) continue;
      let hit = true;
      for (let k = 0; k < target.length; k++) {
        if (norm(lines[s + k] ?? '') !== target[k]) {
          hit = false;
          break;
        }
      }
      if (hit) return s;
    }
  }
  return -1;
}

/** The old applyChunks, unchanged. */
export function legacyApplyChunks(
  text: string,
  chunks: readonly PatchChunk[],
  path: string,
): string {
  const trailingNewline = text.endsWith('\n');
  const lines = (trailingNewline ? text.slice(0, -1) : text).split('\n');
  if (text === '') lines.length = 0;
  let cursor = 0;
  for (const [n, chunk] of chunks.entries()) {
    if (chunk.anchor !== null) {
      const at = findSeq(lines, [chunk.anchor], cursor, false);
      if (at === -1)
        throw new PatchError(
          `hunk ${n + 1} in ${path}: the @@ line ${JSON.stringify(chunk.anchor)} was not found`,
        );
      cursor = at + 1;
    }
    if (chunk.oldLines.length === 0) {
      const at = chunk.anchor !== null ? cursor : lines.length;
      lines.splice(at, 0, ...chunk.newLines);
      cursor = at + chunk.newLines.length;
      continue;
    }
    const at = findSeq(lines, chunk.oldLines, cursor, chunk.endOfFile);
    if (at === -1) {
      const first = chunk.oldLines.find((l) => l.trim() !== '') ?? chunk.oldLines[0] ?? '';
      throw new PatchError(
        `hunk ${n + 1} in ${path} does not match the file (looking for ${JSON.stringify(first)}); read the file and make the context lines exact`,
      );
    }
    // Unchanged lines keep the file's own spelling (whitespace the fuzzy match looked past).
    const original = new Map(lines.slice(at, at + chunk.oldLines.length).map((l) => [l.trim(), l]));
    const context = new Set(chunk.oldLines.filter((l) => chunk.newLines.includes(l)));
    const replacement = chunk.newLines.map((l) =>
      context.has(l) ? (original.get(l.trim()) ?? l) : l,
    );
    lines.splice(at, chunk.oldLines.length, ...replacement);
    cursor = at + replacement.length;
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
