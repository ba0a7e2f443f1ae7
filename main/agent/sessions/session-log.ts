import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { agentEventSchema, type AgentEvent } from '../../../shared/domain/agent';

/**
 * One session's append-only event log (JSON lines). Every line is written with one write() and
 * flushed to disk before the next, so a crash loses at most the event being written and never
 * touches earlier lines. Text deltas are merged for up to `coalesceMs` to keep disk syncs down:
 * the merged delta is the "event in flight".
 */
export class SessionLog {
  private fd: number | null;
  private pending: Extract<AgentEvent, { type: 'text-delta' | 'reasoning-delta' }> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly file: string,
    private readonly redact: (text: string) => string,
    private readonly coalesceMs = 50,
  ) {
    this.fd = openSync(file, 'a', 0o600);
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
    if (this.fd === null) return;
    const line = `${this.redact(JSON.stringify(event))}\n`;
    writeSync(this.fd, line);
    fdatasyncSync(this.fd);
  }

  close(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

export interface ReadLogResult {
  readonly events: AgentEvent[];
  /** Lines that could not be read (a torn last line after a crash, or damage). */
  readonly warnings: string[];
}

/** Read a log back; unreadable lines are skipped with a warning, never fatal. */
export async function readSessionLog(file: string): Promise<ReadLogResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return { events: [], warnings: [] };
    throw error;
  }
  const lines = text.split('\n');
  const events: AgentEvent[] = [];
  const warnings: string[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const last = i === lines.length - 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      warnings.push(
        last
          ? `line ${i + 1}: the last event was cut off (the app stopped while writing it); ignored`
          : `line ${i + 1}: not valid JSON; ignored`,
      );
      return;
    }
    const parsed = agentEventSchema.safeParse(value);
    if (parsed.success) events.push(parsed.data);
    else
      warnings.push(
        `line ${i + 1}: not a known event (${parsed.error.issues[0]?.message ?? 'invalid'}); ignored`,
      );
  });
  return { events, warnings };
}
