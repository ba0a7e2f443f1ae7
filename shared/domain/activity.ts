import { z } from 'zod';
import { decisionSchema, pathOpSchema, ruleRefSchema } from './policy';

/*
 * The activity log: every policy decision the agent's calls met, and every answer a person gave,
 * with who decided. Written per workspace (append-only, redacted, sealed like session logs) and
 * read by the Activity view, `policy activity`, the lint ("never matched") and the backtest.
 */

/** Who decided: a rule (in a file, or built in), a person, a session grant, a mode, a headless run. */
export const deciderSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rule'), rule: ruleRefSchema }),
  z.object({ kind: z.literal('user') }),
  z.object({ kind: z.literal('grant'), grantId: z.string(), text: z.string() }),
  z.object({ kind: z.literal('mode'), mode: z.string() }),
  /** A run that cannot ask: prompt became deny, or approve with `--yes`. */
  z.object({ kind: z.literal('headless'), answer: z.enum(['deny', 'approve']) }),
]);
export type Decider = z.infer<typeof deciderSchema>;

/** What a call was about, as the tool reported it: enough to decide it again (backtest). */
export const activitySubjectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('command'), command: z.string(), cwd: z.string().optional() }),
  z.object({ kind: z.literal('path'), path: z.string(), op: pathOpSchema }),
  z.object({ kind: z.literal('url'), url: z.string() }),
  z.object({ kind: z.literal('host'), host: z.string(), port: z.number().int().nullable() }),
]);
export type ActivitySubject = z.infer<typeof activitySubjectSchema>;

const verdictSchema = z.object({
  decision: decisionSchema,
  reason: z.string(),
  rule: ruleRefSchema.nullable(),
});

/** One line of the activity log. */
export const activityRecordSchema = z.object({
  v: z.literal(1),
  /** Unique within the workspace's log. */
  id: z.string().min(1).max(200),
  at: z.string(),
  sessionId: z.string().nullable(),
  turnId: z.string().nullable(),
  callId: z.string().nullable(),
  /** `call`: the policy's decision on a tool call; `approval`: a person's (or a headless run's) answer. */
  kind: z.enum(['call', 'approval', 'network']),
  /** The tool as the model named it (canonical name). */
  tool: z.string(),
  /** What was asked about, in one line (redacted). */
  subject: z.string(),
  subjects: z.array(activitySubjectSchema),
  /** What the policy itself said, before the mode and session grants: what a backtest compares. */
  policy: verdictSchema,
  /** What happened: after mode and grants (call), or the answer (approval: allow or deny). */
  decision: decisionSchema,
  by: deciderSchema,
  reason: z.string(),
  /** Each part of a command, decided on its own. */
  parts: z.array(
    z.object({
      text: z.string(),
      command: z.string(),
      decision: decisionSchema,
      reason: z.string(),
      rule: ruleRefSchema.nullable(),
    }),
  ),
  /** Each path the call touches. */
  paths: z.array(
    z.object({
      path: z.string(),
      op: pathOpSchema,
      decision: decisionSchema,
      reason: z.string(),
      rule: ruleRefSchema.nullable(),
    }),
  ),
  /** For `approval`: the answer as given. */
  answer: z
    .enum([
      'approved-once',
      'approved-session',
      'approved-always',
      'approved-edits',
      'denied',
      'cancelled',
    ])
    .optional(),
  /** For `approval`: what the answer did (the rule added, the grant made). */
  note: z.string().nullable().optional(),
});
export type ActivityRecord = z.infer<typeof activityRecordSchema>;
