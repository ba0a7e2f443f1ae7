import { randomUUID } from 'node:crypto';
import { lstat, readFile } from 'node:fs/promises';
import { assertLive, decideAccess, type ProtectionModel } from '../../guard/model';
import { GuardError, guardedRemove, guardedWrite } from '../../guard/safe-fs';

/** One file change made by a tool: enough to show a diff and to undo it. */
export interface FileChange {
  readonly changeId: string;
  readonly turnId: string;
  readonly callId: string;
  readonly path: string;
  readonly before: string | null;
  readonly after: string | null;
}

/** A revert that could not be done safely. */
export class RevertConflictError extends Error {}

/** A path a change names, checked by the guard now; the reason when it may not be reverted. */
function refusal(guard: ProtectionModel, path: string): string | null {
  assertLive(guard, `revert ${path}`);
  const d = decideAccess(guard, path, 'write');
  if (d.decision === 'deny') return d.reason;
  if (d.resolved !== path)
    return `${path} now leads to ${d.resolved ?? 'nowhere'} (a symlink changed)`;
  return null;
}

async function current(path: string): Promise<string | null> {
  try {
    const info = await lstat(path);
    if (!info.isFile()) throw new RevertConflictError(`${path} is no longer a regular file`);
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw error;
  }
}

/** The checkpoints of a session: every change, revertable one by one or a whole turn at a time. */
export class Checkpoints {
  private readonly changes: FileChange[] = [];

  record(change: Omit<FileChange, 'changeId'>): FileChange {
    const full = { ...change, changeId: `ch-${randomUUID()}` };
    this.changes.push(full);
    return full;
  }

  /** Re-add changes read back from a session log. */
  restore(change: FileChange): void {
    this.changes.push(change);
  }

  forget(changeIds: readonly string[]): void {
    for (const id of changeIds) {
      const i = this.changes.findIndex((c) => c.changeId === id);
      if (i !== -1) this.changes.splice(i, 1);
    }
  }

  list(): readonly FileChange[] {
    return this.changes;
  }

  ofTurn(turnId: string): FileChange[] {
    return this.changes.filter((c) => c.turnId === turnId);
  }

  /**
   * Undo changes newest first. Refuses (changing nothing) when a file no longer holds what the
   * change wrote: someone edited it since, and overwriting would lose their work.
   */
  async revert(changeIds: readonly string[], guard: ProtectionModel): Promise<FileChange[]> {
    const chosen = this.changes.filter((c) => changeIds.includes(c.changeId)).reverse();
    const missing = changeIds.filter((id) => !chosen.some((c) => c.changeId === id));
    if (missing.length > 0) throw new RevertConflictError(`unknown change ${missing.join(', ')}`);
    // Every path is checked by the guard now: a symlink planted since, or a path the log names
    // outside the workspace or among protected files, stops the whole revert before any write.
    for (const c of chosen) {
      const why = refusal(guard, c.path);
      if (why) throw new RevertConflictError(`cannot revert ${c.path}: ${why}`);
    }
    // Later changes to the same file must be undone first; simulate to check each expectation.
    const expected = new Map<string, string | null>();
    for (const c of chosen) {
      const now = expected.has(c.path) ? expected.get(c.path) : await current(c.path);
      if (now !== c.after) {
        throw new RevertConflictError(
          `${c.path} has changed since the agent wrote it; revert the later changes first or edit it by hand`,
        );
      }
      expected.set(c.path, c.before);
    }
    for (const c of chosen) {
      try {
        if (c.before === null) await guardedRemove(guard, c.path, { approved: true });
        else await guardedWrite(guard, c.path, c.before, { approved: true });
      } catch (error) {
        if (error instanceof GuardError) throw new RevertConflictError(error.message);
        throw error;
      }
    }
    this.forget(changeIds);
    return chosen;
  }
}
