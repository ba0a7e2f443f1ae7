/*
 * VT Code's / Codex's apply_patch format:
 *   *** Begin Patch
 *   *** Add File: path        then lines starting with +
 *   *** Delete File: path
 *   *** Update File: path     optionally *** Move to: path, then hunks:
 *   @@ optional context line
 *    context / -removed / +added lines, optionally *** End of File
 *   *** End Patch
 */

import { applyHunks } from './patch-match';

export interface PatchChunk {
  /** The `@@ text` anchor: the hunk is searched for after the first line equal to it. */
  readonly anchor: string | null;
  readonly oldLines: readonly string[];
  readonly newLines: readonly string[];
  readonly endOfFile: boolean;
}

export type PatchOp =
  | { readonly type: 'add'; readonly path: string; readonly content: string }
  | { readonly type: 'delete'; readonly path: string }
  | {
      readonly type: 'update';
      readonly path: string;
      readonly moveTo: string | null;
      readonly chunks: readonly PatchChunk[];
    };

/** The patch text is not in the expected format; the message says where. */
export class PatchError extends Error {}

const BEGIN = '*** Begin Patch';
const END = '*** End Patch';
const ADD = '*** Add File: ';
const DELETE = '*** Delete File: ';
const UPDATE = '*** Update File: ';
const MOVE = '*** Move to: ';
const EOF_MARK = '*** End of File';

/** Parse patch text into operations. */
export function parsePatch(text: string): PatchOp[] {
  const lines = text.replace(/\r\n/g, '\n').trim().split('\n');
  if (lines[0]?.trim() !== BEGIN) throw new PatchError(`the patch must start with "${BEGIN}"`);
  if (lines[lines.length - 1]?.trim() !== END)
    throw new PatchError(`the patch must end with "${END}"`);
  const ops: PatchOp[] = [];
  let i = 1;
  const last = lines.length - 1;
  const isHeader = (l: string): boolean =>
    l.startsWith(ADD) || l.startsWith(DELETE) || l.startsWith(UPDATE) || l.trim() === END;
  const pathOf = (l: string, prefix: string): string => {
    const p = l.slice(prefix.length).trim();
    if (!p) throw new PatchError(`line ${i + 1}: "${prefix.trim()}" needs a path`);
    return p;
  };
  while (i < last) {
    const line = lines[i] ?? '';
    if (line.startsWith(ADD)) {
      const path = pathOf(line, ADD);
      const body: string[] = [];
      i++;
      while (i < last && !isHeader(lines[i] ?? '')) {
        const l = lines[i] ?? '';
        if (!l.startsWith('+'))
          throw new PatchError(`line ${i + 1}: every line of an added file starts with "+"`);
        body.push(l.slice(1));
        i++;
      }
      ops.push({ type: 'add', path, content: body.length ? `${body.join('\n')}\n` : '' });
    } else if (line.startsWith(DELETE)) {
      ops.push({ type: 'delete', path: pathOf(line, DELETE) });
      i++;
    } else if (line.startsWith(UPDATE)) {
      const path = pathOf(line, UPDATE);
      i++;
      let moveTo: string | null = null;
      if ((lines[i] ?? '').startsWith(MOVE)) {
        moveTo = pathOf(lines[i] ?? '', MOVE);
        i++;
      }
      const chunks: PatchChunk[] = [];
      while (i < last && !isHeader(lines[i] ?? '')) {
        let anchor: string | null = null;
        const head = lines[i] ?? '';
        if (head.startsWith('@@')) {
          const rest = head.slice(2).trim();
          anchor = rest === '' ? null : rest;
          i++;
        } else if (chunks.length > 0) {
          throw new PatchError(`line ${i + 1}: expected "@@" to start the next hunk`);
        }
        const oldLines: string[] = [];
        const newLines: string[] = [];
        let endOfFile = false;
        while (i < last) {
          const l = lines[i] ?? '';
          if (l.startsWith('@@') || isHeader(l)) break;
          if (l.trim() === EOF_MARK) {
            endOfFile = true;
            i++;
            break;
          }
          const mark = l[0];
          const rest = l.slice(1);
          if (mark === ' ' || l === '') {
            oldLines.push(rest);
            newLines.push(rest);
          } else if (mark === '-') oldLines.push(rest);
          else if (mark === '+') newLines.push(rest);
          else throw new PatchError(`line ${i + 1}: hunk lines start with " ", "-" or "+"`);
          i++;
        }
        if (oldLines.length === 0 && newLines.length === 0)
          throw new PatchError(`line ${i}: empty hunk in ${path}`);
        chunks.push({ anchor, oldLines, newLines, endOfFile });
      }
      if (chunks.length === 0 && moveTo === null)
        throw new PatchError(`"${UPDATE}${path}" has no changes`);
      ops.push({ type: 'update', path, moveTo, chunks });
    } else if (line.trim() === '') {
      i++;
    } else {
      throw new PatchError(
        `line ${i + 1}: expected a file header, got ${JSON.stringify(line.slice(0, 80))}`,
      );
    }
  }
  if (ops.length === 0) throw new PatchError('the patch changes no files');
  return ops;
}

/** Apply an update's hunks to a file's text; throws PatchError when a hunk does not match. */
export function applyChunks(text: string, chunks: readonly PatchChunk[], path: string): string {
  const result = applyHunks(text, chunks, path);
  if (!result.ok) throw new PatchError(result.message);
  return result.text;
}
