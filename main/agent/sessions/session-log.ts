import { closeSync, constants, fdatasync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { agentEventSchema, type AgentEvent } from '../../../shared/domain/agent';

/**
 * One session's append-only event log (JSON lines). Every line is written with one write() before
 * the app goes on, so once written it survives the process being killed (the kernel holds it)
 * and never touches earlier lines. Getting it onto the disk itself (against a power cut) is done
 * off the main thread: one fdatasync at a time in the thread pool, covering every line written
 * before it started, and one last synchronous one at close. Text deltas are merged for up to
 * `coalesceMs`: the merged delta is the "event in flight".
 */
export class SessionLog {
  private fd: number | null;
  private pending: Extract<AgentEvent, { type: 'text-delta' | 'reasoning-delta' }> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** An fdatasync is running in the thread pool; `dirty`: lines were written since it began. */
  private syncing = false;
  private dirty = false;
  /** close() came while a sync ran: the fd is closed when it ends (never reused under it). */
  private closing = false;

  constructor(
    readonly file: string,
    private readonly redact: (text: string) => string,
    /** Seals each line so a resume acts only on what this app wrote (see guard/session-seal). */
    private readonly seal: (json: string) => string = (json) => json,
    private readonly coalesceMs = 50,
  ) {
    // Never through a symlink a repository planted at the log's place.
    const flags =
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;
    this.fd = openSync(file, flags, 0o600);
  }

  append(event: AgentEvent): void {
    if (event.type === 'text-delta' || event.type === 'reasoning-delta') {
      const p = this.pending;
      if (p && p.type === event.type && p.step === event.step && p.turnId === event.turnId) {
        this.pending = { ...p, text: p.text + event.text };
        return;
      }
      this.flush();
      this.pending = event;
      this.timer = setTimeout(() => this.flush(), this.coalesceMs);
      this.timer.unref();
      return;
    }
    this.flush();
    this.write(event);
  }

  /** Write the merged delta, if any. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const p = this.pending;
    this.pending = null;
    if (p) this.write(p);
  }

  private write(event: AgentEvent): void {
    if (this.fd === null || this.closing) return;
    const line = `${this.seal(this.redact(JSON.stringify(event)))}\n`;
    writeSync(this.fd, line);
    this.dirty = true;
    this.sync();
  }

  /** Start a background fdatasync unless one runs; when it ends, another if more was written. */
  private sync(): void {
    const fd = this.fd;
    if (fd === null || this.syncing || !this.dirty) return;
    this.syncing = true;
    this.dirty = false;
    fdatasync(fd, () => {
      this.syncing = false;
      if (this.closing) {
        this.closing = false;
        this.fd = null;
        closeSync(fd);
        return;
      }
      this.sync();
    });
  }

  close(): void {
    this.flush();
    const fd = this.fd;
    if (fd === null || this.closing) return;
    // The last lines reach the disk before close returns.
    if (this.dirty) fdatasyncSync(fd);
    this.dirty = false;
    // A background sync still holds the fd: it closes it when it ends.
    if (this.syncing) {
      this.closing = true;
      return;
    }
    closeSync(fd);
    this.fd = null;
  }
}

export interface ReadLogResult {
  readonly events: AgentEvent[];
  /** Lines that could not be read (a torn last line after a crash, or damage). */
  readonly warnings: string[];
  /** Indexes into `events` of lines this app did not seal: shown, never acted on. */
  readonly unsealed: ReadonlySet<number>;
}

/** Read a log back; unreadable lines are skipped with a warning, never fatal. */
export async function readSessionLog(
  file: string,
  open: (line: string) => { json: string; sealed: boolean } = (line) => ({
    json: line,
    sealed: false,
  }),
): Promise<ReadLogResult> {
  let text: string;
  const unsealed = new Set<number>();
  try {
    const handle = await openFile(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT')
      return { events: [], warnings: [], unsealed };
    throw error;
  }
  const lines = text.split('\n');
  const events: AgentEvent[] = [];
  const warnings: string[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const last = i === lines.length - 1;
    let value: unknown;
    const opened = open(line);
    try {
      value = JSON.parse(opened.json);
    } catch {
      warnings.push(
        last
          ? `line ${i + 1}: the last event was cut off (the app stopped while writing it); ignored`
          : `line ${i + 1}: not valid JSON; ignored`,
      );
      return;
    }
    const parsed = agentEventSchema.safeParse(value);
    if (parsed.success) {
      if (!opened.sealed) unsealed.add(events.length);
      events.push(parsed.data);
    } else
      warnings.push(
        `line ${i + 1}: not a known event (${parsed.error.issues[0]?.message ?? 'invalid'}); ignored`,
      );
  });
  return { events, warnings, unsealed };
}

/**
 * Where a running session's events go: its log once the session is on disk. A drafted session
 * (not written before its first message) holds its events until `attach` gives it the log.
 */
export class SessionSink {
  private held: AgentEvent[] = [];

  constructor(private log: SessionLog | null = null) {}

  get attached(): boolean {
    return this.log !== null;
  }

  attach(log: SessionLog): void {
    this.log = log;
    for (const event of this.held) log.append(event);
    this.held = [];
  }

  append(event: AgentEvent): void {
    if (this.log) this.log.append(event);
    else this.held.push(event);
  }

  flush(): void {
    this.log?.flush();
  }

  close(): void {
    this.log?.close();
  }
}
