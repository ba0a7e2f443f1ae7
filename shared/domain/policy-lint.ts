import { z } from 'zod';
import { configLayerSchema } from './policy';
import { policyEditSchema } from './policy-edit';

/*
 * What `policy lint` finds in the saved policy: rules that allow more than they seem to, rules
 * that can never apply, keys nothing reads. Each finding points at its rule or key and, where one
 * exists, carries a fix the policy screen stages as an unsaved edit (never written directly).
 */

export const lintSeveritySchema = z.enum(['error', 'warning', 'info']);
export type LintSeverity = z.infer<typeof lintSeveritySchema>;

export const lintKindSchema = z.enum([
  /** An allow rule that lets any program, script or inline code run. */
  'runs-anything',
  /** An allow rule that runs project scripts the agent can edit (`npm run *`, `make *`). */
  'runs-project-scripts',
  /** An allow (or ask) rule every match of which a deny (or ask) rule takes first. */
  'shadowed',
  /** A rule a broader rule of the same effect already covers. */
  'redundant',
  /** The same entry twice. */
  'duplicate',
  /** A glob or regex that matches other programs too (`ls*` matches `lsof`). */
  'matches-more',
  /** An allow regex without `^`: it matches the text anywhere in a command. */
  'unanchored-regex',
  /** A rule no recorded decision ever used. */
  'never-matched',
  /** A `[tools.policies]` name that is no tool. */
  'unknown-tool',
  /** A `[tools.policies]` name VT Code knows that this app does not have. */
  'tool-not-here',
  /** A key neither VT Code nor this app reads (a typo). */
  'unknown-key',
  /** A key VT Code reads that this app does not. */
  'vtcode-only-key',
  /** A key ignored because of the file it is in (untrusted folder, user-only key, sandbox ceiling). */
  'ignored-key',
  /** A user-file list the workspace file's list replaces (lists do not merge). */
  'overridden-list',
]);
export type LintKind = z.infer<typeof lintKindSchema>;

/** Where a rule is written: `[commands] allow_glob`, entry `*`, the third entry of that file's list. */
export const lintRuleSchema = z.object({
  /** TOML section: `commands`, `permissions`, `tools.policies`. */
  section: z.string(),
  /** The list (`allow_glob`, `deny_list`, `allow` ...) or, in `[tools.policies]`, the key. */
  list: z.string(),
  /** The entry as written (for a tool policy: its decision). */
  entry: z.string(),
  file: z.string().nullable(),
  layer: configLayerSchema,
  /** Its place in that file's list (0-based); null for a key. */
  index: z.number().int().nullable(),
  /** For `[tools.policies]`: the app tool the key means (its matrix row), else null. */
  tool: z.string().nullable().default(null),
});
export type LintRule = z.infer<typeof lintRuleSchema>;

/** A fix: edits to one file, staged in the policy screen for the person to save. */
export const lintFixSchema = z.object({
  /** What the fix does, for its button: "remove allow_glob *". */
  label: z.string(),
  edits: z.array(policyEditSchema).min(1),
  target: z.enum(['workspace', 'user']),
});
export type LintFix = z.infer<typeof lintFixSchema>;

export const lintFindingSchema = z.object({
  /** Stable across runs while the finding stands (kind, file and rule or key). */
  id: z.string(),
  severity: lintSeveritySchema,
  kind: lintKindSchema,
  /** In plain words: what is wrong and why it matters. */
  message: z.string(),
  rule: lintRuleSchema.nullable(),
  /** For key findings: the dotted key as written (`commands.alow_list`). */
  key: z.string().nullable().default(null),
  /** The file a key finding is in (rule findings name theirs in `rule`). */
  file: z.string().nullable().default(null),
  line: z.number().int().nullable().default(null),
  fix: lintFixSchema.nullable(),
});
export type LintFinding = z.infer<typeof lintFindingSchema>;

export const policyLintResultSchema = z.object({
  findings: z.array(lintFindingSchema),
  /** How much of the activity log "never matched" looked at (sealed records only). */
  activity: z.object({
    records: z.number().int().min(0),
    since: z.string().nullable(),
  }),
});
export type PolicyLintResult = z.infer<typeof policyLintResultSchema>;

export const SEVERITY_RANK: Readonly<Record<LintSeverity, number>> = {
  error: 0,
  warning: 1,
  info: 2,
};
