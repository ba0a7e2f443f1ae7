import type { LintFinding } from '../../../shared/domain/policy-lint';
import type { VtcodeConfig } from '../../config/effective';
import { dangerousOptions } from '../dangerous-options';
import { programBasename } from '../normalise';
import { commandText, ruleText, splitEntryWords } from '../rules';
import { SHELLS } from '../shell-invocation';
import { CUSTOM_WRAPPERS, WRAPPER_SPECS } from '../wrapper-specs';
import { globIncluded, parseGlob, prefixUnion, samples, type GlobUnion } from './glob-inclusion';
import { fileName, finding, LAYER_RANK, ruleName, type LintedRule } from './lint-types';
import { removeFix, type LintedRules } from './rule-set';

const unions = new WeakMap<LintedRule, GlobUnion | null>();

/** A rule as globs over the command's text; null for regexes (and globs the walk cannot read). */
function unionOf(rule: LintedRule): GlobUnion | null {
  if (!unions.has(rule)) unions.set(rule, readUnion(rule));
  return unions.get(rule) ?? null;
}

function readUnion(rule: LintedRule): GlobUnion | null {
  if (rule.form === 'prefix')
    return rule.words.length > 0 ? prefixUnion(commandText(rule.words)) : null;
  if (rule.form === 'glob') {
    const tokens = parseGlob(rule.pattern);
    return tokens ? [tokens] : null;
  }
  return null;
}

/**
 * Whether every command `a` matches is matched by `b`: exact for word lists and globs; against a
 * regex, `b` must match every sample of `a`; a regex `a` is covered only by the same regex.
 */
export function covered(a: LintedRule, b: LintedRule): boolean {
  if (a.form === b.form && a.pattern === b.pattern) return true;
  const ua = unionOf(a);
  if (!ua) return false;
  const ub = unionOf(b);
  if (ub) return globIncluded(ua, ub).included;
  return samples(ua).every((text) => {
    const argv = splitEntryWords(text);
    return argv.length > 0 && b.compiled.test(argv, ruleText(argv));
  });
}

// Programs whose later words decide what runs (a script file, a wrapped command).
const RUNS_ITS_WORDS = new Set([
  ...SHELLS,
  ...Object.keys(WRAPPER_SPECS),
  ...Object.keys(CUSTOM_WRAPPERS),
  'find',
]);

/** The words a rule writes literally (what its `covers` can name). */
function literalWords(rule: LintedRule): string[] {
  if (rule.form === 'prefix') return [...rule.words];
  return rule.pattern
    .split(/\s+/)
    .flatMap((w) => w.split(/[*?[\]]+/))
    .filter((w) => w !== '');
}

/**
 * Whether an allow rule that names an option or a script (`sed -i`, `bash build.sh`, `git
 * difftool`) loses nothing to a broader rule: words it names that `b` does not name must be plain
 * words no option check or shell points at.
 */
function namesNothingMore(a: LintedRule, b: LintedRule): boolean {
  const words = literalWords(a);
  const program = programBasename(words[0] ?? '');
  const findings = dangerousOptions(words);
  return words.slice(1).every((w, k) => {
    const named =
      b.form === 'prefix' ? b.words.slice(1).includes(w) : b.compiled.ref.entry.includes(w);
    if (named) return true;
    if (w.startsWith('-') || w.startsWith('+') || RUNS_ITS_WORDS.has(program)) return false;
    return !findings.some((f) => f.index === k + 1);
  });
}

const VERB = { allow: 'allows', ask: 'asks about', deny: 'denies' } as const;

/**
 * Rules that never apply because a deny (or an ask) takes every command they match first, and
 * rules a broader or identical rule of the same effect already covers.
 */
export function overlapFindings(config: VtcodeConfig, rules: LintedRules): LintFinding[] {
  const out: LintFinding[] = [];
  const flagged = new Set<LintedRule>();
  const shadows: [readonly LintedRule[], readonly LintedRule[], string][] = [
    [rules.allow, [...rules.deny, ...rules.ask], 'allow'],
    [rules.ask, rules.deny, 'ask'],
  ];
  for (const [group, firsts] of shadows) {
    for (const a of group) {
      const d = firsts.find((x) => covered(a, x));
      if (!d) continue;
      flagged.add(a);
      const everywhere = LAYER_RANK[d.location.layer] <= LAYER_RANK[a.location.layer];
      const what = d.compiled.effect === 'deny' ? 'denies' : 'asks about';
      out.push(
        finding({
          severity: 'warning',
          kind: 'shadowed',
          message: `${ruleName(a.location)} (${fileName(a.location)}) never applies${everywhere ? '' : ' in this workspace'}: ${ruleName(d.location)} (${fileName(d.location)}) ${what} every command it matches first.`,
          rule: a.location,
          fix: everywhere ? removeFix(config, a.location) : null,
        }),
      );
    }
  }
  const groups: [readonly LintedRule[], keyof typeof VERB][] = [
    [rules.allow, 'allow'],
    [rules.ask, 'ask'],
    [rules.deny, 'deny'],
  ];
  for (const [group, effect] of groups) {
    group.forEach((a, i) => {
      if (flagged.has(a)) return;
      for (let j = 0; j < group.length; j++) {
        const b = group[j] as LintedRule;
        if (j === i || flagged.has(b)) continue;
        // A rule of the user file is not covered by one that applies in this workspace only.
        if (LAYER_RANK[b.location.layer] > LAYER_RANK[a.location.layer]) continue;
        if (!covered(a, b)) continue;
        if (effect === 'allow' && !namesNothingMore(a, b)) continue;
        const same = a.form === b.form && a.pattern === b.pattern;
        const equivalent = same || covered(b, a);
        // Of two rules that match the same commands, the later one (or the workspace's) goes.
        const bFirst = LAYER_RANK[b.location.layer] < LAYER_RANK[a.location.layer] || j < i;
        if (equivalent && !bFirst) continue;
        flagged.add(a);
        const sameList = same && a.location.list === b.location.list;
        out.push(
          finding({
            severity: 'info',
            kind: sameList ? 'duplicate' : 'redundant',
            message: sameList
              ? `${ruleName(a.location)} (${fileName(a.location)}) is written twice: ${fileName(b.location)} has it already.`
              : `${ruleName(a.location)} (${fileName(a.location)}) adds nothing: ${ruleName(b.location)} (${fileName(b.location)}) already ${VERB[effect]} every command it matches.`,
            rule: a.location,
            fix: removeFix(config, a.location),
          }),
        );
        return;
      }
    });
  }
  return out;
}
