import { createHash } from 'node:crypto';
import { closeSync, constants, lstatSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { lstat, open as openFile, readdir } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { activityRecordSchema, type ActivityRecord } from '../../shared/domain/activity';
import type { AuditSettings } from '../config/effective';
import type { SessionSealer } from '../guard/session-seal';

/** Where each non-empty line of `bytes` starts and ends (before its newline). */
function lineTable(bytes: Buffer): { starts: Int32Array; ends: Int32Array } {
  let count = 0;
  for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) count++;
  const starts = new Int32Array(count + 1);
  const ends = new Int32Array(count + 1);
  let n = 0;
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    if (end > start) {
      starts[n] = start;
      ends[n] = end;
      n++;
    }
    start = end + 1;
  }
  return { starts: starts.subarray(0, n), ends: ends.subarray(0, n) };
}

/** One record read back, and whether this app sealed it for this workspace. */
export interface ReadRecord {
  readonly record: ActivityRecord;
  /** False for a line a repository shipped or someone edited: shown, never counted on. */
  readonly sealed: boolean;
}

const MONTH_FILE = /^(\d{4}-\d{2})\.jsonl$/;
const MAX_LINE = 1_000_000;

/**
 * Where a workspace's activity log lives: beside its sessions (`.vtcode/activity/`), or under the
 * user's `[permissions] audit_directory` (`~` expanded), one folder per workspace.
 */
export function activityDir(workspace: string, audit: AuditSettings, home: string): string {
  const ws = resolve(workspace);
  if (audit.directory === null) return join(ws, '.vtcode', 'activity');
  const base = audit.directory.startsWith('~/')
    ? join(home, audit.directory.slice(2))
    : audit.directory === '~'
      ? home
      : resolve(audit.directory);
  const id = createHash('sha256').update(ws).digest('hex').slice(0, 12);
  return join(base, `${basename(ws).replace(/[^A-Za-z0-9._-]/g, '_') || 'root'}-${id}`);
}

/** Whether the audit keys say this record is written (`log_allowed_commands` ...). */
export function auditWants(audit: AuditSettings, record: ActivityRecord): boolean {
  if (!audit.enabled) return false;
  if (record.kind === 'approval') return audit.logPrompts;
  if (record.decision === 'prompt') return audit.logPrompts;
  return record.decision === 'allow' ? audit.logAllowed : audit.logDenied;
}

/**
 * A workspace's activity log: JSON lines, one file per month (UTC), append-only, redacted, each
 * line sealed for this workspace. Never written or read through a symlink.
 */
export class ActivityStore {
  private readonly scope: string;

  constructor(
    readonly workspace: string,
    readonly dir: string,
    private readonly sealer: SessionSealer | null,
    private readonly redact: (text: string) => string,
  ) {
    this.scope = `${resolve(workspace)}\0activity`;
  }

  /** Append one record (one write: a kill never leaves half of an earlier line). */
  append(record: ActivityRecord): void {
    this.appendRedacted(this.redact(JSON.stringify(record)), record.at);
  }

  /** Append one record already serialised and redacted (`at` picks the month's file). */
  appendRedacted(json: string, at: string): void {
    this.ensureDir();
    const line = `${this.sealer ? this.sealer.seal(this.scope, json) : json}\n`;
    const month = /^\d{4}-\d{2}/.exec(at)?.[0] ?? new Date().toISOString().slice(0, 7);
    const flags =
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;
    const fd = openSync(join(this.dir, `${month}.jsonl`), flags, 0o600);
    try {
      writeSync(fd, line);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Every record, oldest first; `since` skips months before it and records before it. Lines that
   * do not parse are reported through `onWarning` and skipped.
   */
  async *read(
    options: { since?: Date; onWarning?: (warning: string) => void } = {},
  ): AsyncGenerator<ReadRecord> {
    const since = options.since?.toISOString() ?? null;
    // A sealed line copied again (a replay) is not counted twice: only its first copy is sealed.
    const seen = new Set<string>();
    for (const file of await this.files()) {
      const month = MONTH_FILE.exec(file)?.[1] ?? '';
      if (since !== null && month < since.slice(0, 7)) continue;
      const text = await this.readFile(join(this.dir, file));
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i] ?? '';
        if (line.trim() === '') continue;
        const read = this.parse(line);
        if (typeof read === 'string') {
          options.onWarning?.(`${file} line ${i + 1}: ${read}`);
          continue;
        }
        const replay = read.sealed && seen.has(read.record.id);
        if (read.sealed) seen.add(read.record.id);
        if (since !== null && read.record.at < since) continue;
        yield replay ? { ...read, sealed: false } : read;
      }
    }
  }

  /** All records (see `read`) in one array. */
  async readAll(options: { since?: Date } = {}): Promise<{
    records: ReadRecord[];
    warnings: string[];
  }> {
    const records: ReadRecord[] = [];
    const warnings: string[] = [];
    for await (const r of this.read({ ...options, onWarning: (w) => warnings.push(w) }))
      records.push(r);
    return { records, warnings };
  }

  /** The month files (`2026-11.jsonl`), oldest first; full paths. */
  async monthFiles(): Promise<string[]> {
    return (await this.files()).map((f) => join(this.dir, f));
  }

  /** One line read back (see `read`), before replays are weighed; a string says why it was skipped. */
  parseLine(line: string): ReadRecord | string {
    return this.parse(line);
  }

  /**
   * Each line as written, oldest first, as bytes, with its seal checked but not parsed: for a
   * reader that needs a few fields of every line (the backtest). `sealedLength` is the length of
   * the sealed JSON before its seal (the record is `line[0, n)` then `}`), -1 when unsealed.
   * Blank lines are skipped; a line longer than 1 MB is passed on as unsealed.
   */
  async scanLines(visit: (line: Buffer, sealedLength: number) => void): Promise<void> {
    const files = await this.files();
    // Shared memory: a large file's seals are checked in a worker while its lines are read. The
    // next month is read from disk while this one is.
    const read = (i: number): Promise<Buffer> | null => {
      const file = files[i];
      return file === undefined ? null : this.readBytes(join(this.dir, file), { shared: true });
    };
    let next = read(0);
    try {
      for (let f = 0; next !== null; f++) {
        const bytes = await next;
        next = read(f + 1);
        await this.scanFile(bytes, visit);
      }
    } finally {
      // Stopped early: the month read ahead is not wanted (nor its failure reported).
      next?.catch(() => undefined);
    }
  }

  private async scanFile(
    bytes: Buffer,
    visit: (line: Buffer, sealedLength: number) => void,
  ): Promise<void> {
    const { starts, ends } = lineTable(bytes);
    const seals = this.sealer?.lineSeals(this.scope, bytes, starts, ends) ?? null;
    try {
      for (let i = 0; i < starts.length; i++) {
        const line = bytes.subarray(starts[i], ends[i]);
        if (line[0] !== 0x7b && line.toString().trim() === '') continue;
        if (line.length > MAX_LINE || seals === null) {
          visit(line, -1);
          continue;
        }
        if (i >= seals.checked) await seals.wait(i);
        visit(line, seals.lengths[i] ?? -1);
      }
    } finally {
      seals?.close();
    }
  }

  /** The month files with their size and modification time: what a cache of reads is keyed by. */
  async fileStats(): Promise<{ file: string; size: number; mtimeMs: number }[]> {
    const stats = [];
    for (const file of await this.files()) {
      try {
        const info = await lstat(join(this.dir, file));
        if (info.isFile()) stats.push({ file, size: info.size, mtimeMs: info.mtimeMs });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return stats;
  }

  private parse(line: string): ReadRecord | string {
    if (line.length > MAX_LINE) return 'longer than 1 MB; ignored';
    const opened = this.sealer ? this.sealer.open(this.scope, line) : { json: line, sealed: false };
    let value: unknown;
    try {
      value = JSON.parse(opened.json);
    } catch {
      return 'not valid JSON; ignored';
    }
    if (!opened.sealed && typeof value === 'object' && value !== null && 'seal' in value) {
      const { seal: _seal, ...rest } = value as Record<string, unknown>;
      value = rest;
    }
    const parsed = activityRecordSchema.safeParse(value);
    if (!parsed.success)
      return `not an activity record (${parsed.error.issues[0]?.message ?? 'invalid'}); ignored`;
    return { record: parsed.data, sealed: opened.sealed };
  }

  private async files(): Promise<string[]> {
    this.assertNoLinks();
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names.filter((n) => MONTH_FILE.test(n)).sort();
  }

  private async readFile(file: string): Promise<string> {
    return (await this.readBytes(file)).toString('utf8');
  }

  private async readBytes(file: string, options: { shared?: boolean } = {}): Promise<Buffer> {
    try {
      const handle = await openFile(file, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        // One read of the whole file where it can (a month of log in one call, not 64 kB steps).
        const { size } = await handle.stat();
        const bytes = options.shared
          ? Buffer.from(new SharedArrayBuffer(size))
          : Buffer.allocUnsafe(size);
        const { bytesRead } = await handle.read(bytes, 0, size, 0);
        if (bytesRead === size) return bytes;
        return await handle.readFile();
      } finally {
        await handle.close();
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ELOOP') return Buffer.alloc(0);
      throw error;
    }
  }

  private ensureDir(): void {
    this.assertNoLinks();
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.assertNoLinks();
  }

  /**
   * No folder below the workspace on the way to the log is a symlink a repository planted; under
   * the user's audit_directory, the workspace's own folder is not one.
   */
  private assertNoLinks(): void {
    const ws = resolve(this.workspace);
    const rel = relative(ws, this.dir);
    const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
    let current = inside ? ws : dirname(this.dir);
    for (const part of (inside ? rel : basename(this.dir)).split(sep).filter(Boolean)) {
      current = join(current, part);
      let info;
      try {
        info = lstatSync(current);
      } catch {
        return;
      }
      if (info.isSymbolicLink())
        throw new Error(`${current} is a symlink; the activity log is never written through one`);
    }
  }
}
