import type { PolicyDraft } from '../../shared/domain/policy-edit';
import { WHAT_IF_MAX_ROWS, type WhatIfResult } from '../../shared/domain/policy-whatif';
import type { Decision } from '../../shared/domain/policy';
import { BridgeError } from '../../shared/ipc/errors';
import type { AuditSettings } from '../config/effective';
import type { WorkspacePolicy } from '../core/policy-service';
import { redactKeyShapes } from '../credentials/redact';
import { SessionSealer } from '../guard/session-seal';
import type { AppPaths } from '../platform/paths';
import { ActivityStore, activityDir } from './activity-store';
import { backtest, replay, type BacktestResult, type Replayed } from './backtest';
import { readReplayLog, type ReplayInput, type ReplayLog } from './replay-log';

/** A workspace's activity log where the audit keys in force put it, opened for reading. */
export function activityStoreFor(
  workspace: string,
  audit: AuditSettings,
  paths: AppPaths,
  sealer: SessionSealer,
): ActivityStore {
  return new ActivityStore(
    workspace,
    activityDir(workspace, audit, paths.home),
    sealer,
    redactKeyShapes,
  );
}

/** `allow -> prompt` counts over every change, most frequent first. */
export function transitionCounts(
  changed: BacktestResult['changed'],
): { before: Decision; after: Decision; count: number }[] {
  const counts = new Map<string, { before: Decision; after: Decision; count: number }>();
  for (const { before, after } of changed) {
    const key = `${before}->${after}`;
    const entry = counts.get(key) ?? { before, after, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count);
}

/** A read log, kept while its files keep their size and modification time. */
interface CachedLog {
  readonly key: string;
  readonly log: Promise<ReplayLog>;
  timer: NodeJS.Timeout;
}

/** How long a read log is kept after its last use. */
const KEEP_MS = 10 * 60_000;

/**
 * Runs what-ifs for the app: the workspace's log is read once and kept while its files are
 * unchanged (each edit only decides the distinct calls again), and a newer request from the same
 * caller stops the one still running.
 */
export class WhatIfRunner {
  private readonly logs = new Map<string, CachedLog>();
  private readonly running = new Map<string, AbortController>();
  private sealer: SessionSealer | null = null;

  constructor(private readonly paths: AppPaths) {}

  /** The past decisions of `policy`'s workspace that `draft` would change. */
  async run(caller: string, policy: WorkspacePolicy, draft: PolicyDraft): Promise<WhatIfResult> {
    const started = performance.now();
    this.running.get(caller)?.abort();
    const controller = new AbortController();
    this.running.set(caller, controller);
    try {
      // Its own engine, remembering file lookups for this run: nothing it decides is executed.
      const engine = await policy.draft(draft, { replayOnly: true });
      this.superseded(controller);
      this.sealer ??= SessionSealer.forDataDir(this.paths.dataDir);
      const store = activityStoreFor(
        policy.workspace,
        policy.current().config.audit,
        this.paths,
        this.sealer,
      );
      // A log read for this request is decided as it is read (see backtestStore).
      const decided = new Map<ReplayInput, Replayed | null>();
      const log = await this.logOf(store, (input) => decided.set(input, replay(engine, input)));
      this.superseded(controller);
      const result = await backtest(engine, log, { signal: controller.signal, decided });
      return {
        checked: result.checked,
        changed: result.changed.length,
        rows: result.changed.slice(0, WHAT_IF_MAX_ROWS),
        transitions: transitionCounts(result.changed),
        skipped: result.skipped,
        ms: performance.now() - started,
      };
    } catch (error) {
      if (controller.signal.aborted) this.superseded(controller);
      throw error;
    } finally {
      if (this.running.get(caller) === controller) this.running.delete(caller);
    }
  }

  /** Forget the caller (its window closed): stop what it still runs. */
  forget(caller: string): void {
    this.running.get(caller)?.abort();
    this.running.delete(caller);
  }

  close(): void {
    for (const controller of this.running.values()) controller.abort();
    this.running.clear();
    for (const cached of this.logs.values()) clearTimeout(cached.timer);
    this.logs.clear();
  }

  private superseded(controller: AbortController): void {
    if (controller.signal.aborted)
      throw new BridgeError('conflict', 'Superseded by a newer what-if request.');
  }

  /**
   * The log, read again only when one of its files changed size or time (or appeared);
   * `onInput` hears of each question when the log is read now.
   */
  private async logOf(
    store: ActivityStore,
    onInput: (input: ReplayInput) => void,
  ): Promise<ReplayLog> {
    const key = JSON.stringify(await store.fileStats());
    const cached = this.logs.get(store.dir);
    if (cached?.key === key) {
      cached.timer.refresh();
      return cached.log;
    }
    if (cached) clearTimeout(cached.timer);
    const log = readReplayLog(store, { onInput });
    const timer = setTimeout(() => {
      if (this.logs.get(store.dir)?.log === log) this.logs.delete(store.dir);
    }, KEEP_MS);
    timer.unref();
    this.logs.set(store.dir, { key, log, timer });
    log.catch(() => {
      if (this.logs.get(store.dir)?.log === log) this.logs.delete(store.dir);
    });
    return log;
  }
}
