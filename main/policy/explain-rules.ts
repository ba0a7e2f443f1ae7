import type { EffectiveEntry } from '../../shared/domain/policy-explain';
import type { VtcodeConfig } from '../config/effective';
import { DEFAULT_SOURCE, history, show, sourceOf } from './explain-values';

/** A setting and how to read its value in force from the effective config. */
interface Setting {
  readonly key: string;
  readonly value: (config: VtcodeConfig) => unknown;
}

const SETTINGS: readonly Setting[] = [
  { key: 'tools.default_policy', value: (c) => c.tools.defaultPolicy.value },
  { key: 'tools.max_tool_loops', value: (c) => c.tools.maxToolLoops.value },
  { key: 'security.human_in_the_loop', value: (c) => c.humanInTheLoop.value },
  { key: 'sandbox.enabled', value: (c) => c.sandbox.enabled },
  { key: 'sandbox.default_policy', value: (c) => c.sandbox.defaultPolicy },
  { key: 'sandbox.network.policy', value: (c) => c.sandbox.network.policy },
  { key: 'sandbox.network.allowlist', value: (c) => c.sandbox.network.allowlist },
  {
    key: 'sandbox.sensitive_paths.use_defaults',
    value: (c) => c.sandbox.sensitivePaths.useDefaults,
  },
  { key: 'sandbox.sensitive_paths.exceptions', value: (c) => c.sandbox.sensitivePaths.exceptions },
  { key: 'dotfile_protection.whitelist', value: (c) => c.dotfiles.whitelist },
  { key: 'permissions.audit_enabled', value: (c) => c.audit.enabled },
  {
    key: 'permissions.audit_directory',
    value: (c) => c.audit.directory ?? '(beside the sessions)',
  },
  { key: 'permissions.log_allowed_commands', value: (c) => c.audit.logAllowed },
  { key: 'permissions.log_denied_commands', value: (c) => c.audit.logDenied },
  { key: 'permissions.log_permission_prompts', value: (c) => c.audit.logPrompts },
];

/** Rule lists, in the order the policy screen shows them. */
const LISTS: readonly string[] = [
  ...['commands.allow_list', 'commands.deny_list', 'commands.allow_glob', 'commands.deny_glob'],
  ...['commands.allow_regex', 'commands.deny_regex', 'commands.approval_prefixes'],
  ...['permissions.allow', 'permissions.ask', 'permissions.deny'],
  ...['sandbox.sensitive_paths.additional', 'dotfile_protection.additional_protected_patterns'],
];

const UNTRUSTED = 'this folder is not trusted: commands run read-only whatever the files say';

function settingEntry(config: VtcodeConfig, setting: Setting): EffectiveEntry {
  const h = history(config, setting.key);
  const value = show(setting.value(config));
  const entry: EffectiveEntry = {
    id: `setting:${setting.key}`,
    kind: 'setting',
    name: setting.key,
    value,
    source: h.winner ? sourceOf(h.winner) : DEFAULT_SOURCE,
    entries: [],
    overrode: h.overrode,
    ignored: h.ignored,
    changes: [],
  };
  // Untrusted, the sandbox is read-only: the folder's trust, not a file, sets it.
  if (setting.key === 'sandbox.default_policy' && config.trust !== 'trusted') {
    const lost = h.winner
      ? [{ value: show(h.winner.value), source: sourceOf(h.winner), why: UNTRUSTED }]
      : [];
    return {
      ...entry,
      source: { layer: 'trust', file: null, key: null, line: null },
      ignored: [...entry.ignored, ...lost],
    };
  }
  return entry;
}

function listEntry(config: VtcodeConfig, key: string): EffectiveEntry {
  const h = history(config, key);
  const from = h.joined.length > 0 ? h.joined : h.winner ? [h.winner] : [];
  const entries = from.flatMap((e) =>
    (Array.isArray(e.value) ? (e.value as unknown[]) : []).map((item) => ({
      entry: String(item),
      source: sourceOf(e),
    })),
  );
  const last = from.at(-1);
  return {
    id: `list:${key}`,
    kind: 'list',
    name: key,
    value:
      entries.length === 0 ? '(none)' : `${entries.length} rule${entries.length === 1 ? '' : 's'}`,
    source: last ? sourceOf(last) : DEFAULT_SOURCE,
    entries,
    overrode: h.overrode,
    ignored: h.ignored,
    changes: [],
  };
}

/** Every setting and rule list the policy reads, with where each value came from. */
export function explainRules(config: VtcodeConfig): EffectiveEntry[] {
  return [
    ...SETTINGS.map((s) => settingEntry(config, s)),
    ...LISTS.map((key) => listEntry(config, key)),
  ];
}
