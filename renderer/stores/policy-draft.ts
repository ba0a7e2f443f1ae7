import type {
  CommandRule,
  ConfigLayer,
  Decision,
  PolicySnapshot,
  ToolPolicyRow,
} from '../../shared/domain/policy';
import type {
  CommandRuleList,
  PermissionRuleList,
  PolicyEdit,
} from '../../shared/domain/policy-edit';
import { parsePermissionRule } from '../../shared/domain/permission-grammar';

/*
 * Pure helpers for the policy editor: unsaved edits are kept as a map of PolicyEdit by what they
 * change, and every value shown is "the edit if there is one, else the file's".
 */

export type SaveTarget = 'workspace' | 'user';
export type PolicyEdits = Readonly<Record<string, PolicyEdit>>;

/** One edit per thing edited: a later edit of the same thing replaces the earlier one. */
export function editKey(edit: PolicyEdit): string {
  switch (edit.kind) {
    case 'tool-policy':
      return `tool-policy:${edit.tool}`;
    case 'command-rules':
    case 'permission-rules':
    case 'sensitive-paths':
      return `${edit.kind}:${edit.list}`;
    case 'default-policy':
    case 'max-tool-loops':
    case 'human-in-the-loop':
    case 'sandbox-policy':
    case 'network-policy':
    case 'network-allowlist':
    case 'network-denylist':
    case 'agent-provider':
    case 'agent-default-model':
    case 'custom-providers':
      return edit.kind;
    default: {
      const unreachable: never = edit;
      return String(unreachable);
    }
  }
}

/** Add or replace an edit. */
export function withEdit(edits: PolicyEdits, edit: PolicyEdit): PolicyEdits {
  return { ...edits, [editKey(edit)]: edit };
}

/** The `[tools.policies]` key to write for a row: the spelling already in the target file, else the tool. */
export function toolKeyFor(row: ToolPolicyRow, target: SaveTarget): string {
  if (!row.key || row.source.layer !== target) return row.tool;
  // The name after the section: an MCP tool's own name may hold dots (`mcp__srv__get.item`).
  const name = row.key.startsWith(TOOLS_POLICIES) ? row.key.slice(TOOLS_POLICIES.length) : '';
  return name === '' ? row.tool : name;
}

const TOOLS_POLICIES = 'tools.policies.';

/**
 * The decision a matrix row shows, unsaved edit included. An entry being removed leaves the tool to
 * `fallback`: the default policy as edited (read-only tools keep their built-in allow elsewhere).
 */
export function rowDecision(
  row: ToolPolicyRow,
  edits: PolicyEdits,
  target: SaveTarget,
  fallback: Decision = 'prompt',
): Decision {
  const edit = edits[`tool-policy:${toolKeyFor(row, target)}`];
  if (edit?.kind !== 'tool-policy') return row.decision;
  return edit.value ?? fallback;
}

/** True when a row's value is an unsaved edit. */
export function rowEdited(row: ToolPolicyRow, edits: PolicyEdits, target: SaveTarget): boolean {
  return `tool-policy:${toolKeyFor(row, target)}` in edits;
}

/** Entries of one `[commands]` list in one file, unsaved edit included. */
export function ruleEntries(
  snapshot: PolicySnapshot,
  edits: PolicyEdits,
  list: CommandRuleList,
  layer: ConfigLayer,
  target: SaveTarget,
): readonly string[] {
  const edit = edits[`command-rules:${list}`];
  if (layer === target && edit?.kind === 'command-rules') return edit.value;
  return snapshot.commands
    .filter((r: CommandRule) => r.kind === list && r.source.layer === layer)
    .map((r) => r.entry);
}

/** Why a rule entry would be refused, checked as the person types; null when it is fine. */
export function validateRule(list: CommandRuleList, entry: string): string | null {
  if (entry.trim() === '') return 'A rule cannot be empty.';
  if (entry.length > 2000) return 'A rule cannot be longer than 2000 characters.';
  if (list.endsWith('_regex')) {
    try {
      new RegExp(entry);
    } catch (error) {
      return `Not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return null;
}

/** Entries of one `[permissions]` list in one file, unsaved edit included. */
export function permissionEntries(
  snapshot: PolicySnapshot,
  edits: PolicyEdits,
  list: PermissionRuleList,
  layer: ConfigLayer,
  target: SaveTarget,
): readonly string[] {
  const edit = edits[`permission-rules:${list}`];
  if (layer === target && edit?.kind === 'permission-rules') return edit.value;
  // `?? []`: a snapshot from an older main has no permissions list.
  return (snapshot.permissions ?? [])
    .filter((r) => r.list === list && r.source.layer === layer)
    .map((r) => r.entry);
}

/**
 * Why a `[permissions]` rule string would be refused on Save (it does not parse, so it would be
 * ignored); null when it is a rule. Warnings (an unknown tool name) do not refuse it.
 */
export function validatePermissionRule(entry: string): string | null {
  if (entry.length > 2000) return 'A rule cannot be longer than 2000 characters.';
  const parsed = parsePermissionRule(entry);
  return parsed.ok ? null : `Not a rule: ${parsed.why}.`;
}

/** Every unsaved `[permissions]` rule that Save would refuse, named by key: `permissions.ask[2]`. */
export function invalidPermissionRules(edits: PolicyEdits): string[] {
  return Object.values(edits).flatMap((edit) =>
    edit.kind === 'permission-rules'
      ? edit.value.flatMap((entry, i) => {
          const problem = validatePermissionRule(entry);
          return problem ? [`permissions.${edit.list}[${i}]: ${problem}`] : [];
        })
      : [],
  );
}

/** A count for the Save button and the unsaved-changes marker. */
export function editCount(edits: PolicyEdits): number {
  return Object.keys(edits).length;
}
