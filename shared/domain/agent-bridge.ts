import { z } from 'zod';
import {
  agentEventSchema,
  agentModeSchema,
  approvalIdSchema,
  grantIdSchema,
  sessionGrantSchema,
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
  /** The session's "allow for this session" grants while it runs in main (none once reopened). */
  grants: z.array(sessionGrantSchema).optional(),
});
export type OpenedSessionView = z.infer<typeof openedSessionSchema>;

export const sendRequestSchema = z.strictObject({
  sessionId: sessionIdSchema,
  prompt: shortText(200_000).refine((v) => v.trim().length > 0, 'the message is empty'),
  /** The session's mode for this turn (the composer's picker); `ask` when left out. */
  mode: agentModeSchema.optional(),
});

export const sessionRequestSchema = z.strictObject({ sessionId: sessionIdSchema });

export const revokeGrantRequestSchema = z.strictObject({
  sessionId: sessionIdSchema,
  grantId: grantIdSchema,
});

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

/** A full-text search of the open workspace's sessions (titles, messages, tool calls). */
export const searchSessionsRequestSchema = z.strictObject({
  query: shortText(200).refine((v) => v.trim().length > 0, 'the search is empty'),
  /** At most this many sessions (default 50). */
  limit: z.number().int().min(1).max(200).optional(),
});

/** One place a search matched: the text around it, split so the match can be highlighted. */
export const sessionMatchSchema = z.object({
  where: z.enum(['title', 'user', 'assistant', 'tool']),
  /** The tool's name when `where` is `tool`; empty otherwise. */
  label: z.string(),
  before: z.string(),
  match: z.string(),
  after: z.string(),
});
export type SessionMatch = z.infer<typeof sessionMatchSchema>;

export const sessionSearchHitSchema = z.object({
  session: sessionSummarySchema,
  matches: z.array(sessionMatchSchema),
  /** Further places it matched that are not shown. */
  more: z.number().int().min(0),
});
export type SessionSearchHit = z.infer<typeof sessionSearchHitSchema>;

export const sessionSearchResultSchema = z.object({
  query: z.string(),
  hits: z.array(sessionSearchHitSchema),
  /** More sessions matched than were returned. */
  truncated: z.boolean(),
  /** Sessions whose log could not be read (left out). */
  unreadable: z.number().int().min(0),
  /** A newer search from this window overtook this one: its hits are partial; ignore them. */
  superseded: z.boolean(),
});
export type SessionSearchResult = z.infer<typeof sessionSearchResultSchema>;

/**
 * Export a session as Markdown. `to: 'file'` asks the desktop app for a save dialog (the host
 * writes the file the person chose); without it the Markdown comes back for the page to download.
 */
export const exportSessionRequestSchema = z.strictObject({
  sessionId: sessionIdSchema,
  to: z.enum(['reply', 'file']).optional(),
});

export const exportSessionResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('markdown'), markdown: z.string(), fileName: z.string() }),
  z.object({ kind: z.literal('saved'), path: z.string(), fileName: z.string() }),
  z.object({ kind: z.literal('cancelled') }),
]);
export type ExportSessionResult = z.infer<typeof exportSessionResultSchema>;
