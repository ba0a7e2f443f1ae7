import type { ActivityRecord } from '../../shared/domain/activity';
import {
  matchesActivity,
  type ActivityPage,
  type listActivityRequestSchema,
} from '../../shared/domain/activity-query';
import type { z } from 'zod';
import type { AuditSettings } from '../config/effective';
import type { SessionSealer } from '../guard/session-seal';
import { ActivityReader } from './activity-reader';
import { ActivityStore, activityDir, auditWants } from './activity-store';

/** Where a tool loop hands its records: never throws, whatever happens to the file. */
export interface ActivitySink {
  record(record: ActivityRecord): void;
}

export interface ActivityLogOptions {
  readonly workspace: string;
  /** The audit keys in force, read at each append and query: settings apply at once. */
  readonly audit: () => AuditSettings;
  readonly home: string;
  readonly sealer: SessionSealer | null;
  readonly redact: (text: string) => string;
  /** Told when a record could not be written (the call goes on). */
  readonly onError: (message: string, error: unknown) => void;
}

type ParsedQuery = z.output<typeof listActivityRequestSchema>;
const MAX_WARNINGS = 20;

/**
 * A workspace's activity log as the app uses it: records appended where the audit keys say (and
 * only if they say so), listeners told of each record written, queries over a cached read.
 * One per workspace, shared by every window and session in it.
 */
export class ActivityLog implements ActivitySink {
  private readonly listeners = new Set<(record: ActivityRecord) => void>();
  private current: { store: ActivityStore; reader: ActivityReader } | null = null;

  constructor(private readonly o: ActivityLogOptions) {}

  get workspace(): string {
    return this.o.workspace;
  }

  /** The store at the directory the audit keys name now (the user file may move it). */
  store(): ActivityStore {
    return this.at().store;
  }

  private at(): { store: ActivityStore; reader: ActivityReader } {
    const dir = activityDir(this.o.workspace, this.o.audit(), this.o.home);
    if (this.current?.store.dir !== dir) {
      const store = new ActivityStore(this.o.workspace, dir, this.o.sealer, this.o.redact);
      this.current = { store, reader: new ActivityReader(store) };
    }
    return this.current;
  }

  /**
   * Append a record if the audit keys want it; listeners get it as written (redacted). An error
   * is reported through `onError` and swallowed: logging never breaks a tool call.
   */
  record(record: ActivityRecord): void {
    let written: ActivityRecord;
    try {
      if (!auditWants(this.o.audit(), record)) return;
      // Redacted once here, so what listeners see is what the file holds. The record is built
      // by this app's own typed code; listeners get it back from the redacted text.
      const json = this.o.redact(JSON.stringify(record));
      this.at().store.appendRedacted(json, record.at);
      if (this.listeners.size === 0) return;
      written = JSON.parse(json) as ActivityRecord;
    } catch (error) {
      this.o.onError('could not write to the activity log', error);
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(written);
      } catch (error) {
        this.o.onError('an activity listener failed', error);
      }
    }
  }

  /** Hear about each record this app writes to this workspace's log. */
  subscribe(listener: (record: ActivityRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One page of matching records, newest first, with the total and the counts over all of them. */
  async query(request: ParsedQuery): Promise<Omit<ActivityPage, 'sessions'>> {
    const audit = this.o.audit();
    const { records, warnings } = await this.at().reader.all(
      request.since !== undefined ? new Date(request.since) : undefined,
    );
    const counts = { allow: 0, prompt: 0, deny: 0 };
    const page: ActivityPage['records'] = [];
    let total = 0;
    let more = false;
    // Without a cursor the page starts at the newest record; with one, after the cursor's record.
    let open = request.before === undefined;
    for (let i = records.length - 1; i >= 0; i--) {
      const r = records[i]!;
      if (!matchesActivity(r.record, request)) continue;
      total++;
      if (r.sealed) counts[r.record.decision]++;
      if (!open) {
        if (r.record.id === request.before) open = true;
        continue;
      }
      if (page.length < request.limit) page.push({ record: r.record, sealed: r.sealed });
      else more = true;
    }
    return {
      records: page,
      total,
      counts,
      more,
      logging: {
        enabled: audit.enabled,
        allowed: audit.logAllowed,
        denied: audit.logDenied,
        prompts: audit.logPrompts,
      },
      warnings: warnings.slice(0, MAX_WARNINGS),
    };
  }
}
