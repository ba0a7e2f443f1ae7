import { z } from 'zod';
import { decisionSchema, ruleRefSchema } from './policy';
import { policyDraftSchema } from './policy-edit';

/*
 * What-if: this workspace's past decisions replayed under unsaved edits (the draft), compared
 * with what the policy decided then. The same facts as `policy backtest`.
 */

/** Rows a what-if answer lists at most (newest first); the counts cover every change. */
export const WHAT_IF_MAX_ROWS = 500;

/** A past decision the edited policy would make differently. */
export const backtestChangeSchema = z.object({
  id: z.string(),
  at: z.string(),
  sessionId: z.string().nullable(),
  callId: z.string().nullable(),
  tool: z.string(),
  subject: z.string(),
  before: decisionSchema,
  after: decisionSchema,
  /** Why the edited policy decides so, and its rule. */
  reason: z.string(),
  rule: ruleRefSchema.nullable(),
});
export type BacktestChangeView = z.infer<typeof backtestChangeSchema>;

export const backtestSkippedSchema = z.object({
  /** Lines this app did not seal for this workspace (shipped, edited, copied): never counted on. */
  unsealed: z.number().int().nonnegative(),
  /** Calls of a tool the app no longer has, or about something the policy does not decide. */
  unreplayable: z.number().int().nonnegative(),
  /** Sealed lines that are not activity records. */
  unreadable: z.number().int().nonnegative(),
});
export type BacktestSkipped = z.infer<typeof backtestSkippedSchema>;

export const whatIfRequestSchema = policyDraftSchema;
export type WhatIfRequest = z.infer<typeof whatIfRequestSchema>;

export const whatIfResultSchema = z.object({
  /** Past calls decided again. */
  checked: z.number().int().nonnegative(),
  /** How many would change (all of them, not only the rows listed). */
  changed: z.number().int().nonnegative(),
  /** Newest first, at most WHAT_IF_MAX_ROWS. */
  rows: z.array(backtestChangeSchema).max(WHAT_IF_MAX_ROWS),
  /** Every change counted by `before -> after`, most frequent first. */
  transitions: z.array(
    z.object({ before: decisionSchema, after: decisionSchema, count: z.number().int().positive() }),
  ),
  skipped: backtestSkippedSchema,
  /** How long it took, reading the log included. */
  ms: z.number().nonnegative(),
});
export type WhatIfResult = z.infer<typeof whatIfResultSchema>;
