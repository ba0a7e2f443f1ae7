import type { CommandPart, Decision, RuleRef } from '../../shared/domain/policy';
import type { PathContext } from './path-policy';
import type { CommandRules } from './rules';
import type { ParsedScript, ShellParser } from './shell-parser';

/** Everything a command decision needs; built once per effective config. */
export interface CommandContext {
  readonly parser: ShellParser;
  readonly rules: CommandRules;
  readonly paths: PathContext;
  /** What an unmatched command gets, and the rule that says so. */
  readonly fallback: {
    readonly decision: Decision;
    readonly rule: RuleRef;
    readonly reason: string;
  };
}

/** What one command line's decision has found so far. */
export interface State {
  readonly parts: CommandPart[];
  /** Parts already decided in this command line, by source text (long inputs repeat a lot). */
  readonly memo: Map<string, CommandPart[]>;
  /** Set when a decision looked at the file system, so it must not be cached. */
  usedFs: boolean;
  /** Every script read in this line: its words are what an unseen shell script may be made of. */
  readonly visible: ParsedScript[];
  /** Set when a shell runs a script the policy cannot see (a pipe, a file, stdin). */
  unseen: boolean;
  /** True while the visible text is scanned for denied commands (no scan within the scan). */
  readonly scanning: boolean;
  /** `shopt -s dotglob` may be on, so globs match dot files. */
  readonly dotglob: boolean;
}

/** A decision with its reason and rule. */
export interface Verdict {
  readonly decision: Decision;
  readonly reason: string;
  readonly rule: RuleRef | null;
}

export const RANK: Readonly<Record<Decision, number>> = { allow: 0, prompt: 1, deny: 2 };

/** The stricter of two decisions: deny beats prompt beats allow. */
export function stricter(a: Decision, b: Decision): Decision {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The stricter of two verdicts (the first when they tie); null counts as nothing to say. */
export function worse(a: Verdict | null, b: Verdict | null): Verdict | null {
  if (!a) return b;
  if (!b) return a;
  return RANK[b.decision] > RANK[a.decision] ? b : a;
}

/** One decided part of the command line. */
export function part(
  cmd: { text: string },
  argv: readonly string[],
  decision: Decision,
  reason: string,
  rule: RuleRef | null,
): CommandPart {
  return { command: argv.join(' '), argv: [...argv], text: cmd.text, decision, reason, rule };
}

/** Describe a rule for a person: "deny_glob `rm *` in /ws/vtcode.toml [commands]". */
export function describeRule(ref: RuleRef): string {
  if (ref.kind === 'builtin') return `built-in rule: ${ref.entry}`;
  if (ref.kind === 'permission') {
    const list = ref.section.replace(/^permissions\./, '');
    return `the ${list} rule \`${ref.entry}\` in ${ref.source.file ?? 'a config file'} [permissions]`;
  }
  const where = ref.source.file ? ` in ${ref.source.file} [${ref.section}]` : ' (built-in default)';
  return `${ref.kind} \`${ref.entry}\`${where}`;
}
