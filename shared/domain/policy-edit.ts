import { z } from 'zod';
import {
  decisionSchema,
  networkAllowEntrySchema,
  networkPolicySchema,
  sandboxPolicySchema,
} from './policy';
import { customProviderInputSchema, modelIdSchema } from './agent-settings';
import { COMMAND_RULE_LISTS } from './command-rule-lists';

/*
 * Edits the policy screen may save into a vtcode.toml. Each names the key as written in the file
 * (so an older spelling such as `run_pty_cmd` or `default_mode` is updated in place) and carries a
 * value of that key's type. Keys outside this list cannot be written from the renderer.
 */

const entry = z
  .string()
  .min(1, 'an empty rule')
  .max(2000, 'a rule longer than 2000 characters')
  .refine((v) => !v.includes('\0'), 'a rule contains a NUL byte');
const ruleList = z.array(entry).max(1000, 'more than 1000 rules in one list');
/**
 * A provider as `[agent] provider` names it: a builtin id, or a `[[custom_providers]]` name (VT
 * Code writes it bare; `custom:<name>` is read too). Whether it exists is checked on save.
 */
const providerName = z
  .string()
  .regex(
    /^(?:custom:)?[a-z0-9][a-z0-9._-]{0,63}$/,
    'a provider is a builtin id (openai, anthropic, ...) or a custom provider name',
  );
/** A denied host as the panel writes it: a name, `*.example.com` or an IP literal; port optional. */
export const hostDenyEntrySchema = z.strictObject({
  domain: z
    .string()
    .max(253)
    .regex(
      /^(\*\.)?[A-Za-z0-9_-]{1,63}(\.[A-Za-z0-9_-]{1,63})*$|^\[[0-9A-Fa-f:.]{2,45}\]$/,
      'a domain is a host name, *.example.com, an IPv4 address or a bracketed IPv6 address',
    ),
  port: z.number().int().min(1).max(65535).optional(),
});
export type HostDenyEntry = z.infer<typeof hostDenyEntrySchema>;

const toolKey = /^[A-Za-z0-9_-]{1,64}(?:__[A-Za-z0-9_.-]{1,64}){0,2}$/;

export { COMMAND_RULE_LISTS, type CommandRuleList } from './command-rule-lists';

/** The `[permissions]` rule lists the policy screen writes (`auto` is VT Code's; left as written). */
export const PERMISSION_RULE_LISTS = ['allow', 'ask', 'deny'] as const;
export type PermissionRuleList = (typeof PERMISSION_RULE_LISTS)[number];

export const policyEditSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('default-policy'), value: decisionSchema }),
  z.strictObject({ kind: z.literal('max-tool-loops'), value: z.number().int().min(1).max(10_000) }),
  z.strictObject({
    kind: z.literal('tool-policy'),
    /** The key as written in `[tools.policies]` (or the app's tool name for a new entry). */
    tool: z.string().regex(toolKey, 'not a tool name'),
    /** null removes the key (the default policy decides; a misspelt name goes away). */
    value: decisionSchema.nullable(),
  }),
  z.strictObject({
    kind: z.literal('command-rules'),
    list: z.enum(COMMAND_RULE_LISTS),
    value: ruleList,
  }),
  /** `[permissions] allow | ask | deny`: every rule string of that list in the file. */
  z.strictObject({
    kind: z.literal('permission-rules'),
    list: z.enum(PERMISSION_RULE_LISTS),
    value: ruleList,
  }),
  z.strictObject({ kind: z.literal('human-in-the-loop'), value: z.boolean() }),
  z.strictObject({
    kind: z.literal('sandbox-policy'),
    value: sandboxPolicySchema.exclude(['external']),
  }),
  z.strictObject({ kind: z.literal('network-policy'), value: networkPolicySchema }),
  z.strictObject({
    kind: z.literal('network-allowlist'),
    value: z.array(networkAllowEntrySchema).max(500),
  }),
  /** The target file's own `[sandbox.network] denylist` (the other file's entries stay). */
  z.strictObject({
    kind: z.literal('network-denylist'),
    value: z.array(hostDenyEntrySchema).max(500),
  }),
  z.strictObject({
    kind: z.literal('sensitive-paths'),
    list: z.enum(['additional', 'exceptions']),
    value: z.array(entry).max(500),
  }),
  /** `[agent] provider`; null removes the key (the other file or the default decides). */
  z.strictObject({ kind: z.literal('agent-provider'), value: providerName.nullable() }),
  /** `[agent] default_model`; null removes the key. */
  z.strictObject({ kind: z.literal('agent-default-model'), value: modelIdSchema.nullable() }),
  /** Every `[[custom_providers]]` entry of the file, replacing the ones it has. */
  z.strictObject({
    kind: z.literal('custom-providers'),
    value: z
      .array(customProviderInputSchema)
      .max(50, 'more than 50 custom providers')
      .refine(
        (list) => new Set(list.map((p) => p.name)).size === list.length,
        'two custom providers have the same name',
      ),
  }),
]);
export type PolicyEdit = z.infer<typeof policyEditSchema>;

export const policySaveRequestSchema = z.strictObject({
  /** Which file to write: the workspace's vtcode.toml or the user's. */
  target: z.enum(['workspace', 'user']),
  edits: z.array(policyEditSchema).min(1, 'nothing to save').max(200),
});
export type PolicySaveRequest = z.infer<typeof policySaveRequestSchema>;

/** Unsaved edits to one file: checks and the what-if run against the policy they would make. */
export const policyDraftSchema = z.strictObject({
  target: z.enum(['workspace', 'user']),
  edits: z.array(policyEditSchema).min(1, 'a draft without edits').max(200),
});
export type PolicyDraft = z.infer<typeof policyDraftSchema>;

/** "Try a command" and path checks from the policy screen; `draft`: against unsaved edits. */
export const policyCheckRequestSchema = z.union([
  z.strictObject({ command: z.string().min(1).max(100_000), draft: policyDraftSchema.optional() }),
  z.strictObject({
    path: z.string().min(1).max(4096),
    op: z.enum(['read', 'write']),
    draft: policyDraftSchema.optional(),
  }),
]);
export type PolicyCheckRequest = z.infer<typeof policyCheckRequestSchema>;
