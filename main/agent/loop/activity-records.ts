import { randomUUID } from 'node:crypto';
import type { ActivityRecord, ActivitySubject, Decider } from '../../../shared/domain/activity';
import type { AgentMode } from '../../../shared/domain/agent';
import type { CommandPart, PathDecision } from '../../../shared/domain/policy';
import { builtinRef } from '../../policy/rules';
import type { ToolSubject } from '../tools/tool-types';
import type { ModeVerdict } from './modes';

/*
 * The activity records a tool call leaves: one `call` record with what the policy said and what
 * happened, and one `approval` record per answer. Built here so the tool loop stays about calls.
 */

/** Which call a record is about. */
export interface RecordContext {
  readonly sessionId: string | null;
  readonly turnId: string;
  readonly callId: string;
  readonly tool: string;
}

/** A call as decided: what it touches, every command part and every path, each decided. */
export interface DecidedCall {
  readonly subject: string;
  readonly subjects: readonly ToolSubject[];
  readonly parts: readonly CommandPart[];
  readonly paths: ReadonlyMap<string, PathDecision>;
}

/** How a prompt was answered, as the log says it. */
export type ApprovalAnswerKind = NonNullable<ActivityRecord['answer']>;

// The subject is for reading in one line; the whole command stays in `subjects` (the backtest's).
const SUBJECT_CHARS = 4000;
const PART_CHARS = 4000;

function cut(text: string, max: number): string {
  return text.length <= max
    ? text
    : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

function subjectOf(s: ToolSubject): ActivitySubject {
  switch (s.kind) {
    case 'command':
      return s.cwd === undefined
        ? { kind: 'command', command: s.command }
        : { kind: 'command', command: s.command, cwd: s.cwd };
    case 'path':
      return { kind: 'path', path: s.path, op: s.op };
    case 'url':
      return { kind: 'url', url: s.url };
  }
}

/**
 * Who decided a call: a session grant when one allowed it, the mode when it changed what the
 * policy said, else the rule the policy cited (a built-in rule when it cited none).
 */
export function deciderOf(
  policy: ModeVerdict,
  moded: ModeVerdict,
  mode: AgentMode,
  grant: { readonly grantId: string; readonly text: string } | null,
): Decider {
  if (grant) return { kind: 'grant', grantId: grant.grantId, text: grant.text };
  if (moded.decision !== policy.decision) return { kind: 'mode', mode };
  return { kind: 'rule', rule: policy.rule ?? builtinRef('no rule matched') };
}

function base(ctx: RecordContext, call: DecidedCall, policy: ModeVerdict) {
  return {
    v: 1 as const,
    id: `a-${randomUUID()}`,
    at: new Date().toISOString(),
    sessionId: ctx.sessionId,
    turnId: ctx.turnId,
    callId: ctx.callId,
    tool: ctx.tool,
    subject: cut(call.subject, SUBJECT_CHARS),
    subjects: call.subjects.map(subjectOf),
    policy: { decision: policy.decision, reason: policy.reason, rule: policy.rule },
    parts: call.parts.map((p) => ({
      text: cut(p.text, PART_CHARS),
      command: cut(p.command, PART_CHARS),
      decision: p.decision,
      reason: p.reason,
      rule: p.rule,
    })),
    paths: [...call.paths.values()].map((p) => ({
      path: p.path,
      op: p.op,
      decision: p.decision,
      reason: p.reason,
      rule: p.rule,
    })),
  };
}

/** The `call` record: the policy's own verdict, and the final one after the mode and grants. */
export function callRecord(
  ctx: RecordContext,
  call: DecidedCall,
  policy: ModeVerdict,
  final: ModeVerdict,
  by: Decider,
): ActivityRecord {
  return {
    ...base(ctx, call, policy),
    kind: 'call',
    decision: final.decision,
    by,
    reason: final.reason,
  };
}

/** The `approval` record: how a person (or a headless run) answered a call that asked. */
export function approvalRecord(
  ctx: RecordContext,
  call: DecidedCall,
  policy: ModeVerdict,
  asked: string,
  answer: ApprovalAnswerKind,
  note: string | null,
  by: Decider,
): ActivityRecord {
  const allowed = answer !== 'denied' && answer !== 'cancelled';
  return {
    ...base(ctx, call, policy),
    kind: 'approval',
    decision: allowed ? 'allow' : 'deny',
    by,
    reason: asked,
    answer,
    note,
  };
}
