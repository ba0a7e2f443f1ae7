import { z } from 'zod';
import {
  agentEventSchema,
  agentModeSchema,
  approvalIdSchema,
  sessionIdSchema,
  sessionSummarySchema,
} from './agent';
import { alwaysAllowRuleSchema } from './policy';

/*
 * Requests and replies of the agent channels. The renderer names sessions and approvals only by
 * ids main created; provider and model are free text (validated by main against the config).
 */

const shortText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !v.includes('\0'), 'contains a NUL byte');

export const sessionChoiceSchema = z.strictObject({
  provider: shortText(100).min(1).optional(),
  model: shortText(200).min(1).optional(),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
});
export type SessionChoiceInput = z.infer<typeof sessionChoiceSchema>;

export const startSessionRequestSchema = sessionChoiceSchema.extend({
  title: shortText(200).optional(),
});

export const resumeSessionRequestSchema = sessionChoiceSchema.extend({
  sessionId: sessionIdSchema,
});

/** A session opened in this window: its summary and, on resume, its past events to render. */
export const openedSessionSchema = z.object({
  session: sessionSummarySchema,
  events: z.array(agentEventSchema),
  warnings: z.array(z.string()),
});
export type OpenedSessionView = z.infer<typeof openedSessionSchema>;

export const sendRequestSchema = z.strictObject({
  sessionId: sessionIdSchema,
  prompt: shortText(200_000).refine((v) => v.trim().length > 0, 'the message is empty'),
  /** The session's mode for this turn (the composer's picker); `ask` when left out. */
  mode: agentModeSchema.optional(),
});

export const sessionRequestSchema = z.strictObject({ sessionId: sessionIdSchema });

export const renameSessionRequestSchema = z.strictObject({
  sessionId: sessionIdSchema,
  title: shortText(200).refine((v) => v.trim().length > 0, 'the title is empty'),
});

export const revertRequestSchema = z.union([
  z.strictObject({
    sessionId: sessionIdSchema,
    changeIds: z.array(z.string().min(1).max(200)).min(1).max(1000),
  }),
  z.strictObject({ sessionId: sessionIdSchema, turnId: z.string().min(1).max(200) }),
]);

export const revertResultSchema = z.object({ paths: z.array(z.string()) });

export const previewAlwaysAllowRequestSchema = z.strictObject({
  approvalId: approvalIdSchema,
  scope: z.enum(['exact', 'subcommand']),
});

/** The exact rules "Always allow" would add, shown before they are added. */
export const alwaysAllowPreviewSchema = z.object({
  rules: z.array(alwaysAllowRuleSchema),
  file: z.string(),
  /** Why no rule can be added (e.g. the command has a denied part); rules is empty then. */
  refusal: z.string().nullable(),
});
export type AlwaysAllowPreview = z.infer<typeof alwaysAllowPreviewSchema>;

/** One event of one session, pushed live. */
export const agentEventMessageSchema = z.object({
  sessionId: sessionIdSchema,
  event: agentEventSchema,
});
