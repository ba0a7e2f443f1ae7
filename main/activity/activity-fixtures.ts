import type { ActivityRecord, ActivitySubject } from '../../shared/domain/activity';
import { decideSubjects } from '../agent/loop/tool-executor';
import type { ToolSubject } from '../agent/tools/tool-types';
import type { PolicyEngine } from '../policy/engine';

/*
 * Activity records as the tool executor would record them, decided by a real engine: fixtures for
 * the backtest's tests, the CLI's tests and bench/backtest-bench.ts.
 */

/** A call to `tool` about `subjects`, decided now by `engine`, as a `call` record. */
export function recordedCall(
  engine: PolicyEngine,
  call: {
    readonly id: string;
    readonly at: string;
    readonly tool: string;
    readonly subjects: readonly ActivitySubject[];
    readonly sessionId?: string;
  },
): ActivityRecord {
  const subjects = call.subjects.filter((s): s is ToolSubject => s.kind !== 'host');
  const v = decideSubjects(engine, call.tool, subjects);
  const parts = subjects.flatMap((s) =>
    s.kind === 'command'
      ? engine.decideCommand(s.command).parts.map(({ text, command, decision, reason, rule }) => ({
          text,
          command,
          decision,
          reason,
          rule,
        }))
      : [],
  );
  return {
    v: 1,
    id: call.id,
    at: call.at,
    sessionId: call.sessionId ?? 's-1',
    turnId: 't-1',
    callId: `call-${call.id}`,
    kind: 'call',
    tool: call.tool,
    subject: v.subject,
    subjects: [...call.subjects],
    policy: { decision: v.decision, reason: v.reason, rule: v.rule },
    decision: v.decision,
    by: v.rule ? { kind: 'rule', rule: v.rule } : { kind: 'mode', mode: 'ask' },
    reason: v.reason,
    parts,
    paths: [...v.paths.values()].map((d) => ({
      path: d.path,
      op: d.op,
      decision: d.decision,
      reason: d.reason,
      rule: d.rule,
    })),
  };
}
