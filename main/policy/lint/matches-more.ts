import type { LintFinding } from '../../../shared/domain/policy-lint';
import type { VtcodeConfig } from '../../config/effective';
import { decideCommand } from '../command-policy';
import { builtinRef, quoteEntryWord, ruleText } from '../rules';
import { fileName, finding, ruleName, type LintOptions, type LintedRule } from './lint-types';
import { commandsFix } from './rule-set';

/**
 * Programs most systems have whose names start like others' (`ls`, `lsof`): the fixed part of
 * the list a loose pattern is tested against, so results do not depend on the machine alone.
 */
export const COMMON_PROGRAMS: readonly string[] = [
  ...['ls', 'lsof', 'lsblk', 'lscpu', 'lsattr', 'lsmod', 'lsusb', 'lspci', 'lsns'],
  ...['git', 'gitk', 'git-lfs', 'git-shell', 'rm', 'rmdir', 'rmmod', 'cat', 'catman'],
  ...['cp', 'cpio', 'mv', 'make', 'makepkg', 'python', 'python3', 'python3-config'],
  ...['node', 'npm', 'npx', 'cargo', 'sed', 'grep', 'egrep', 'find', 'findmnt', 'echo'],
  ...['curl', 'chmod', 'chown', 'chroot', 'pwd', 'pwdx', 'tar', 'ssh', 'ssh-keygen'],
  ...['ssh-agent', 'scp', 'kill', 'killall', 'sh', 'shred', 'shutdown', 'su', 'sudo', 'dd'],
  ...['df', 'diff', 'du', 'env', 'envsubst', 'go', 'gofmt', 'gpg', 'gpg-agent', 'mount'],
];

// The program a pattern means: its first word up to the first wildcard or regex syntax.
function stem(rule: LintedRule): string | null {
  if (rule.form === 'glob') {
    const first = rule.pattern.split(' ')[0] ?? '';
    const at = first.search(/[*?[]/);
    return at === 0 ? null : at < 0 ? first : first.slice(0, at);
  }
  if (rule.form === 'regex') {
    const body = rule.pattern.replace(/^\(\?i\)/, '');
    if (!body.startsWith('^')) return null;
    return /^[A-Za-z0-9_][A-Za-z0-9_.+-]*/.exec(body.slice(1).replace(/\\\./g, '.'))?.[0] ?? null;
  }
  return null;
}

const shown = (names: readonly string[]): string =>
  names.length <= 6
    ? names.join(', ')
    : `${names.slice(0, 6).join(', ')} and ${names.length - 6} more`;

/**
 * Allow globs and regexes whose program part matches other programs too (`ls*` matches `lsof`,
 * `^git` matches `gitk`), with the fix `ls *` plus `ls` where it is plain.
 */
export function matchesMoreFindings(
  config: VtcodeConfig,
  options: LintOptions,
  allow: readonly LintedRule[],
): LintFinding[] {
  const programs = [...new Set([...COMMON_PROGRAMS, ...(options.programs ?? [])])].sort();
  const out: LintFinding[] = [];
  for (const rule of allow) {
    const word = stem(rule);
    if (!word) continue;
    const tests = (argv: readonly string[]) => rule.compiled.test(argv, ruleText(argv));
    // A pattern that matches programs nobody has matches anything: runs-anything says so.
    if (tests(['qzx-any-program', '-x'])) continue;
    // A program the pattern matches starts with its fixed part (any case under `(?i)`).
    const lower = word.toLowerCase();
    const others = programs.filter(
      (p) =>
        p !== word &&
        (p.startsWith(word) ||
          (rule.pattern.startsWith('(?i)') && p.toLowerCase().startsWith(lower))) &&
        (tests([p]) || tests([p, '-x'])),
    );
    if (others.length === 0) continue;
    const exact = rule.form === 'glob' && rule.pattern === `${word}*`;
    const flag = rule.pattern.startsWith('(?i)') ? '(?i)' : '';
    const escaped = word.replace(/[.+]/g, '\\$&');
    const rest = rule.pattern.slice(flag.length);
    const plainRegex =
      rule.form === 'regex' && (rest === `^${escaped}` || rest === `^${escaped}.*`);
    const fix = exact
      ? commandsFix(config, rule.location, `replace ${rule.pattern} with ${word} * and ${word}`, {
          replace: [`${word} *`],
          add: [{ list: 'allow_list', entry: word }],
        })
      : plainRegex
        ? commandsFix(config, rule.location, `anchor ${rule.pattern} to ${word}`, {
            replace: [`${flag}^${escaped}( .*)?$`],
          })
        : null;
    out.push(
      finding({
        severity: 'warning',
        kind: 'matches-more',
        message: `${ruleName(rule.location)} (${fileName(rule.location)}) matches more than \`${word}\`: it also allows ${shown(others)}.${exact ? ` Write \`${word} *\` (with \`${word}\` in allow_list) to mean ${word} and its arguments.` : ''}`,
        rule: rule.location,
        fix,
      }),
    );
  }
  return out;
}

/**
 * Allow regexes without `^`: they match their text anywhere in a command, so `python3 evil.py
 * git status` passes `git status`. An error when such a command is shown to be allowed.
 */
export function unanchoredFindings(
  config: VtcodeConfig,
  options: LintOptions,
  allow: readonly LintedRule[],
): LintFinding[] {
  const out: LintFinding[] = [];
  for (const rule of allow) {
    if (rule.form !== 'regex' || rule.location.section !== 'commands') continue;
    const body = rule.pattern.replace(/^\(\?i\)/, '');
    if (body.startsWith('^')) continue;
    const tests = (argv: readonly string[]) => rule.compiled.test(argv, ruleText(argv));
    if (tests(['qzx-any-program', '-x'])) continue;
    // A witness: the regex's own text (when it is plain words) as an argument of a script run.
    const literal = /^[A-Za-z0-9_ ./:=-]+$/.test(body) ? body.trim() : null;
    let witness: string | null = null;
    if (literal) {
      const argv = ['python3', 'qzx-evil.py', ...literal.split(/\s+/)];
      const ctx = {
        parser: options.engine.parser,
        rules: { deny: [], ask: [], allow: [rule.compiled] },
        paths: options.engine.guard,
        fallback: {
          decision: 'prompt' as const,
          reason: 'no rule',
          rule: builtinRef('lint probe'),
        },
      };
      const text = argv.map(quoteEntryWord).join(' ');
      if (decideCommand(ctx, text).decision === 'allow') witness = text;
    }
    const anchored = body.endsWith('$') ? `^(?:${body})` : `^(?:${body})( .*)?$`;
    const prefix = rule.pattern.startsWith('(?i)') ? '(?i)' : '';
    out.push(
      finding({
        severity: witness ? 'error' : 'warning',
        kind: 'unanchored-regex',
        message: `${ruleName(rule.location)} (${fileName(rule.location)}) has no \`^\`, so it matches anywhere in a command${witness ? `: it allows \`${witness}\`` : ''}. Anchor it to the start of the command.`,
        rule: rule.location,
        fix: commandsFix(config, rule.location, `anchor ${rule.pattern}`, {
          replace: [`${prefix}${anchored}`],
        }),
      }),
    );
  }
  return out;
}
