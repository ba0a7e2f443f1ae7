import { canonicalHost, decideHost, hostText, type NetworkRules } from './host-rules';

/*
 * The sandbox runtime's ask callback. The proxy calls it for a host that neither a deny nor an
 * allow entry covers, with only `{ host, port }`: not which run connected. Every run on the proxy
 * shares one allow-list (network-leases.ts queues the others), so the runs that may have asked are
 * exactly the runs attached here, and a question names them all. The answer applies to every run
 * it named: a connection is let through only when each run that could have made it holds a grant
 * for the host (or a person said yes), so no run reaches a host on another run's word.
 */

/** Hosts "Allow for this session" allowed: the agent session's grants, in memory only. */
export interface HostGrants {
  covers(host: string, port: number): boolean;
  /** Grant `host:port` for the session; returns the grant in words. */
  add(host: string, port: number): string;
}

/** Who started a run, and who can be asked about its hosts. */
export interface RunOrigin {
  /** The agent session (null: the terminal or a headless run). */
  readonly sessionId: string | null;
  readonly turnId?: string | null;
  readonly callId?: string | null;
  /** The tool that ran the command (`exec_command`); none: the terminal. */
  readonly tool?: string;
  /** Null: nobody can be asked (headless `run`/`exec`): what would ask is denied and reported. */
  readonly asker: HostAsker | null;
  /** Null: the origin keeps no session grants (the terminal). */
  readonly grants: HostGrants | null;
}

/** A run a question may be about. */
export interface HostAskRun {
  readonly runId: string;
  readonly command: string;
  readonly sessionId: string | null;
}

export interface HostQuestion {
  readonly host: string;
  readonly port: number;
  /** Every run that may have connected (the proxy cannot tell which one did). */
  readonly runs: readonly HostAskRun[];
  /** Why it asks, in words (what the rules say about the host). */
  readonly reason: string;
  /** "Allow for this session" can be offered: every run named belongs to an agent session. */
  readonly canSession: boolean;
}

/** once: for the runs named, until they end; session: their sessions' grants; always: saved. */
export type HostAnswer =
  | { readonly kind: 'once' }
  | { readonly kind: 'session' }
  | { readonly kind: 'always'; readonly note: string }
  | { readonly kind: 'deny'; readonly reason?: string | undefined };

/** Why a question was taken back from an asker that did not answer it. */
export interface HostWithdrawal {
  /** What was decided: the connection went through, or not. */
  readonly allowed: boolean;
  readonly why: string;
}

/**
 * Puts a question to a person. `signal` aborts, with a HostWithdrawal as its reason, when it is
 * decided elsewhere (another asker, a timeout, the run ended): the asker withdraws its dialog.
 */
export interface HostAsker {
  ask(question: HostQuestion, signal: AbortSignal): Promise<HostAnswer>;
}

/** Every decision the gate made about a host, for the activity log (see host-activity.ts). */
export interface HostRecord {
  readonly at: string;
  readonly host: string;
  readonly port: number;
  readonly runs: readonly (HostAskRun & {
    readonly origin: RunOrigin | null;
    readonly workspace: string | null;
  })[];
  readonly decision: 'allow' | 'deny';
  /** user: a person answered; grant: session or run grants covered it; headless: nobody to ask. */
  readonly by: 'user' | 'grant' | 'headless' | 'timeout' | 'ended';
  readonly answer: HostAnswer['kind'] | null;
  readonly reason: string;
  /** What the rules said (the question's reason). */
  readonly rules: string;
}

/** A host a run that cannot ask was refused, with what would allow it. */
export interface BlockedHost {
  readonly runId: string;
  readonly host: string;
  readonly port: number;
  readonly reason: string;
}

export interface HostGateOptions {
  /** A question nobody answers is denied after this long. */
  readonly timeoutMs?: number;
  readonly onRecord?: (record: HostRecord) => void;
  readonly onBlocked?: (blocked: BlockedHost) => void;
  /** Someone answered (grants changed): queued runs may fit now. */
  readonly onGranted?: () => void;
}

interface Attached {
  readonly run: HostAskRun;
  readonly origin: RunOrigin | null;
  readonly workspace: string | null;
  readonly rules: NetworkRules;
  /** host:port allowed ("Allow once") or denied for this run, until it ends. */
  readonly allowed: Set<string>;
  /** host:port denied for this run, and why (what its violation line says). */
  readonly denied: Map<string, string>;
  /** host:port already logged for this run (a grant covering every retry is logged once). */
  readonly noted: Set<string>;
}

interface Pending {
  readonly key: string;
  readonly runIds: Set<string>;
  readonly decided: Promise<boolean>;
  finish(answer: HostAnswer, by: HostRecord['by'], why: string): void;
}

export const DEFAULT_ASK_TIMEOUT_MS = 120_000;

/** The runs on the proxy and the questions about their hosts. */
export class HostGate {
  private readonly runs = new Map<string, Attached>();
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly options: HostGateOptions = {}) {}

  /** A run is on the proxy from now on: its connections may be asked about. */
  attach(
    run: HostAskRun,
    origin: RunOrigin | null,
    rules: NetworkRules,
    workspace: string | null = null,
  ): void {
    this.runs.set(run.runId, {
      run,
      origin,
      workspace,
      rules,
      allowed: new Set(),
      denied: new Map(),
      noted: new Set(),
    });
  }

  /** A run ended: a question only it could have asked is denied. */
  detach(runId: string): void {
    if (!this.runs.delete(runId)) return;
    for (const p of [...this.pending.values()]) {
      p.runIds.delete(runId);
      if (p.runIds.size === 0) p.finish({ kind: 'deny' }, 'ended', 'the command ended');
    }
  }

  /** Whether `runId` holds a grant (its own or its session's) for `host:port`. */
  granted(runId: string, host: string, port: number): boolean {
    const a = this.runs.get(runId);
    const h = canonicalHost(host);
    if (!a || h === null) return false;
    return a.allowed.has(hostText(h, port)) || (a.origin?.grants?.covers(h, port) ?? false);
  }

  /**
   * A violation line the runtime wrote for a connection the gate refused says only "user denied":
   * the same line with the gate's own reason (headless, timed out, denied when asked).
   */
  explain(runId: string, line: string): string {
    const m = /^deny network-outbound (.+):(\d+) \(user denied\)$/.exec(line);
    const h = m ? canonicalHost(m[1] ?? '') : null;
    if (!m || h === null) return line;
    const why = this.runs.get(runId)?.denied.get(hostText(h, Number(m[2])));
    return why ? line.replace(/\(user denied\)$/, `(${why})`) : line;
  }

  /** The runtime's ask callback: true lets the connection through. */
  readonly ask = async ({
    host,
    port,
  }: {
    host: string;
    port?: number | undefined;
  }): Promise<boolean> => {
    const h = canonicalHost(host);
    const runs = [...this.runs.values()];
    if (h === null || port === undefined || runs.length === 0) return false;
    const key = hostText(h, port);
    if (runs.every((a) => this.granted(a.run.runId, h, port))) {
      this.note(runs, key, h, port, 'allow', 'grant', null, 'allowed earlier for these runs');
      return true;
    }
    if (runs.every((a) => a.denied.has(key))) return false;
    const rules = decideHost(runs[0]!.rules, h, port).reason;
    const headless = runs.filter((a) => !a.origin?.asker);
    if (headless.length > 0) {
      for (const a of headless) {
        a.denied.set(key, `${rules}, and this run cannot ask`);
        if (!a.noted.has(key))
          this.options.onBlocked?.({ runId: a.run.runId, host: h, port, reason: rules });
      }
      this.note(runs, key, h, port, 'deny', 'headless', null, 'this run cannot ask');
      return false;
    }
    const existing = this.pending.get(key);
    if (existing) return existing.decided;
    return this.question(runs, key, h, port, rules);
  };

  private question(
    runs: readonly Attached[],
    key: string,
    host: string,
    port: number,
    rules: string,
  ): Promise<boolean> {
    const controller = new AbortController();
    const runIds = new Set(runs.map((a) => a.run.runId));
    let settle: (allowed: boolean) => void = () => {};
    const decided = new Promise<boolean>((resolve) => (settle = resolve));
    let done = false;
    const timer = setTimeout(
      () => finish({ kind: 'deny' }, 'timeout', 'nobody answered in time'),
      this.options.timeoutMs ?? DEFAULT_ASK_TIMEOUT_MS,
    );
    timer.unref?.();
    const finish = (answer: HostAnswer, by: HostRecord['by'], why: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      this.pending.delete(key);
      const allow = answer.kind !== 'deny';
      const withdrawal: HostWithdrawal = {
        allowed: allow,
        why: by === 'user' ? `answered elsewhere: ${allow ? 'allowed' : 'denied'}` : why,
      };
      controller.abort(withdrawal);
      const named = [...runIds].flatMap((id) => {
        const a = this.runs.get(id);
        return a ? [a] : [];
      });
      for (const a of named) {
        if (allow) a.allowed.add(key);
        else
          a.denied.set(
            key,
            by === 'user'
              ? `denied when asked${answer.kind === 'deny' && answer.reason ? `: ${answer.reason}` : ''}`
              : why,
          );
        a.noted.add(key);
        if (answer.kind === 'session') a.origin?.grants?.add(host, port);
      }
      const reason =
        answer.kind === 'deny'
          ? (answer.reason ?? why)
          : answer.kind === 'always'
            ? answer.note
            : why;
      this.record(named, host, port, allow ? 'allow' : 'deny', by, answer.kind, reason, rules);
      settle(allow);
      if (allow) this.options.onGranted?.();
    };
    const pending: Pending = { key, runIds, decided, finish };
    this.pending.set(key, pending);
    const question: HostQuestion = {
      host,
      port,
      runs: runs.map((a) => a.run),
      reason: rules,
      canSession: runs.every((a) => a.origin?.grants),
    };
    // One question per asker (a window, a session's call), however many of its runs are named.
    const askers = new Set(runs.flatMap((a) => (a.origin?.asker ? [a.origin.asker] : [])));
    for (const asker of askers) {
      asker.ask(question, controller.signal).then(
        (answer) => finish(answer, 'user', 'answered'),
        (error: unknown) =>
          finish(
            { kind: 'deny' },
            'user',
            `could not ask: ${error instanceof Error ? error.message : String(error)}`,
          ),
      );
    }
    return decided;
  }

  private note(
    runs: readonly Attached[],
    key: string,
    host: string,
    port: number,
    decision: 'allow' | 'deny',
    by: HostRecord['by'],
    answer: HostAnswer['kind'] | null,
    reason: string,
  ): void {
    const fresh = runs.filter((a) => !a.noted.has(key));
    if (fresh.length === 0) return;
    for (const a of fresh) a.noted.add(key);
    this.record(fresh, host, port, decision, by, answer, reason, reason);
  }

  private record(
    runs: readonly Attached[],
    host: string,
    port: number,
    decision: 'allow' | 'deny',
    by: HostRecord['by'],
    answer: HostAnswer['kind'] | null,
    reason: string,
    rules: string,
  ): void {
    this.options.onRecord?.({
      at: new Date().toISOString(),
      host,
      port,
      runs: runs.map((a) => ({ ...a.run, origin: a.origin, workspace: a.workspace })),
      decision,
      by,
      answer,
      reason,
      rules,
    });
  }

  /** Deny every open question (the runner is shutting down). */
  close(): void {
    for (const p of [...this.pending.values()])
      p.finish({ kind: 'deny' }, 'ended', 'the app is shutting down');
    this.runs.clear();
  }
}
