import { z } from 'zod';
import { approvalIdSchema, diffLineSchema } from './agent';
import { hostQuestionSchema } from './host-question';
import { networkPolicySchema } from './policy';

export { hostQuestionSchema, type HostQuestion } from './host-question';

/*
 * The network commands may reach, as the UI sees it: "Try a host" in the Policy panel, the
 * question a new host raises (in the approval dialog, for agent and terminal runs alike) and the
 * "Always" preview that shows the exact change to a vtcode.toml before it is written.
 */

const port = z.number().int().min(1).max(65535);

/** A host as typed: a name, an IP literal (IPv6 in brackets or not); no scheme, path or spaces. */
const hostInput = z
  .string()
  .min(1, 'type a host')
  .max(300)
  .refine((v) => !/[\s/\\?#@]/.test(v), 'a host only: no scheme, path or spaces');

/** "Try a host": what the saved rules do with `host:port` (port 443 when left out). */
export const hostCheckRequestSchema = z.strictObject({ host: hostInput, port: port.optional() });
export type HostCheckRequest = z.infer<typeof hostCheckRequestSchema>;

export const hostCheckResultSchema = z.object({
  host: z.string(),
  port,
  decision: z.enum(['allow', 'ask', 'deny']),
  reason: z.string(),
  /** The allowlist or denylist entry that decided, with its file; null when the policy did. */
  entry: z
    .object({
      list: z.enum(['allowlist', 'denylist']),
      domain: z.string(),
      port: port.optional(),
      file: z.string().nullable(),
    })
    .nullable(),
  policy: networkPolicySchema,
});
export type HostCheckResult = z.infer<typeof hostCheckResultSchema>;

/** Which vtcode.toml "Always" writes the allow-list entry to. */
export const hostAlwaysTargetSchema = z.enum(['user', 'workspace']);
export type HostAlwaysTarget = z.infer<typeof hostAlwaysTargetSchema>;

export const hostAlwaysPreviewRequestSchema = z.strictObject({
  host: hostInput,
  port,
  target: hostAlwaysTargetSchema,
});
export type HostAlwaysPreviewRequest = z.infer<typeof hostAlwaysPreviewRequestSchema>;

/** The exact change "Always" would make, and whether the host would then be allowed. */
export const hostAlwaysPreviewSchema = z.object({
  target: hostAlwaysTargetSchema,
  file: z.string(),
  /** The file's diff: what is added (and anything the rewrite would change). */
  lines: z.array(diffLineSchema).max(2000),
  /** The host is allowed once the file says this (a workspace entry may be cut by the user's). */
  effective: z.boolean(),
  /** Why not effective, or what else to know; null when there is nothing to add. */
  note: z.string().nullable(),
  /** Why nothing can be written (no such file for this workspace, an IPv6 address ...). */
  refusal: z.string().nullable(),
});
export type HostAlwaysPreview = z.infer<typeof hostAlwaysPreviewSchema>;

/** A terminal run's host question (agent runs ask through the session's approval events). */
export const runnerHostAskSchema = hostQuestionSchema.extend({
  approvalId: approvalIdSchema,
  at: z.string(),
});
export type RunnerHostAsk = z.infer<typeof runnerHostAskSchema>;

/** A terminal host question was answered, timed out or withdrawn. */
export const runnerHostResolvedSchema = z.object({
  approvalId: approvalIdSchema,
  outcome: z.enum(['approved-once', 'approved-always', 'denied']),
  reason: z.string().nullable(),
});
export type RunnerHostResolved = z.infer<typeof runnerHostResolvedSchema>;
