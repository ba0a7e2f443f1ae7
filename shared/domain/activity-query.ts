import { z } from 'zod';
import { activityRecordSchema } from './activity';
import { alwaysAllowRuleSchema, decisionSchema } from './policy';

/*
 * Asking the activity log: the filters the Activity view and `policy activity` share, the page
 * main answers with, and the one predicate both sides use, so a record pushed live is shown only
 * where a fresh query would list it.
 */

const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !v.includes('\0'), 'contains a NUL byte');

/** Who decided, as a filter. */
export const deciderKindSchema = z.enum(['rule', 'user', 'grant', 'mode', 'headless']);
export type DeciderKind = z.infer<typeof deciderKindSchema>;

export const ACTIVITY_PAGE_DEFAULT = 200;
export const ACTIVITY_PAGE_MAX = 500;

/** The filters of a query; each one given narrows it. */
export const activityFilterSchema = z.strictObject({
  decision: decisionSchema.optional(),
  /** The tool's canonical name, exactly. */
  tool: text(100).min(1).optional(),
  /** Text found in the deciding rule's entry, section or file. */
  rule: text(500).min(1).optional(),
  sessionId: text(200).min(1).optional(),
  /** Text found in the subject, a part, a path or the reason (case-insensitive). */
  text: text(500).min(1).optional(),
  by: deciderKindSchema.optional(),
  /** Records at or after this time (ISO 8601). */
  since: z.iso.datetime({ offset: true }).optional(),
});
export type ActivityFilter = z.infer<typeof activityFilterSchema>;

export const listActivityRequestSchema = activityFilterSchema.extend({
  limit: z.number().int().min(1).max(ACTIVITY_PAGE_MAX).default(ACTIVITY_PAGE_DEFAULT),
  /** The cursor: the id of the oldest record already shown; the page continues after it. */
  before: text(200).min(1).optional(),
});
export type ListActivityRequest = z.input<typeof listActivityRequestSchema>;

/** A record as read back, and whether this app wrote it (sealed) for this workspace. */
export const readActivitySchema = z.object({
  record: activityRecordSchema,
  sealed: z.boolean(),
});
export type ReadActivity = z.infer<typeof readActivitySchema>;

export const activityPageSchema = z.object({
  /** Newest first. */
  records: z.array(readActivitySchema),
  /** How many records match, over the whole log. */
  total: z.number().int().min(0),
  /** Matching records this app wrote, by decision: unsealed lines are never counted. */
  counts: z.object({
    allow: z.number().int().min(0),
    prompt: z.number().int().min(0),
    deny: z.number().int().min(0),
  }),
  /** More matching records after this page. */
  more: z.boolean(),
  /** Titles of the sessions the page's records name. */
  sessions: z.record(z.string(), z.string()),
  /** The audit keys in force: what is being written now. */
  logging: z.object({
    enabled: z.boolean(),
    allowed: z.boolean(),
    denied: z.boolean(),
    prompts: z.boolean(),
  }),
  /** Lines that could not be read (not JSON, not a record), at most a few. */
  warnings: z.array(z.string()),
});
export type ActivityPage = z.infer<typeof activityPageSchema>;

/** "Add a rule like this": the rules that would allow a logged command, before anything is staged. */
export const previewActivityRuleRequestSchema = z.strictObject({
  command: text(100_000).min(1),
  scope: z.enum(['exact', 'subcommand']),
});
export type PreviewActivityRuleRequest = z.infer<typeof previewActivityRuleRequestSchema>;

export const activityRulePreviewSchema = z.object({
  rules: z.array(alwaysAllowRuleSchema),
  /** Why no rule can be derived (a denied part, a part asked every time); rules is empty then. */
  refusal: z.string().nullable(),
});
export type ActivityRulePreview = z.infer<typeof activityRulePreviewSchema>;

export { decidingRule, matchesActivity } from './activity-match';
