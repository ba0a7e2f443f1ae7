import { z } from 'zod';
import { policyEditSchema, PERMISSION_RULE_LISTS } from './policy-edit';

/*
 * Importing permission rules from Claude Code (`.claude/settings*.json`) and Codex (`.rules`
 * files): a preview, rule by rule, of what vtcode.toml would gain; written only on confirm, and
 * then re-computed by main from the same source (the renderer only picks rows).
 */

export const importFromSchema = z.enum(['claude', 'codex']);
export type ImportFrom = z.infer<typeof importFromSchema>;

/** Largest file or pasted text read for an import. */
export const MAX_IMPORT_BYTES = 1024 * 1024;

export const importSourceSchema = z.discriminatedUnion('kind', [
  /** One of the files `detect` lists (no other path is read). */
  z.strictObject({ kind: z.literal('file'), path: z.string().min(1).max(4096) }),
  z.strictObject({
    kind: z.literal('text'),
    text: z.string().min(1, 'nothing pasted').max(MAX_IMPORT_BYTES, 'more than 1 MB of text'),
  }),
  /** Every file the tool keeps its rules in, for this workspace and this user. */
  z.strictObject({ kind: z.literal('detect') }),
]);
export type ImportSource = z.infer<typeof importSourceSchema>;

const importTarget = z.enum(['workspace', 'user']);

export const importPreviewRequestSchema = z.strictObject({
  from: importFromSchema,
  source: importSourceSchema,
  /** The file the rules would be added to (duplicates are judged against it); workspace if absent. */
  target: importTarget.optional(),
});
export type ImportPreviewRequest = z.infer<typeof importPreviewRequestSchema>;

export const importApplyRequestSchema = z.strictObject({
  from: importFromSchema,
  source: importSourceSchema,
  target: importTarget,
  /** Ids of the preview rows to add; each must be a row the preview can add. */
  accept: z
    .array(z.string().regex(/^[0-9a-f]{16}$/, 'not a row id'))
    .min(1, 'no rows chosen')
    .max(5000),
});
export type ImportApplyRequest = z.infer<typeof importApplyRequestSchema>;

/** One vtcode.toml entry a source rule becomes, and whether the file has it already. */
export const importChangeSchema = z.object({
  list: z.enum(PERMISSION_RULE_LISTS),
  entry: z.string(),
  /** Already in one of the files (or added by an earlier row): adding it changes nothing. */
  present: z.boolean(),
});
export type ImportChange = z.infer<typeof importChangeSchema>;

export const importRowSchema = z.object({
  /** Stable for the same file, place and text (apply finds the row again by it). */
  id: z.string(),
  /** The file the rule came from; null for pasted text. */
  file: z.string().nullable(),
  /** Where in it: `permissions.allow[3]`, `line 12`. */
  where: z.string(),
  /** The rule as written there. */
  source: z.string(),
  /** `new`: adds entries; `duplicate`: all of them are there already; `not-mapped`: see `why`. */
  status: z.enum(['new', 'duplicate', 'not-mapped']),
  changes: z.array(importChangeSchema),
  /** Why it is not mapped or is a duplicate; null otherwise. */
  why: z.string().nullable(),
  /** Something to know about the mapping (the Codex justification, subdomains ...). */
  note: z.string().nullable(),
  /** Said loudly: the rule allows running anything, or the source skipped every check. */
  warning: z.string().nullable(),
});
export type ImportRow = z.infer<typeof importRowSchema>;

export const importFileSchema = z.object({
  path: z.string(),
  /** read; missing (not there); refused (too big, a link out of its folder, not a file ...). */
  status: z.enum(['read', 'missing', 'refused']),
  problem: z.string().nullable(),
});
export type ImportFile = z.infer<typeof importFileSchema>;

export const importPreviewSchema = z.object({
  from: importFromSchema,
  target: importTarget,
  /** The file the rules would be written to. */
  targetFile: z.string(),
  files: z.array(importFileSchema),
  rows: z.array(importRowSchema),
  /** The edits that would add every `new` row to the target file. */
  edits: z.array(policyEditSchema),
  /** Things that hold for the whole import (an untrusted folder ignores its allow rules ...). */
  notes: z.array(z.string()),
});
export type ImportPreview = z.infer<typeof importPreviewSchema>;
