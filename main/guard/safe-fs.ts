import { randomBytes } from 'node:crypto';
import { constants, lstatSync, realpathSync } from 'node:fs';
import { lstat, mkdir, open, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { assertLive, compileProtection, decideAccess, type ProtectionModel } from './model';

/** A side effect the guard refused at the moment it was to happen. */
export class GuardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GuardError';
  }
}

/** How far a write may go: `prompt` paths only when a person approved this very write. */
export interface GuardedWriteOptions {
  readonly approved?: boolean;
  /** Permission bits for a new file (an existing file keeps its own). */
  readonly mode?: number;
}

/** Re-decide a write to `target` (a real path) now, and insist it still lands there. */
function recheck(model: ProtectionModel, target: string, approved: boolean): void {
  // The layout as it is now (a hooksPath set, a repository made since the model was built).
  const d = decideAccess(compileProtection(model.inputs), target, 'write');
  if (d.decision === 'deny' || (d.decision === 'prompt' && !approved))
    throw new GuardError(`refused to write ${target}: ${d.reason}`);
  if (d.resolved !== target)
    throw new GuardError(
      `refused to write ${target}: it now leads to ${d.resolved ?? 'nowhere'} (a symlink changed)`,
    );
}

/** Make the folders above `target` one by one, refusing any component that is not a real folder. */
async function ensureParents(model: ProtectionModel, target: string): Promise<void> {
  const parts = relative(model.workspaceReal, dirname(target)).split(sep).filter(Boolean);
  let current = model.workspaceReal;
  for (const part of parts) {
    current = join(current, part);
    let info = await lstat(current).catch(() => null);
    if (!info) {
      await mkdir(current).catch((error: { code?: string }) => {
        if (error.code !== 'EEXIST') throw error;
      });
      info = await lstat(current);
    }
    if (info.isSymbolicLink()) throw new GuardError(`refused: ${current} became a symlink`);
    if (!info.isDirectory()) throw new GuardError(`refused: ${current} is not a folder`);
  }
}

/** The parent folder must still be the real folder it was decided as (no symlink swapped in). */
function sameParent(target: string): void {
  const parent = dirname(target);
  let real: string;
  try {
    real = realpathSync.native(parent);
  } catch {
    throw new GuardError(`refused: ${parent} disappeared`);
  }
  if (real !== parent) throw new GuardError(`refused: ${parent} now leads to ${real}`);
}

/**
 * Write a file for the agent or on its behalf (tools, revert): decided again by the guard now,
 * never through a symlink, atomically (a temp file renamed over the target).
 */
export async function guardedWrite(
  model: ProtectionModel,
  target: string,
  content: string,
  options: GuardedWriteOptions = {},
): Promise<void> {
  recheck(model, target, options.approved ?? false);
  await ensureParents(model, target);
  const existing = await lstat(target).catch(() => null);
  if (existing && !existing.isFile())
    throw new GuardError(`refused to write ${target}: it is not a regular file`);
  const mode = existing ? existing.mode & 0o777 : (options.mode ?? 0o644);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    mode,
  );
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    // Right before the rename: the same decision, the same real parent, no link at the target.
    recheck(model, target, options.approved ?? false);
    sameParent(target);
    const now = lstatSafe(target);
    if (now?.isSymbolicLink()) throw new GuardError(`refused: ${target} became a symlink`);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

function lstatSafe(path: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** Delete one file for the agent or on its behalf: decided now, never a folder, never via a link. */
export async function guardedRemove(
  model: ProtectionModel,
  target: string,
  options: GuardedWriteOptions = {},
): Promise<void> {
  recheck(model, target, options.approved ?? false);
  const info = lstatSafe(target);
  if (!info) return;
  if (info.isSymbolicLink())
    throw new GuardError(`refused to delete ${target}: it became a symlink`);
  if (info.isDirectory()) throw new GuardError(`refused to delete ${target}: it is a folder`);
  sameParent(target);
  await unlink(target);
}

/**
 * Read a text file for the host (instruction files, anything added to the prompt): decided by
 * the guard, opened without following a final symlink, size-capped. Null when absent or refused.
 */
export async function guardedReadText(
  model: ProtectionModel,
  path: string,
  maxBytes: number,
): Promise<{ text: string; truncated: boolean } | { refused: string } | null> {
  assertLive(model, `read ${path}`);
  const d = decideAccess(model, path, 'read');
  if (d.decision !== 'allow' || d.resolved === null) return { refused: d.reason };
  let handle;
  try {
    // O_NONBLOCK: a FIFO a command planted there must not hang the host (it is refused below).
    handle = await open(
      d.resolved,
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
    );
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    if (code === 'ELOOP') return { refused: `${path} became a symlink` };
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { refused: `${path} is not a regular file` };
    sameParent(d.resolved);
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return {
      text: buffer.subarray(0, bytesRead).toString('utf8'),
      truncated: info.size > maxBytes,
    };
  } finally {
    await handle.close();
  }
}
