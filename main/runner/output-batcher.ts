/** How often output reaches listeners: the first limit hit flushes. */
export interface BatchLimits {
  readonly intervalMs: number;
  readonly maxBytes: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { intervalMs: 16, maxBytes: 64 * 1024 };

/**
 * Collects terminal output and hands it on at most every `intervalMs`, or sooner once
 * `maxBytes` are waiting, so a chatty command costs a few messages per frame, not one per read.
 */
export class OutputBatcher {
  private parts: string[] = [];
  private bytes = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly flushTo: (data: string, bytes: number) => void,
    private readonly limits: BatchLimits = DEFAULT_BATCH_LIMITS,
  ) {}

  push(data: string, bytes: number): void {
    if (data.length === 0) return;
    this.parts.push(data);
    this.bytes += bytes;
    if (this.bytes >= this.limits.maxBytes) {
      this.flush();
    } else {
      this.timer ??= setTimeout(() => this.flush(), this.limits.intervalMs);
    }
  }

  /** Hand on whatever is waiting now (also called before the exit event). */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.parts.length === 0) return;
    const data = this.parts.length === 1 ? (this.parts[0] ?? '') : this.parts.join('');
    const bytes = this.bytes;
    this.parts = [];
    this.bytes = 0;
    this.flushTo(data, bytes);
  }
}
