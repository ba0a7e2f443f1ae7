import { z } from 'zod';
import { agentModeSchema, sessionGrantSchema, sessionIdSchema } from './agent';

/*
 * The effective policy, value by value: what is in force, which layer set it, what it overrode,
 * what was ignored and why, and what the session's mode and grants change on top. The Policy ›
 * Effective view and `policy explain` show the same entries.
 */

/** Where a value came from: a file's layer, the built-in default, the folder's trust, the mode, a grant. */
export const explainLayerSchema = z.enum([
  'default',
  'user',
  'workspace',
  'explicit',
  'trust',
  'mode',
  'grant',
]);
export type ExplainLayer = z.infer<typeof explainLayerSchema>;

export const explainSourceSchema = z.object({
  layer: explainLayerSchema,
  file: z.string().nullable(),
  /** The key as the file writes it (an older spelling stays as written). */
  key: z.string().nullable(),
  line: z.number().int().nullable(),
});
export type ExplainSource = z.infer<typeof explainSourceSchema>;

/** A value a layer gave, shown as text (`"allow"`, `true`, `3 rules`). */
export const explainValueSchema = z.object({ value: z.string(), source: explainSourceSchema });
export type ExplainValue = z.infer<typeof explainValueSchema>;

export const effectiveEntrySchema = z.object({
  /** `tool:exec_command`, `setting:tools.default_policy`, `list:commands.allow_glob`. */
  id: z.string(),
  kind: z.enum(['tool', 'setting', 'list']),
  /** The tool, or the dotted key. */
  name: z.string(),
  /** In force, before the mode and grants. */
  value: z.string(),
  source: explainSourceSchema,
  /** For lists: each entry in force and its file (deny lists join every file's entries). */
  entries: z.array(z.object({ entry: z.string(), source: explainSourceSchema })),
  /** Values lower layers gave that this one replaced. */
  overrode: z.array(explainValueSchema),
  /** Values a file gave that were not taken, and why. */
  ignored: z.array(explainValueSchema.extend({ why: z.string() })),
  /** What the session's mode or grants make of it: "plan mode: denied". */
  changes: z.array(
    z.object({ by: z.enum(['mode', 'grant']), value: z.string(), what: z.string() }),
  ),
});
export type EffectiveEntry = z.infer<typeof effectiveEntrySchema>;

export const policyExplainRequestSchema = z.strictObject({
  /** A session running in this window: its grants are included. */
  sessionId: sessionIdSchema.optional(),
  /** The mode to explain under (the composer's); default: `[agent] default_primary_agent`. */
  mode: agentModeSchema.optional(),
});
export type PolicyExplainRequest = z.infer<typeof policyExplainRequestSchema>;

export const policyExplainSchema = z.object({
  mode: agentModeSchema,
  /** Whether the mode was asked for, or is the configured default. */
  modeFrom: z.enum(['request', 'default']),
  sessionId: z.string().nullable(),
  grants: z.array(sessionGrantSchema),
  /** One per tool the agent has (the matrix's rows). */
  tools: z.array(effectiveEntrySchema),
  /** Every setting and rule list the policy reads. */
  rules: z.array(effectiveEntrySchema),
});
export type PolicyExplain = z.infer<typeof policyExplainSchema>;
