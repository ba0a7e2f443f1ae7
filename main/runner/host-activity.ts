import type { ActivityRecord } from '../../shared/domain/activity';
import type { HostRecord } from './host-gate';
import { hostText } from './host-rules';

/*
 * The activity log's `network` records for one decision of the gate (one per run it named):
 * `new RunnerService({ network: { onRecord } })` hands every decision over, and the app's
 * ActivityService.recordHost writes these into each run's workspace log. No command text goes in
 * (run ids only); the log redacts what it writes.
 */

const ANSWER = {
  once: 'approved-once',
  session: 'approved-session',
  always: 'approved-always',
  deny: 'denied',
} as const;

/** The records for `record`; `newId` gives each a unique id within the workspace's log. */
export function hostActivityRecords(record: HostRecord, newId: () => string): ActivityRecord[] {
  const subject = hostText(record.host, record.port);
  const by: ActivityRecord['by'] =
    record.by === 'grant'
      ? { kind: 'grant', grantId: '', text: subject }
      : record.by === 'headless'
        ? { kind: 'headless', answer: 'deny' }
        : { kind: 'user' };
  const answer =
    record.by === 'timeout' || record.by === 'ended'
      ? 'cancelled'
      : record.answer === null
        ? undefined
        : ANSWER[record.answer];
  return record.runs.map((run) => ({
    v: 1 as const,
    id: newId(),
    at: record.at,
    sessionId: run.sessionId,
    turnId: run.origin?.turnId ?? null,
    callId: run.origin?.callId ?? null,
    kind: 'network' as const,
    tool: run.origin?.tool ?? 'terminal',
    subject,
    subjects: [{ kind: 'host' as const, host: record.host, port: record.port }],
    policy: { decision: 'prompt' as const, reason: record.rules, rule: null },
    decision: record.decision,
    by,
    reason: record.reason,
    parts: [],
    paths: [],
    ...(answer === undefined ? {} : { answer }),
    note: `run ${run.runId}`,
  }));
}
