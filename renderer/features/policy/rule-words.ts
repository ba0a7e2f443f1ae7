import type { Decision, PolicySnapshot, RuleRef } from '../../../shared/domain/policy';
import type { PolicyTarget } from './open-policy';
import { permissionInWords } from '../../../shared/domain/permission-words';

/** A rule as people read it: what it says, the file and key it is written under, where it opens. */
export interface RuleCitation {
  readonly words: string;
  /** "workspace vtcode.toml", "user vtcode.toml", "built-in default". */
  readonly where: string;
  /** The key as written (`tools.policies.write_file`); null for rules with no key. */
  readonly key: string | null;
  readonly target: PolicyTarget | null;
}

const LIST_WORDS: Record<string, string> = {
  allow_list: 'the allow rule',
  deny_list: 'the deny rule',
  allow_glob: 'the allow pattern',
  deny_glob: 'the deny pattern',
  allow_regex: 'the allow expression',
  deny_regex: 'the deny expression',
  approval_prefixes: 'the command you always allowed',
};

const TOOLS_DO: Record<Decision, string> = {
  allow: 'are allowed',
  prompt: 'ask first',
  deny: 'are denied',
};

function whereOf(rule: RuleRef): string {
  switch (rule.source.layer) {
    case 'workspace':
      return 'workspace vtcode.toml';
    case 'user':
      return 'user vtcode.toml';
    case 'explicit':
      return rule.source.file?.split('/').pop() ?? '--config file';
    case 'default':
      return 'built-in default';
  }
}

/** The rule in words with its file and key; `tool` is the tool it decided (for its matrix row). */
export function citeRule(rule: RuleRef, tool: string | null = null): RuleCitation {
  const where = whereOf(rule);
  switch (rule.kind) {
    case 'tool_policy': {
      const name = rule.entry.replace(/^tools\.policies\./, '');
      const row = tool ?? name;
      return {
        words:
          name === row ? `the setting for ${row}` : `the setting for ${row} (older name ${name})`,
        where,
        key: `tools.policies.${name}`,
        target: `tool:${row}`,
      };
    }
    case 'default_policy': {
      const decision = rule.entry as Decision;
      return {
        words: `tools without their own setting ${TOOLS_DO[decision] ?? rule.entry}`,
        where,
        key: 'tools.default_policy',
        target: 'default-policy',
      };
    }
    case 'human_in_the_loop':
      return {
        words: 'no rule allows it, so you decide',
        where,
        key: 'security.human_in_the_loop',
        target: 'commands',
      };
    case 'sensitive_path':
      return {
        words: `a secret path (${rule.entry})`,
        where,
        key: 'sandbox.sensitive_paths',
        target: 'sandbox',
      };
    case 'workspace_boundary':
      return { words: 'outside the workspace', where, key: null, target: null };
    case 'permission': {
      const list = rule.section.replace(/^permissions\./, '');
      return {
        words: `the ${list} rule “${rule.entry}”`,
        where,
        key: rule.section,
        // The rule's own row; the Permission rules section when it is not listed.
        target: `rule:${rule.section}:${rule.entry}`,
      };
    }
    case 'builtin': {
      const file = rule.entry.match(/^protected: (.*)$/)?.[1];
      return {
        words: file ? `a protected file (${file})` : rule.entry,
        where,
        key: null,
        target: null,
      };
    }
    case 'allow_list':
    case 'deny_list':
    case 'allow_glob':
    case 'deny_glob':
    case 'allow_regex':
    case 'deny_regex':
    case 'approval_prefixes':
      return {
        words: `${LIST_WORDS[rule.kind]} “${rule.entry}”`,
        where,
        key: `commands.${rule.kind}`,
        // The rule's own row; the section when the row is not listed (open-policy.ts).
        target: `rule:${rule.kind}:${rule.entry}`,
      };
  }
}

const GROUPS: readonly { tools: readonly string[]; noun: string; plural: boolean }[] = [
  {
    tools: ['read_file', 'list_files', 'code_search'],
    noun: 'reading and searching files',
    plural: false,
  },
  { tools: ['write_file', 'edit_file', 'apply_patch'], noun: 'edits', plural: true },
  { tools: ['exec_command'], noun: 'commands', plural: true },
];

const VERB: Record<Decision, readonly [string, string]> = {
  allow: ['is allowed', 'are allowed'],
  prompt: ['asks first', 'ask first'],
  deny: ['is denied', 'are denied'],
};

/**
 * A `[permissions]` rule in words, for the rule lists and the Import preview: "Denies changing
 * .git/** (from the workspace root)", or why it is not understood.
 */
export function permissionRuleInWords(
  list: 'allow' | 'ask' | 'deny' | 'auto',
  entry: string,
): string {
  return permissionInWords(entry, list);
}

/** One clause of the policy in words, with the setting it comes from. */
export interface PolicyPhrase {
  readonly text: string;
  readonly where: string;
  readonly key: string | null;
  readonly target: PolicyTarget;
}

/** Where a matrix row's decision comes from, as a citation. */
function rowCitation(
  row: PolicySnapshot['tools']['matrix'][number],
  snapshot: PolicySnapshot,
): { where: string; key: string | null; target: PolicyTarget } {
  const layer = row.source.layer;
  if (row.permission) {
    const file = whereOf({ kind: 'permission', entry: '', section: '', source: row.source });
    return { where: file, key: `permissions.${row.permission.list}`, target: 'permissions' };
  }
  const where =
    layer === 'workspace'
      ? 'workspace vtcode.toml'
      : layer === 'user'
        ? 'user vtcode.toml'
        : layer === 'explicit'
          ? '--config file'
          : 'built-in default';
  if (row.key) return { where, key: row.key, target: `tool:${row.tool}` };
  // No own setting: the default policy, or the built-in rule that read-only tools are allowed.
  const readOnlyDefault =
    snapshot.tools.defaultPolicySource.layer === 'default' &&
    row.decision !== snapshot.tools.defaultPolicy;
  return readOnlyDefault
    ? { where: 'built-in: read-only tools are allowed', key: null, target: `tool:${row.tool}` }
    : { where, key: 'tools.default_policy', target: 'default-policy' };
}

/**
 * What the policy in force lets the agent do, clause by clause, each with the setting it comes
 * from: "Reading and searching files is allowed", "edits ask first", "commands ask first".
 * A group whose tools differ is said tool by tool.
 */
export function policyPhrases(snapshot: PolicySnapshot): PolicyPhrase[] {
  const rows = new Map(snapshot.tools.matrix.map((r) => [r.tool, r]));
  const out: PolicyPhrase[] = [];
  for (const g of GROUPS) {
    const present = g.tools.flatMap((t) => rows.get(t) ?? []);
    if (present.length === 0) continue;
    const same = present.every((r) => r.decision === present[0]?.decision);
    const clauses = same
      ? [{ noun: g.noun, plural: g.plural, row: present[0]! }]
      : present.map((row) => ({ noun: row.tool, plural: false, row }));
    for (const c of clauses) {
      let text = `${c.noun} ${VERB[c.row.decision][c.plural ? 1 : 0]}`;
      const allowRules = snapshot.commands.filter(
        (r) => r.kind.startsWith('allow') || r.kind === 'approval_prefixes',
      );
      if (c.row.tool === 'exec_command' && c.row.decision === 'prompt' && allowRules.length > 0)
        text += ` unless a command rule allows them`;
      out.push({ text, ...rowCitation(c.row, snapshot) });
    }
  }
  return out.map((p, i) =>
    i === 0 ? { ...p, text: `${p.text.charAt(0).toUpperCase()}${p.text.slice(1)}` } : p,
  );
}

/** The policy in one sentence: "Reading and searching files is allowed; edits ask first; …". */
export function policyInWords(snapshot: PolicySnapshot): string {
  return `${policyPhrases(snapshot)
    .map((p) => p.text)
    .join('; ')}.`;
}
