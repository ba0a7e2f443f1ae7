import type { PolicyEdit } from '../../shared/domain/policy-edit';
import { BridgeError } from '../../shared/ipc/errors';
import { parsePermissionRule } from '../../shared/domain/permission-grammar';
import { customProviderTable, parseCustomProviders } from '../config/custom-providers';
import { readLayer } from '../config/layer';
import { removeTomlValue, setTomlTables, setTomlValue } from '../config/toml-text';

/**
 * `[permissions]` rule strings that would be ignored (they do not parse), named by key: a rule
 * saved from this app always means something.
 */
function permissionRuleErrors(edits: readonly PolicyEdit[]): string[] {
  return edits.flatMap((edit) =>
    edit.kind === 'permission-rules'
      ? edit.value.flatMap((entry, i) => {
          const parsed = parsePermissionRule(entry);
          return parsed.ok
            ? []
            : [
                `permissions.${edit.list}[${i}]: ${JSON.stringify(entry)} is not a rule: ${parsed.why}`,
              ];
        })
      : [],
  );
}

/** Where an edit lands: `[section] key`, by its canonical name (older spellings resolved on save). */
function target(edit: Exclude<PolicyEdit, { kind: 'custom-providers' }>): {
  section: string;
  key: string;
  canonical: string;
} {
  const at = (section: string, key: string) => ({ section, key, canonical: `${section}.${key}` });
  switch (edit.kind) {
    case 'default-policy':
      return at('tools', 'default_policy');
    case 'max-tool-loops':
      return at('tools', 'max_tool_loops');
    case 'tool-policy':
      return at('tools.policies', edit.tool);
    case 'command-rules':
      return at('commands', edit.list);
    case 'permission-rules':
      return at('permissions', edit.list);
    case 'human-in-the-loop':
      return at('security', 'human_in_the_loop');
    case 'sandbox-policy':
      return at('sandbox', 'default_policy');
    case 'network-policy':
      return at('sandbox.network', 'policy');
    case 'network-allowlist':
      return at('sandbox.network', 'allowlist');
    case 'network-denylist':
      return at('sandbox.network', 'denylist');
    case 'sensitive-paths':
      return at('sandbox.sensitive_paths', edit.list);
    case 'agent-provider':
      return at('agent', 'provider');
    case 'agent-default-model':
      return at('agent', 'default_model');
    default: {
      const unreachable: never = edit;
      throw new Error(`unknown edit ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * A vtcode.toml's text after `edits`, exactly as a save writes it, and what is wrong with it (TOML,
 * types, decision words, regexes, custom providers). Keys the edits do not name are left exactly
 * as they were. Throws a conflict when the file as it is cannot be read (nothing can be edited).
 * Pure: the save and the draft engine (what-if) both start here.
 */
export function editedPolicyText(
  text: string,
  edits: readonly PolicyEdit[],
  source: { readonly layer: 'workspace' | 'user'; readonly file: string },
): { readonly next: string; readonly errors: readonly string[] } {
  const before = readLayer(text, source);
  if (text.trim() !== '' && !before.valid && before.values.size === 0) {
    const first = before.issues[0];
    throw new BridgeError(
      'conflict',
      `${source.file} cannot be read${first?.line ? ` (line ${first.line})` : ''}: ${first?.message ?? 'invalid TOML'}. Fix it in an editor first; nothing was saved.`,
    );
  }
  let next = text;
  for (const edit of edits) {
    if (edit.kind === 'custom-providers') {
      next = setTomlTables(next, 'custom_providers', edit.value.map(customProviderTable));
      continue;
    }
    const { section, key, canonical } = target(edit);
    // Update the key the file already uses (an older spelling stays an older spelling).
    const written = before.values.get(canonical)?.writtenKey ?? canonical;
    const at = written.lastIndexOf('.');
    const [writtenSection, writtenKey] = [
      written.slice(0, at) || section,
      written.slice(at + 1) || key,
    ];
    next =
      edit.value === null
        ? removeTomlValue(next, writtenSection, writtenKey)
        : setTomlValue(next, writtenSection, writtenKey, edit.value);
  }
  const after = readLayer(next, source);
  const errors = after.issues
    .filter((i) => i.severity === 'error')
    .map((e) => `${e.key ?? 'file'}: ${e.message}`);
  errors.push(...parseCustomProviders(next, source.file).warnings);
  errors.push(...permissionRuleErrors(edits));
  return { next, errors };
}
