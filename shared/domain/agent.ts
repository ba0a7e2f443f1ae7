import { z } from 'zod';
import { hostQuestionSchema } from './host-question';
import { decisionSchema, ruleRefSchema } from './policy';

/*
 * What the agent runtime emits while it works, as one typed stream: the UI renders it live and the
 * session log stores it (one event per line). Main owns the runtime; these are plain records.
 */

export const sessionIdSchema = z.string().regex(/^s-[a-z0-9-]{6,64}$/, 'not a session id');
export type SessionId = z.infer<typeof sessionIdSchema>;

export const approvalIdSchema = z.string().regex(/^ap-[a-z0-9-]{6,64}$/, 'not an approval id');
export type ApprovalId = z.infer<typeof approvalIdSchema>;

/** Tokens for one step or a whole turn; cost in US dollars when the model's price is known. */
export const agentUsageSchema = z.object({
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  cachedInputTokens: z.number().int().min(0),
  reasoningTokens: z.number().int().min(0),
  costUsd: z.number().min(0).nullable(),
});
export type AgentUsage = z.infer<typeof agentUsageSchema>;

export { addUsage } from './agent-usage';

/** Why a provider call failed, in the words the UI shows. */
export const agentErrorKindSchema = z.enum([
  'auth',
  'model-not-found',
  'rate-limit',
  'server',
  'network',
  'context-overflow',
  'bad-request',
  'stream',
  'config',
  'cancelled',
  'internal',
]);
export type AgentErrorKind = z.infer<typeof agentErrorKindSchema>;

export const agentErrorSchema = z.object({
  kind: agentErrorKindSchema,
  message: z.string(),
  status: z.number().int().nullable(),
});
export type AgentError = z.infer<typeof agentErrorSchema>;

export const toolStatusSchema = z.enum(['ok', 'error', 'denied']);
export type ToolStatus = z.infer<typeof toolStatusSchema>;

export const turnOutcomeSchema = z.enum(['completed', 'cancelled', 'failed', 'loop-limit']);
export type TurnOutcome = z.infer<typeof turnOutcomeSchema>;

const base = { turnId: z.string(), at: z.string() };

/** One line of a diff as the screen draws it (see diff-lines.ts). */
export const diffLineSchema = z.object({
  kind: z.enum(['hunk', 'add', 'del', 'same']),
  text: z.string(),
});

/** One file a file-edit call would change, shown in its approval before anything is written. */
export const approvalFileSchema = z.object({
  /** The path as the model gave it. */
  path: z.string(),
  change: z.enum(['add', 'modify', 'delete', 'move']),
  /** For a move: where the file was. */
  movedFrom: z.string().nullable(),
  inWorkspace: z.boolean(),
  /** Why this file asks in its own right (a protected or secret file); null when it does not. */
  warning: z.string().nullable(),
  lines: z.array(diffLineSchema).max(5000),
  added: z.number().int().min(0),
  removed: z.number().int().min(0),
  /** What the diff leaves out (cut for size), null when it is whole. */
  note: z.string().nullable(),
});
export type ApprovalFile = z.infer<typeof approvalFileSchema>;

/** The changes a file-edit approval is about, or why they cannot be made as asked. */
export const approvalEditsSchema = z.object({
  files: z.array(approvalFileSchema).max(200),
  /** The call cannot be applied (a patch hunk that does not match, a missing file). */
  error: z.string().nullable(),
});
export type ApprovalEdits = z.infer<typeof approvalEditsSchema>;

/**
 * How much the agent may do without asking, per session (VT Code's primary agents where the
 * names fit): `plan` reads only; `ask` follows the policy as written; `auto_edit` also makes file
 * edits inside the workspace without asking; `full_auto` allows what would ask. Denials always
 * hold, the sandbox stays on, and protected or secret files still ask.
 */
export const agentModeSchema = z.enum(['plan', 'ask', 'auto_edit', 'full_auto']);
export type AgentMode = z.infer<typeof agentModeSchema>;

/** VT Code's `default_primary_agent` names (build, plan, auto), and this app's own, as a mode. */
export function modeFromPrimaryAgent(name: string | null): AgentMode {
  switch ((name ?? '').toLowerCase()) {
    case 'plan':
      return 'plan';
    case 'auto':
    case 'full_auto':
      return 'full_auto';
    case 'auto_edit':
      return 'auto_edit';
    default:
      return 'ask';
  }
}

export const grantIdSchema = z.string().regex(/^g-[a-z0-9-]{6,64}$/, 'not a grant id');
export type GrantId = z.infer<typeof grantIdSchema>;

/** How far "Allow for this session" reaches: the exact call, or a command's subcommand. */
export const grantScopeSchema = z.enum(['exact', 'subcommand']);
export type GrantScope = z.infer<typeof grantScopeSchema>;

/** What "Allow for this session" would allow, shown before the person chooses it. */
export const grantOfferSchema = z.object({
  scope: grantScopeSchema,
  /** In one line: `npm test`, `write_file src/a.ts`. */
  text: z.string(),
  /** Each thing it covers, in words. */
  covers: z.array(z.string()).max(100),
});
export type GrantOffer = z.infer<typeof grantOfferSchema>;

/**
 * A session grant: calls it covers are allowed without asking in this session only. It lives in
 * main's memory (never in a file or a log) and is gone when the session closes or the app quits.
 */
export const sessionGrantSchema = grantOfferSchema.extend({
  grantId: grantIdSchema,
  tool: z.string(),
  createdAt: z.string(),
});
export type SessionGrant = z.infer<typeof sessionGrantSchema>;

/** Every event of a turn. `history` carries the provider messages so a session can resume. */
export const agentEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('turn-started'),
    ...base,
    prompt: z.string(),
    provider: z.string(),
    model: z.string(),
    mode: agentModeSchema.optional(),
  }),
  z.object({ type: z.literal('text-delta'), ...base, step: z.number().int(), text: z.string() }),
  z.object({
    type: z.literal('reasoning-delta'),
    ...base,
    step: z.number().int(),
    text: z.string(),
  }),
  z.object({
    type: z.literal('retry'),
    ...base,
    step: z.number().int(),
    attempt: z.number().int().min(1),
    delayMs: z.number().int().min(0),
    reason: z.string(),
    /** Text and reasoning already streamed for this step will be sent again: drop them. */
    discardPartial: z.boolean(),
  }),
  z.object({
    type: z.literal('tool-call-started'),
    ...base,
    step: z.number().int(),
    callId: z.string(),
    tool: z.string(),
    args: z.unknown(),
  }),
  z.object({
    type: z.literal('tool-call-decided'),
    ...base,
    callId: z.string(),
    decision: decisionSchema,
    reason: z.string(),
    rule: ruleRefSchema.nullable(),
    /** The session grant that allowed a call that would have asked. */
    grant: z.object({ grantId: grantIdSchema, text: z.string() }).optional(),
  }),
  z.object({
    type: z.literal('tool-call-awaiting-approval'),
    ...base,
    callId: z.string(),
    approvalId: approvalIdSchema,
    tool: z.string(),
    /** What is asked about: the command line or the path, in one line. */
    subject: z.string(),
    reason: z.string(),
    /** True when "always allow" can be offered (shell commands only). */
    canAlwaysAllow: z.boolean(),
    /** The rule that made it ask (older logs lack it). */
    rule: ruleRefSchema.nullable().optional(),
    /** For a file-edit tool: the diff of each file it would change, worked out before approval. */
    edits: approvalEditsSchema.nullable().optional(),
    /**
     * For a file-edit tool: whether "Always allow edits in this workspace" is offered, and why
     * not when it is not (an untrusted folder, a run without a workspace file).
     */
    allowEdits: z
      .object({ offered: z.boolean(), why: z.string().nullable() })
      .nullable()
      .optional(),
    /** For a command: the sandbox it will run under if allowed (what the dialog shows runs). */
    sandbox: z
      .object({
        mode: z.enum(['read_only', 'workspace_write', 'danger_full_access']),
        network: z.enum(['allowlist_only', 'allow_all', 'block_all']),
        hosts: z.array(z.string().max(300)).max(1000),
      })
      .nullable()
      .optional(),
    /**
     * "Allow for this session": what each scope would allow, or why it is not offered (a denied
     * part, a protected file, a part that asks every time).
     */
    sessionGrant: z
      .object({ offers: z.array(grantOfferSchema).max(2), why: z.string().nullable() })
      .nullable()
      .optional(),
    /**
     * A network approval: a command of this call (or another run on the sandbox's proxy) opened a
     * connection to a host no rule covers. The call itself was already allowed; this asks about
     * the host. Answers: once (the runs named, until they end), session, always (a saved
     * allow-list entry, `target` picks the file), deny.
     */
    network: hostQuestionSchema.nullable().optional(),
  }),
  z.object({
    type: z.literal('approval-resolved'),
    ...base,
    callId: z.string(),
    approvalId: approvalIdSchema,
    outcome: z.enum(['approved-once', 'approved-always', 'approved-session', 'denied']),
    reason: z.string().nullable(),
    /** For a network approval: the host:port decided (the call goes on either way). */
    host: z.string().optional(),
  }),
  z.object({
    type: z.literal('tool-call-finished'),
    ...base,
    callId: z.string(),
    tool: z.string(),
    status: toolStatusSchema,
    durationMs: z.number().min(0),
    /** What the model was told (may be shortened for very long outputs). */
    result: z.string(),
  }),
  z.object({
    type: z.literal('file-changed'),
    ...base,
    callId: z.string(),
    changeId: z.string(),
    path: z.string(),
    /** Null when the file did not exist before (or after: a deletion). */
    before: z.string().nullable(),
    after: z.string().nullable(),
  }),
  z.object({
    type: z.literal('usage'),
    ...base,
    step: z.number().int(),
    stepUsage: agentUsageSchema,
    turnUsage: agentUsageSchema,
  }),
  z.object({
    type: z.literal('context-trimmed'),
    ...base,
    mode: z.enum(['trim', 'summary']),
    droppedMessages: z.number().int().min(0),
    tokensBefore: z.number().int().min(0),
    tokensAfter: z.number().int().min(0),
  }),
  z.object({ type: z.literal('history'), ...base, messages: z.array(z.unknown()) }),
  z.object({ type: z.literal('error'), ...base, error: agentErrorSchema }),
  z.object({
    type: z.literal('turn-finished'),
    ...base,
    outcome: turnOutcomeSchema,
    usage: agentUsageSchema,
    durationMs: z.number().min(0),
    message: z.string().nullable(),
  }),
  z.object({
    type: z.literal('change-reverted'),
    ...base,
    changeIds: z.array(z.string()),
    paths: z.array(z.string()),
  }),
  /** The session's grants changed (added or revoked). Live only: never written to the log. */
  z.object({
    type: z.literal('grants-changed'),
    ...base,
    grants: z.array(sessionGrantSchema),
  }),
]);
export type AgentEvent = z.infer<typeof agentEventSchema>;
export type AgentEventType = AgentEvent['type'];

/** The answer to an approval request; only ids main created are accepted. */
export const approvalAnswerSchema = z.discriminatedUnion('answer', [
  z.object({ approvalId: approvalIdSchema, answer: z.literal('approve-once') }),
  z.object({
    approvalId: approvalIdSchema,
    answer: z.literal('approve-always'),
    scope: z.enum(['exact', 'subcommand']).default('exact'),
    /** For a network approval: the vtcode.toml the allow-list entry goes to (the user's by default). */
    target: z.enum(['user', 'workspace']).optional(),
  }),
  /** Allow this call and, in this session only, the calls the grant of `scope` covers. */
  z.object({
    approvalId: approvalIdSchema,
    answer: z.literal('approve-session'),
    scope: grantScopeSchema.default('exact'),
  }),
  /** Allow this call and set the file-edit tools to allow in the workspace vtcode.toml. */
  z.object({ approvalId: approvalIdSchema, answer: z.literal('approve-edits') }),
  z.object({
    approvalId: approvalIdSchema,
    answer: z.literal('deny'),
    reason: z.string().max(2000).optional(),
  }),
]);
export type ApprovalAnswer = z.infer<typeof approvalAnswerSchema>;

/** One session in a list. */
export const sessionSummarySchema = z.object({
  id: sessionIdSchema,
  title: z.string(),
  workspace: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  turns: z.number().int().min(0),
  /**
   * Where the title came from: the first message (`prompt`) or a person (`user`, never replaced).
   * Absent in sessions written before titles were derived.
   */
  titleSource: z.enum(['prompt', 'user']).optional(),
});
export type SessionSummary = z.infer<typeof sessionSummarySchema>;
