import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ActivityStore, ReadRecord } from './activity-store';

/** What one month file held when it was last read, up to its last whole line. */
interface MonthCache {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  /** Bytes up to and including the last newline: the part parsed and kept. */
  readonly consumed: number;
  /** Hash of those bytes: a grown file whose start is unchanged is parsed from `consumed` on. */
  readonly hash: string;
  readonly lines: number;
  readonly records: readonly ReadRecord[];
  readonly warnings: readonly string[];
}

const NEWLINE = 0x0a;
/** A cache nobody asked for this long is dropped: a long log is not kept in memory for nothing. */
export const CACHE_IDLE_MS = 5 * 60_000;

function digest(buf: Buffer, end: number): string {
  return createHash('sha256').update(buf.subarray(0, end)).digest('hex');
}

/**
 * Reads a workspace's activity log through a cache of parsed month files, keyed by size and
 * mtime: a refresh re-reads only the month that changed, and a month that only grew (the log is
 * append-only) is parsed from where the last read stopped.
 */
export class ActivityReader {
  private readonly cache = new Map<string, MonthCache>();
  private idle: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly store: ActivityStore,
    private readonly idleMs = CACHE_IDLE_MS,
  ) {}

  /** How many months are parsed and kept (tests). */
  get cachedMonths(): number {
    return this.cache.size;
  }

  get dir(): string {
    return this.store.dir;
  }

  /**
   * Every record, oldest first, months before `since` not read; a second copy of a sealed line
   * (a replay) reads as unsealed, as in `ActivityStore.read`.
   */
  async all(since?: Date): Promise<{ records: ReadRecord[]; warnings: string[] }> {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => this.cache.clear(), this.idleMs);
    this.idle.unref?.();
    const files = await this.store.monthFiles();
    for (const known of this.cache.keys()) if (!files.includes(known)) this.cache.delete(known);
    const fromMonth = since?.toISOString().slice(0, 7) ?? null;
    const records: ReadRecord[] = [];
    const warnings: string[] = [];
    const seen = new Set<string>();
    for (const file of files) {
      if (fromMonth !== null && basename(file).slice(0, 7) < fromMonth) continue;
      const month = await this.month(file);
      warnings.push(...month.warnings);
      for (const r of month.records) {
        const replay = r.sealed && seen.has(r.record.id);
        if (r.sealed) seen.add(r.record.id);
        records.push(replay ? { ...r, sealed: false } : r);
      }
    }
    return { records, warnings };
  }

  private async month(
    file: string,
  ): Promise<{ records: readonly ReadRecord[]; warnings: string[] }> {
    let handle;
    try {
      handle = await openFile(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ELOOP') {
        this.cache.delete(file);
        return { records: [], warnings: [] };
      }
      throw error;
    }
    try {
      const info = await handle.stat();
      const cached = this.cache.get(file);
      if (
        cached &&
        cached.ino === info.ino &&
        cached.size === info.size &&
        cached.mtimeMs === info.mtimeMs &&
        cached.consumed === cached.size
      )
        return { records: cached.records, warnings: [...cached.warnings] };
      const buf = await handle.readFile();
      const name = basename(file);
      const grown =
        cached !== undefined &&
        cached.ino === info.ino &&
        buf.length >= cached.consumed &&
        digest(buf, cached.consumed) === cached.hash;
      const start = grown ? cached.consumed : 0;
      const records = grown ? [...cached.records] : [];
      const warnings = grown ? [...cached.warnings] : [];
      let lines = grown ? cached.lines : 0;
      const consumed = buf.lastIndexOf(NEWLINE) + 1;
      const take = (text: string, into: ReadRecord[], notes: string[]): void => {
        for (const line of text.split('\n')) {
          lines++;
          if (line.trim() === '') continue;
          const read = this.store.parseLine(line);
          if (typeof read === 'string') notes.push(`${name} line ${lines}: ${read}`);
          else into.push(read);
        }
        lines--; // split gives one more piece than there are newlines
      };
      if (consumed > start) take(buf.toString('utf8', start, consumed), records, warnings);
      this.cache.set(file, {
        ino: info.ino,
        size: info.size,
        mtimeMs: info.mtimeMs,
        consumed,
        hash: digest(buf, consumed),
        lines,
        records,
        warnings,
      });
      // A last line without its newline (being written, or cut short) is read but not kept.
      if (consumed === buf.length) return { records, warnings: [...warnings] };
      const tail: ReadRecord[] = [];
      const tailNotes: string[] = [];
      take(buf.toString('utf8', consumed), tail, tailNotes);
      return { records: [...records, ...tail], warnings: [...warnings, ...tailNotes] };
    } finally {
      await handle.close();
    }
  }
}
