import { z } from 'zod';
import { readTextOrNull } from './file-tools';
import { PatchError, parsePatch, type PatchOp } from './patch-format';
import { applyChunksAsync } from './patch-worker';
import {
  ToolError,
  defineTool,
  fail,
  ok,
  type PlannedChange,
  type PreviewContext,
  type ToolSubject,
} from './tool-types';

function parseOrThrow(input: string): PatchOp[] {
  try {
    return parsePatch(input);
  } catch (error) {
    if (error instanceof PatchError) throw new ToolError(`invalid patch: ${error.message}`);
    throw error;
  }
}

interface PlannedWrite extends PlannedChange {
  /** The resolved path the write goes to. */
  readonly file: string;
}

/** Every write the patch makes, checked against the files as they are now (nothing written). */
async function planPatch(ops: readonly PatchOp[], ctx: PreviewContext): Promise<PlannedWrite[]> {
  const plan: PlannedWrite[] = [];
  for (const op of ops) {
    const file = ctx.resolvePath(op.path, 'write');
    const before = await readTextOrNull(file);
    switch (op.type) {
      case 'add':
        if (before !== null) throw new PatchError(`${op.path} already exists; use *** Update File`);
        plan.push({ path: op.path, file, before, after: op.content });
        break;
      case 'delete':
        if (before === null) throw new PatchError(`${op.path} does not exist`);
        plan.push({ path: op.path, file, before, after: null });
        break;
      case 'update': {
        if (before === null) throw new PatchError(`${op.path} does not exist`);
        const after = await applyChunksAsync(before, op.chunks, op.path);
        if (op.moveTo) {
          const dest = ctx.resolvePath(op.moveTo, 'write');
          const destBefore = await readTextOrNull(dest);
          if (destBefore !== null) throw new PatchError(`${op.moveTo} already exists`);
          plan.push({ path: op.path, file, before, after: null });
          plan.push({ path: op.moveTo, file: dest, before: null, after, movedFrom: op.path });
        } else {
          plan.push({ path: op.path, file, before, after });
        }
        break;
      }
    }
  }
  return plan;
}

export const applyPatchTool = defineTool({
  name: 'apply_patch',
  summary: 'Add, change, move or delete files with one patch',
  description:
    'Apply a patch in the "*** Begin Patch" format: *** Add File / *** Delete File / *** Update File (with optional *** Move to) sections; hunks start with @@ and use " ", "-", "+" line prefixes. All hunks are checked before any file is written.',
  schema: z.object({
    input: z
      .string()
      .min(1, 'input is empty')
      .max(4 * 1024 * 1024),
  }),
  subjects(a) {
    const subjects: ToolSubject[] = [];
    for (const op of parseOrThrow(a.input)) {
      subjects.push({ kind: 'path', path: op.path, op: 'write' });
      if (op.type === 'update' && op.moveTo)
        subjects.push({ kind: 'path', path: op.moveTo, op: 'write' });
    }
    return subjects;
  },
  async preview(a, ctx) {
    try {
      return await planPatch(parseOrThrow(a.input), ctx);
    } catch (error) {
      if (error instanceof PatchError) throw new ToolError(error.message);
      throw error;
    }
  },
  async execute(a, ctx) {
    let plan: PlannedWrite[];
    try {
      plan = await planPatch(parseOrThrow(a.input), ctx);
    } catch (error) {
      if (error instanceof PatchError || error instanceof ToolError)
        return fail(`${error.message}. Nothing was changed.`);
      throw error;
    }
    const done: string[] = [];
    for (const w of plan) {
      if (w.after === null) await ctx.removeFile(w.path);
      else await ctx.writeText(w.path, w.after);
      ctx.recordChange(w.file, w.before, w.after);
      done.push(`${w.after === null ? 'D' : w.before === null ? 'A' : 'M'} ${w.path}`);
    }
    return ok(`Applied the patch:\n${done.join('\n')}`);
  },
});
