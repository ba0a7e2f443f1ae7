import type { AgentEvent } from '../../shared/domain/agent';

type Delta = Extract<AgentEvent, { type: 'text-delta' | 'reasoning-delta' }>;

export interface CoalescerLimits {
  readonly intervalMs: number;
  readonly maxChars: number;
}

export const DEFAULT_COALESCER_LIMITS: CoalescerLimits = { intervalMs: 16, maxChars: 64 * 1024 };

function isDelta(event: AgentEvent): event is Delta {
  return event.type === 'text-delta' || event.type === 'reasoning-delta';
}

/**
 * Joins a session's streamed text and reasoning deltas into one event per frame (or per
 * `maxChars`) before they cross the bridge: a provider sends thousands of tiny deltas, and each
 * bridge message is validated, serialised and parsed on both sides. Any other event first flushes
 * what is waiting, so the order the renderer sees is the order the turn produced.
 */
export class DeltaCoalescer {
  private pending: Delta | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly emit: (event: AgentEvent) => void,
    private readonly limits: CoalescerLimits = DEFAULT_COALESCER_LIMITS,
  ) {}

  push(event: AgentEvent): void {
    if (!isDelta(event)) {
      this.flush();
      this.emit(event);
      return;
    }
    const p = this.pending;
    if (p && p.type === event.type && p.turnId === event.turnId && p.step === event.step) {
      this.pending = { ...p, text: p.text + event.text };
    } else {
      this.flush();
      this.pending = event;
    }
    if ((this.pending?.text.length ?? 0) >= this.limits.maxChars) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.limits.intervalMs);
  }

  /** Hand on what is waiting now. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const p = this.pending;
    this.pending = null;
    if (p) this.emit(p);
  }
}
