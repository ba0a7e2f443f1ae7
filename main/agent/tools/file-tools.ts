import { lstat, readFile, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { ToolError, defineTool, fail, ok, type PlannedChange } from './tool-types';

/** Files larger than this are not read whole; the model is told to use a range or code_search. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Default cap on the text one read_file returns. */
export const DEFAULT_READ_BYTES = 256 * 1024;

const pathArg = z
  .string()
  .min(1, 'path is empty')
  .max(4096)
  .describe('Path relative to the workspace root');

/** True when the bytes look like a binary file (a NUL in the first 8 KiB). */
export function isBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 8192);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

/** Read a text file for editing; null when it does not exist. Throws ToolError for binaries. */
export async function readTextOrNull(path: string): Promise<string | null> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ToolError(`${path} is not a regular file`);
    if (info.size > MAX_FILE_BYTES)
      throw new ToolError(`the file is ${info.size} bytes, above the ${MAX_FILE_BYTES} byte limit`);
    bytes = await readFile(path);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw error;
  }
  if (isBinary(bytes)) throw new ToolError('the file is binary; it cannot be edited as text');
  return bytes.toString('utf8');
}

export const readFileTool = defineTool({
  name: 'read_file',
  summary: 'Read a text file in the workspace',
  description:
    'Read a text file in the workspace. Optional 1-based inclusive line range (start_line, end_line). Binary files are refused; long output is cut at max_bytes.',
  schema: z.object({
    path: pathArg,
    start_line: z.number().int().min(1).optional(),
    end_line: z.number().int().min(1).optional(),
    max_bytes: z
      .number()
      .int()
      .min(1)
      .max(DEFAULT_READ_BYTES * 4)
      .optional(),
  }),
  subjects: (a) => [{ kind: 'path', path: a.path, op: 'read' }],
  async execute(a, ctx) {
    const file = ctx.resolvePath(a.path, 'read');
    const info = await stat(file);
    if (info.isDirectory()) return fail(`${a.path} is a directory; use list_files`);
    if (!info.isFile()) return fail(`${a.path} is not a regular file`);
    if (info.size > MAX_FILE_BYTES)
      return fail(
        `${a.path} is ${info.size} bytes; read a range of it or search it with code_search`,
      );
    const bytes = await readFile(file);
    if (isBinary(bytes)) return fail(`${a.path} is a binary file (${info.size} bytes); not shown`);
    const text = bytes.toString('utf8');
    const lines = text.split('\n');
    const start = a.start_line ?? 1;
    const end = Math.min(a.end_line ?? lines.length, lines.length);
    if (start > lines.length)
      return fail(`${a.path} has ${lines.length} lines; start_line ${start} is past the end`);
    if (end < start) return fail(`end_line ${end} is before start_line ${start}`);
    let body = start === 1 && end === lines.length ? text : lines.slice(start - 1, end).join('\n');
    const cap = a.max_bytes ?? DEFAULT_READ_BYTES;
    let note = '';
    if (Buffer.byteLength(body) > cap) {
      body = Buffer.from(body).subarray(0, cap).toString('utf8');
      note = `\n[… cut at ${cap} bytes; read further with start_line/end_line]`;
    }
    const range =
      start === 1 && end === lines.length ? '' : ` (lines ${start}-${end} of ${lines.length})`;
    return ok(`${a.path}${range}:\n${body}${note}`);
  },
});

const SKIP_DIRS = new Set(['.git', 'node_modules', '.vtcode', 'target', 'dist', '.venv']);

export const listFilesTool = defineTool({
  name: 'list_files',
  summary: 'List the files in a workspace folder',
  description:
    'List a directory in the workspace (directories end with /). recursive walks subdirectories, skipping .git, node_modules and build output.',
  schema: z.object({
    path: pathArg.default('.'),
    recursive: z.boolean().default(false),
    max_entries: z.number().int().min(1).max(5000).default(500),
  }),
  subjects: (a) => [{ kind: 'path', path: a.path, op: 'read' }],
  async execute(a, ctx) {
    const root = ctx.resolvePath(a.path, 'read');
    if (!(await stat(root)).isDirectory()) return fail(`${a.path} is not a directory`);
    const out: string[] = [];
    let truncated = false;
    const walk = async (dir: string): Promise<void> => {
      const entries = (await readdir(dir, { withFileTypes: true })).sort((x, y) =>
        x.name.localeCompare(y.name),
      );
      for (const e of entries) {
        if (out.length >= a.max_entries) {
          truncated = true;
          return;
        }
        const rel = relative(root, join(dir, e.name));
        const isDir = e.isDirectory();
        out.push(isDir ? `${rel}/` : e.isSymbolicLink() ? `${rel}@` : rel);
        if (isDir && a.recursive && !SKIP_DIRS.has(e.name)) await walk(join(dir, e.name));
      }
    };
    await walk(root);
    if (out.length === 0) return ok(`${a.path} is empty`);
    return ok(`${out.join('\n')}${truncated ? `\n[… stopped at ${a.max_entries} entries]` : ''}`);
  },
});

export const writeFileTool = defineTool({
  name: 'write_file',
  summary: 'Create a file or replace its whole content',
  description: 'Create or overwrite a text file in the workspace with the given content.',
  schema: z.object({ path: pathArg, content: z.string().max(MAX_FILE_BYTES) }),
  subjects: (a) => [{ kind: 'path', path: a.path, op: 'write' }],
  async preview(a, ctx) {
    const file = ctx.resolvePath(a.path, 'write');
    const existing = await lstat(file).catch(() => null);
    if (existing?.isDirectory()) throw new ToolError(`${a.path} is a directory`);
    return [{ path: a.path, before: await readTextOrNull(file), after: a.content }];
  },
  async execute(a, ctx) {
    const file = ctx.resolvePath(a.path, 'write');
    const existing = await lstat(file).catch(() => null);
    if (existing?.isDirectory()) return fail(`${a.path} is a directory`);
    const before = await readTextOrNull(file);
    await ctx.writeText(a.path, a.content);
    ctx.recordChange(file, before, a.content);
    const lines = a.content.split('\n').length;
    return ok(`${before === null ? 'Created' : 'Wrote'} ${a.path} (${lines} lines)`);
  },
});

function countOccurrences(haystack: string, needle: string): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length))
    n++;
  return n;
}

export const editFileTool = defineTool({
  name: 'edit_file',
  summary: 'Replace exact text in an existing file',
  description:
    'Replace exact text in a file: old_str must appear exactly once (or set replace_all). Include enough surrounding lines to make it unique.',
  schema: z.object({
    path: pathArg,
    old_str: z.string().min(1, 'old_str is empty'),
    new_str: z.string(),
    replace_all: z.boolean().default(false),
  }),
  subjects: (a) => [{ kind: 'path', path: a.path, op: 'write' }],
  async preview(a, ctx) {
    const r = editedText(await readTextOrNull(ctx.resolvePath(a.path, 'write')), a);
    if ('error' in r) throw new ToolError(r.error);
    return [r.change];
  },
  async execute(a, ctx) {
    const file = ctx.resolvePath(a.path, 'write');
    const r = editedText(await readTextOrNull(file), a);
    if ('error' in r) return fail(r.error);
    await ctx.writeText(a.path, r.change.after ?? '');
    ctx.recordChange(file, r.change.before, r.change.after);
    return ok(`Edited ${a.path} (${r.count} replacement${r.count === 1 ? '' : 's'})`);
  },
});

/** The text after an edit_file call, or why the edit cannot be made (the model is told). */
function editedText(
  before: string | null,
  a: { path: string; old_str: string; new_str: string; replace_all: boolean },
): { change: PlannedChange; count: number } | { error: string } {
  if (before === null) return { error: `${a.path} does not exist; create it with write_file` };
  const count = countOccurrences(before, a.old_str);
  if (count === 0)
    return {
      error: `old_str was not found in ${a.path}; read the file again and copy the text exactly (whitespace included)`,
    };
  if (count > 1 && !a.replace_all)
    return {
      error: `old_str appears ${count} times in ${a.path}; add surrounding lines to make it unique, or set replace_all`,
    };
  const after = a.replace_all
    ? before.split(a.old_str).join(a.new_str)
    : before.replace(a.old_str, () => a.new_str);
  return { change: { path: a.path, before, after }, count };
}
