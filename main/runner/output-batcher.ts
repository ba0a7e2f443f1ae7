import { StringDecoder } from 'node:string_decoder';

/** How often output reaches listeners: the first limit hit flushes. */
export interface BatchLimits {
  readonly intervalMs: number;
  readonly maxBytes: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { intervalMs: 16, maxBytes: 64 * 1024 };

/**
 * Collects terminal output as it is read (raw bytes) and hands it on as text at most every
 * `intervalMs`, or sooner once `maxBytes` are waiting, so a chatty command costs a few messages per
 * frame, not one per read. Decoding once per batch (with one decoder for the whole run, so a
 * character split between reads stays whole) is far cheaper than decoding every 4 KiB read.
 */
export class OutputBatcher {
  private parts: Buffer[] = [];
  private bytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    /** `bytes` counts the raw bytes of this batch, so the counts add up to what was read. */
    private readonly flushTo: (data: string, bytes: number) => void,
    private readonly limits: BatchLimits = DEFAULT_BATCH_LIMITS,
  ) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.parts.push(chunk);
    this.bytes += chunk.length;
    if (this.bytes >= this.limits.maxBytes) {
      this.flush();
    } else {
      this.timer ??= setTimeout(() => this.flush(), this.limits.intervalMs);
    }
  }

  /** Hand on whatever is waiting now. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.parts.length === 0) return;
    const joined = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.bytes);
    const bytes = this.bytes;
    this.parts = [];
    this.bytes = 0;
    this.flushTo(joined ? this.decoder.write(joined) : '', bytes);
  }

  /** Flush for the last time (before the exit event); a character cut off at the end shows as U+FFFD. */
  end(): void {
    this.flush();
    const rest = this.decoder.end();
    if (rest.length > 0) this.flushTo(rest, 0);
  }
}
