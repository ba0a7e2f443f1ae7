import type { Decision, Provenance, RuleKind, RuleRef } from '../../shared/domain/policy';
import type { VtcodeConfig, ListEntry } from '../config/effective';
import { compileRuleRegex } from '../config/key-specs';
import { normaliseProgram } from './normalise';
import { parsePermissionRule } from '../../shared/domain/permission-grammar';

/** A `[commands]` entry ready to test against one normalised command. */
export interface CompiledRule {
  readonly ref: RuleRef;
  readonly effect: Decision;
  test(argv: readonly string[], text: RuleText): boolean;
  /** Whether the rule names argv[index] itself (`sed -i` does, `sed` does not). */
  covers(argv: readonly string[], index: number): boolean;
}

/**
 * The texts pattern rules (globs, regexes) are tested against. `plain` joins the words with spaces,
 * so `git push 'origin feature'` and `git push origin feature` read the same; `words` quotes a word
 * that holds whitespace, a quote or a backslash, so no other argv gives the same text.
 */
export interface RuleText {
  readonly plain: string;
  readonly words: string;
}

/** The texts of one normalised argv (see RuleText). */
export function ruleText(argv: readonly string[]): RuleText {
  return { plain: argv.join(' '), words: commandText(argv) };
}

/** One word per argv word: bare when plain, quoted (as a rule entry quotes) when not. */
export function commandText(argv: readonly string[]): string {
  return argv.map((w) => (w !== '' && !/[\s'"\\]/.test(w) ? w : quoteEntryWord(w))).join(' ');
}

/** Split a rule entry into words, honouring quotes (`git commit -m 'a b'`). */
export function splitEntryWords(entry: string): string[] {
  const words: string[] = [];
  let current = '';
  let has = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < entry.length; i++) {
    const ch = entry[i] ?? '';
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < entry.length) current += entry[++i];
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (ch === '\\' && i + 1 < entry.length) {
      current += entry[++i];
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || current) words.push(current);
      current = '';
      has = false;
    } else {
      current += ch;
      has = true;
    }
  }
  if (has || current) words.push(current);
  return words;
}

/** Quote a word for a rule entry so that splitEntryWords gives it back. */
export function quoteEntryWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./~-]+$/.test(word) ? word : `'${word.replace(/'/g, `'"'"'`)}'`;
}

/** Translate a VT Code command glob into an anchored regex: `*` spans words, `?` one char. */
export function globToRegex(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] ?? '';
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        let body = glob.slice(i + 1, close);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        out += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else out += ch.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 's');
}

function prefixRule(kind: RuleKind, effect: Decision, e: ListEntry, section: string): CompiledRule {
  const words = splitEntryWords(e.entry);
  if (words.length > 0) words[0] = normaliseProgram(words[0] ?? '');
  return {
    ref: { kind, entry: e.entry, section, source: e.source },
    effect,
    test: (argv) =>
      words.length > 0 && words.length <= argv.length && words.every((w, i) => argv[i] === w),
    covers: (_argv, index) => words.length > index,
  };
}

function patternRule(
  kind: RuleKind,
  effect: Decision,
  e: ListEntry,
  section: string,
  re: RegExp,
  written: string = e.entry,
): CompiledRule {
  return {
    ref: { kind, entry: e.entry, section, source: e.source },
    effect,
    // An allow must match the unambiguous text (an exact rule covers one argv, not every argv
    // that joins to the same string); a deny or an ask matches either text.
    test:
      effect === 'allow'
        ? (_argv, text) => re.test(text.words)
        : (_argv, text) => re.test(text.plain) || re.test(text.words),
    // A pattern names an option when the option is written in it (`allow_glob = ["sed -i *"]`).
    covers: (argv, index) => (argv[index] ?? '') !== '' && written.includes(argv[index] ?? ''),
  };
}

/**
 * A `[permissions]` shell pattern as a regex: VT Code's glob (`*` spans words), and Claude's
 * `prefix:*` read as "prefix, alone or followed by more words".
 */
export function shellPatternRegex(pattern: string): RegExp {
  if (!pattern.endsWith(':*')) return globToRegex(pattern);
  const prefix = globToRegex(pattern.slice(0, -2).trimEnd()).source.slice(1, -1);
  return new RegExp(`^(?:${prefix})(?: .*)?$`, 's');
}

/** The command glob of a `[permissions]` shell rule (`exec_command(cargo check *)`; bare: `*`), else null. */
export function permissionPattern(entry: string): string | null {
  const parsed = parsePermissionRule(entry);
  if (!parsed.ok || parsed.rule.kind !== 'shell') return null;
  return parsed.rule.pattern === null ? '*' : parsed.rule.pattern.replace(/:\*$/, ' *');
}

/** The shell rules (`exec_command(...)`, bare `exec_command` or `bash`) of one list. */
function permissionRules(
  entries: readonly ListEntry[],
  section: string,
  effect: Decision,
): CompiledRule[] {
  const out: CompiledRule[] = [];
  for (const e of entries) {
    const parsed = parsePermissionRule(e.entry);
    if (!parsed.ok || parsed.rule.kind !== 'shell') continue;
    const { pattern } = parsed.rule;
    // Every command: the rule names no option, so `sed -i` and the like still ask.
    const re = pattern === null ? /^.*$/s : shellPatternRegex(pattern);
    out.push(patternRule('permission', effect, e, section, re, pattern ?? ''));
  }
  return out;
}

/** Rules grouped by effect; deny rules are tested first, then prompts, then allows. */
export interface CommandRules {
  readonly deny: readonly CompiledRule[];
  readonly ask: readonly CompiledRule[];
  readonly allow: readonly CompiledRule[];
}

/** Compile the `[commands]` and `[permissions]` lists of an effective config. */
export function compileCommandRules(config: VtcodeConfig): CommandRules {
  const c = config.commands;
  const regex = (kind: RuleKind, effect: Decision, list: readonly ListEntry[]): CompiledRule[] =>
    list.map((e) => patternRule(kind, effect, e, 'commands', compileRuleRegex(e.entry)));
  const glob = (kind: RuleKind, effect: Decision, list: readonly ListEntry[]): CompiledRule[] =>
    list.map((e) => patternRule(kind, effect, e, 'commands', globToRegex(e.entry)));
  const prefix = (kind: RuleKind, effect: Decision, list: readonly ListEntry[]): CompiledRule[] =>
    list.map((e) => prefixRule(kind, effect, e, 'commands'));
  return {
    deny: [
      ...prefix('deny_list', 'deny', c.deny_list),
      ...glob('deny_glob', 'deny', c.deny_glob),
      ...regex('deny_regex', 'deny', c.deny_regex),
      ...permissionRules(config.permissions.deny, 'permissions.deny', 'deny'),
    ],
    ask: [
      ...permissionRules(config.permissions.ask, 'permissions.ask', 'prompt'),
      ...permissionRules(config.permissions.auto, 'permissions.auto', 'prompt'),
    ],
    allow: [
      ...prefix('allow_list', 'allow', c.allow_list),
      ...prefix('approval_prefixes', 'allow', c.approval_prefixes),
      ...glob('allow_glob', 'allow', c.allow_glob),
      ...regex('allow_regex', 'allow', c.allow_regex),
      ...permissionRules(config.permissions.allow, 'permissions.allow', 'allow'),
    ],
  };
}

export const BUILTIN: Provenance = { layer: 'default', file: null };

/** A reference to a built-in safety rule (not from any file). */
export function builtinRef(entry: string): RuleRef {
  return { kind: 'builtin', entry, section: 'builtin', source: BUILTIN };
}
