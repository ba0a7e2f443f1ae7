import type { LintFix, LintRule } from '../../../shared/domain/policy-lint';
import type { CommandRuleList, PolicyEdit } from '../../../shared/domain/policy-edit';
import { COMMAND_RULE_LISTS } from '../../../shared/domain/command-rule-lists';
import type { VtcodeConfig } from '../../config/effective';
import { normaliseProgram } from '../normalise';
import {
  compileCommandRules,
  permissionPattern,
  splitEntryWords,
  type CompiledRule,
} from '../rules';
import { fixFor, type LintedRule } from './lint-types';

/** The command rules in force, grouped as the engine tests them, each with where it is written. */
export interface LintedRules {
  readonly deny: readonly LintedRule[];
  readonly ask: readonly LintedRule[];
  readonly allow: readonly LintedRule[];
}

/** Every `[commands]` and `[permissions]` command rule of the config, located in its file. */
export function lintedRules(config: VtcodeConfig): LintedRules {
  const compiled = compileCommandRules(config);
  const seen = new Map<string, number>();
  const locate = (rule: CompiledRule): LintedRule => {
    const ref = rule.ref;
    const permissions = ref.section.startsWith('permissions.');
    const section = permissions ? 'permissions' : ref.section;
    const list = permissions ? ref.section.slice('permissions.'.length) : ref.kind;
    const counter = `${section}\0${list}\0${ref.source.file ?? ''}`;
    const index = seen.get(counter) ?? 0;
    seen.set(counter, index + 1);
    const location: LintRule = {
      section,
      list,
      entry: ref.entry,
      file: ref.source.file,
      layer: ref.source.layer,
      index,
      tool: null,
    };
    if (permissions) {
      const glob = permissionPattern(ref.entry);
      return glob === null
        ? { compiled: rule, location, form: 'regex', pattern: ref.entry, words: [] }
        : { compiled: rule, location, form: 'glob', pattern: glob, words: [] };
    }
    if (ref.kind.endsWith('_regex'))
      return { compiled: rule, location, form: 'regex', pattern: ref.entry, words: [] };
    if (ref.kind.endsWith('_glob'))
      return { compiled: rule, location, form: 'glob', pattern: ref.entry, words: [] };
    const words = splitEntryWords(ref.entry);
    if (words.length > 0) words[0] = normaliseProgram(words[0] ?? '');
    return { compiled: rule, location, form: 'prefix', pattern: ref.entry, words };
  };
  return {
    deny: compiled.deny.map(locate),
    ask: compiled.ask.map(locate),
    allow: compiled.allow.map(locate),
  };
}

function isCommandList(list: string): list is CommandRuleList {
  return (COMMAND_RULE_LISTS as readonly string[]).includes(list);
}

/** The entries of the rule's list as its own file writes them (what a fix edits). */
export function fileEntries(config: VtcodeConfig, list: CommandRuleList, file: string | null) {
  return config.commands[list].filter((e) => e.source.file === file).map((e) => e.entry);
}

/**
 * Edits to the rule's `[commands]` list in its own file: `drop` the rule itself, `replace` it
 * with other entries, `add` entries to other lists. Null when the file cannot be saved from the
 * app (`--config`) or the rule is not a `[commands]` entry.
 */
export function commandsFix(
  config: VtcodeConfig,
  rule: LintRule,
  label: string,
  change: {
    readonly replace?: readonly string[];
    readonly add?: ReadonlyArray<{ readonly list: CommandRuleList; readonly entry: string }>;
  } = {},
): LintFix | null {
  if (rule.section !== 'commands' || !isCommandList(rule.list) || rule.index === null) return null;
  const own = fileEntries(config, rule.list, rule.file);
  if (own[rule.index] !== rule.entry) return null;
  const rest = [...own.slice(0, rule.index), ...own.slice(rule.index + 1)];
  // A replacement already in the list is not written twice.
  const replace = (change.replace ?? []).filter(
    (e, i, all) => !rest.includes(e) && all.indexOf(e) === i,
  );
  const value = [...own.slice(0, rule.index), ...replace, ...own.slice(rule.index + 1)];
  const lists = new Map<CommandRuleList, string[]>([[rule.list, value]]);
  for (const { list, entry } of change.add ?? []) {
    const current = lists.get(list) ?? fileEntries(config, list, rule.file);
    if (!current.includes(entry)) lists.set(list, [...current, entry]);
  }
  const edits: PolicyEdit[] = [...lists].map(([list, v]) => ({
    kind: 'command-rules',
    list,
    value: v,
  }));
  return fixFor(rule.layer, label, edits);
}

/** The fix that removes the rule from its file. */
export function removeFix(config: VtcodeConfig, rule: LintRule): LintFix | null {
  return commandsFix(config, rule, `remove ${rule.list} ${rule.entry}`);
}
