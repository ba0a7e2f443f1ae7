import { structuredPatch } from 'diff';

export interface DiffLine {
  readonly kind: 'hunk' | 'add' | 'del' | 'same';
  readonly text: string;
}

/**
 * A unified diff of one file change as lines to draw (3 lines of context around each hunk).
 * With `timeoutMs`, null when the diff takes longer than that (two very different large texts).
 */
export function diffLines(path: string, before: string | null, after: string | null): DiffLine[];
export function diffLines(
  path: string,
  before: string | null,
  after: string | null,
  timeoutMs: number,
): DiffLine[] | null;
export function diffLines(
  path: string,
  before: string | null,
  after: string | null,
  timeoutMs?: number,
): DiffLine[] | null {
  const patch =
    timeoutMs === undefined
      ? structuredPatch(path, path, before ?? '', after ?? '', undefined, undefined, { context: 3 })
      : structuredPatch(path, path, before ?? '', after ?? '', undefined, undefined, {
          context: 3,
          timeout: timeoutMs,
        });
  if (!patch) return null;
  const lines: DiffLine[] = [];
  for (const hunk of patch.hunks) {
    lines.push({
      kind: 'hunk',
      text: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`,
    });
    for (const line of hunk.lines) {
      // "\ No newline at end of file" belongs to the line above; it is not content.
      if (line.startsWith('\\')) continue;
      const kind = line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'same';
      lines.push({ kind, text: line.slice(1) });
    }
  }
  return lines;
}

/** "created", "deleted" or "+3 −1". */
export function changeSummary(
  before: string | null,
  after: string | null,
  lines: readonly DiffLine[],
): string {
  if (before === null) return 'created';
  if (after === null) return 'deleted';
  const added = lines.filter((l) => l.kind === 'add').length;
  const removed = lines.filter((l) => l.kind === 'del').length;
  return `+${added} −${removed}`;
}
