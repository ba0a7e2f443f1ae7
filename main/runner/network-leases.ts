import { entryPattern, networkKey, type HostEntry, type NetworkRules } from './host-rules';

/*
 * The sandbox runtime has one proxy and one network config for every run, and cannot tell which
 * run opened a connection. So runs share the proxy only when their rules are the same; a run with
 * other rules waits (queued, never refused) until the runs holding the proxy have ended, then the
 * config is swapped (a live swap in the runtime). Waiting runs go in order: a run whose rules
 * match the proxy's does not overtake one that waits for other rules.
 *
 * One exception keeps "Always allow" smooth: a run whose rules only add `host:port` entries that
 * every run on the proxy already holds a grant for (the person just allowed that host for them)
 * joins at once, and the proxy takes the wider list: nothing on it gains a host it was not given.
 */

/** A run asking for the proxy. */
export interface LeaseRequest {
  readonly runId: string;
  readonly command: string;
  readonly rules: NetworkRules;
}

export type LeaseOutcome =
  | { readonly granted: true }
  | {
      readonly granted: false;
      /** Why it waits, in words: which running commands it waits for. */
      readonly reason: string;
      /** Resolves once the run holds the proxy; rejects with LeaseCancelledError. */
      readonly ready: Promise<void>;
    };

export class LeaseCancelledError extends Error {
  constructor() {
    super('cancelled while waiting for the network');
    this.name = 'LeaseCancelledError';
  }
}

interface Waiter extends LeaseRequest {
  readonly key: string;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export interface NetworkLeasesOptions {
  /** Give the proxy these rules (called only while no run that wanted other rules holds it). */
  readonly apply: (rules: NetworkRules) => void;
  /** Whether a run on the proxy holds a grant for `entry` (an exact host and port). */
  readonly granted: (runId: string, entry: HostEntry) => boolean;
  /** A run now holds the proxy (it waited or not). */
  readonly onGranted?: (request: LeaseRequest) => void;
}

function shortCommand(command: string): string {
  const line = command.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

/** Which runs hold the proxy, under which rules, and which wait for it. */
export class NetworkLeases {
  private current: { key: string; rules: NetworkRules } | null = null;
  private readonly holders = new Map<string, LeaseRequest>();
  private waiting: Waiter[] = [];

  constructor(private readonly options: NetworkLeasesOptions) {}

  /** Put a run on the proxy now, or queue it (then `ready` says when). */
  request(request: LeaseRequest): LeaseOutcome {
    const key = networkKey(request.rules);
    if (this.waiting.length === 0 && this.fits(key, request.rules)) {
      this.grant(key, request);
      return { granted: true };
    }
    let resolve: () => void = () => {};
    let reject: (error: Error) => void = () => {};
    const ready = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Nobody may be left with an unhandled rejection when a waiting run is cancelled.
    ready.catch(() => {});
    const ahead = this.waiting.length;
    this.waiting.push({ ...request, key, resolve, reject });
    return { granted: false, reason: this.why(ahead), ready };
  }

  /** Stop waiting (the run was cancelled); false when it was not waiting. */
  cancel(runId: string): boolean {
    const waiter = this.waiting.find((w) => w.runId === runId);
    if (!waiter) return false;
    this.waiting = this.waiting.filter((w) => w !== waiter);
    waiter.reject(new LeaseCancelledError());
    this.pump();
    return true;
  }

  /** A run that held the proxy ended. */
  release(runId: string): void {
    if (this.holders.delete(runId)) this.pump();
  }

  /** Grants changed (someone allowed a host): a waiting run may fit now. */
  pump(): void {
    while (this.waiting.length > 0) {
      const head = this.waiting[0]!;
      if (!this.fits(head.key, head.rules)) return;
      this.waiting.shift();
      this.grant(head.key, head);
      head.resolve();
    }
  }

  /** Runs waiting, and why (for status). */
  waitingReason(runId: string): string | null {
    const at = this.waiting.findIndex((w) => w.runId === runId);
    return at < 0 ? null : this.why(at);
  }

  private grant(key: string, request: LeaseRequest): void {
    if (this.current?.key !== key) {
      this.current = { key, rules: request.rules };
      this.options.apply(request.rules);
    }
    this.holders.set(request.runId, request);
    this.options.onGranted?.(request);
  }

  private fits(key: string, rules: NetworkRules): boolean {
    if (this.holders.size === 0 || this.current?.key === key) return true;
    const now = this.current?.rules;
    if (!now || now.policy !== 'allowlist_only' || rules.policy !== 'allowlist_only') return false;
    if (networkKey({ ...now, allowlist: [] }) !== networkKey({ ...rules, allowlist: [] }))
      return false;
    const had = new Set(now.allowlist.map((e) => entryPattern(e).toLowerCase()));
    const wants = new Set(rules.allowlist.map((e) => entryPattern(e).toLowerCase()));
    if ([...had].some((p) => !wants.has(p))) return false;
    const added = rules.allowlist.filter((e) => !had.has(entryPattern(e).toLowerCase()));
    return added.every(
      (e) =>
        e.port !== undefined &&
        !e.domain.startsWith('*.') &&
        [...this.holders.keys()].every((id) => this.options.granted(id, e)),
    );
  }

  private why(ahead: number): string {
    const running = [...this.holders.values()];
    const named = running
      .slice(0, 3)
      .map((r) => `\`${shortCommand(r.command)}\``)
      .join(', ');
    const more = running.length > 3 ? ` and ${running.length - 3} more` : '';
    const queued = ahead > 0 ? ` (${ahead} queued ahead)` : '';
    return (
      `waiting for ${running.length} running command(s) with other network rules to finish: ` +
      `${named}${more}${queued}. The sandbox proxy enforces one allow-list at a time; cancel to stop waiting.`
    );
  }
}
