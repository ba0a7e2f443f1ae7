import { createHash } from 'node:crypto';
import type { AgentToolInfo, ConfigLayer } from '../../../shared/domain/policy';
import type { PolicyEdit } from '../../../shared/domain/policy-edit';
import type {
  LintFinding,
  LintFix,
  LintKind,
  LintRule,
  LintSeverity,
} from '../../../shared/domain/policy-lint';
import type { ReadRecord } from '../../activity/activity-store';
import type { PolicyEngine } from '../engine';
import type { CompiledRule } from '../rules';

/** What lint needs besides the effective config. */
export interface LintOptions {
  /** The engine of the config being linted (its guard and parser decide probe commands). */
  readonly engine: PolicyEngine;
  /** The agent's tools (the registry's rows): names in `[tools.policies]` are checked against them. */
  readonly knownTools: readonly AgentToolInfo[];
  /** The workspace's activity log; only sealed records count. Absent: "never matched" is skipped. */
  readonly activity?: readonly ReadRecord[];
  /** Program names on PATH, to say what else a loose glob matches (a fixed list is always used). */
  readonly programs?: readonly string[];
}

/** A command rule in force, where it is written, and how it is matched. */
export interface LintedRule {
  readonly compiled: CompiledRule;
  readonly location: LintRule;
  /** `prefix`: word lists; `glob`: globs and `[permissions]` patterns; `regex`. */
  readonly form: 'prefix' | 'glob' | 'regex';
  /** For `prefix`: the words (program normalised); for `glob`: the glob as matched. */
  readonly pattern: string;
  readonly words: readonly string[];
}

/** Layers from the one that applies everywhere to the one that applies here only. */
export const LAYER_RANK: Readonly<Record<ConfigLayer, number>> = {
  default: 0,
  user: 1,
  explicit: 1,
  workspace: 2,
};

/** `allow_glob \`*\``, `[tools.policies] exec_command`: how a message names a rule. */
export function ruleName(rule: LintRule): string {
  if (rule.section === 'tools.policies') return `[tools.policies] ${rule.list}`;
  if (rule.section === 'permissions') return `[permissions] ${rule.list} \`${rule.entry}\``;
  return `${rule.list} \`${rule.entry}\``;
}

/** "in the workspace file", "in the user file", "in --config". */
export function fileName(rule: { layer: ConfigLayer }): string {
  switch (rule.layer) {
    case 'workspace':
      return 'the workspace file';
    case 'user':
      return 'the user file';
    case 'explicit':
      return 'the --config file';
    case 'default':
      return 'the built-in defaults';
  }
}

/** A finding with a stable id (kind, file, rule or key). */
export function finding(input: {
  severity: LintSeverity;
  kind: LintKind;
  message: string;
  rule?: LintRule | null;
  key?: string | null;
  file?: string | null;
  line?: number | null;
  fix?: LintFix | null;
}): LintFinding {
  const rule = input.rule ?? null;
  const id = createHash('sha256')
    .update(
      JSON.stringify([
        input.kind,
        rule?.file ?? input.file ?? null,
        rule ? [rule.section, rule.list, rule.entry, rule.index] : null,
        input.key ?? null,
      ]),
    )
    .digest('hex')
    .slice(0, 16);
  return {
    id: `${input.kind}:${id}`,
    severity: input.severity,
    kind: input.kind,
    message: input.message,
    rule,
    key: input.key ?? null,
    file: input.file ?? rule?.file ?? null,
    line: input.line ?? null,
    fix: input.fix ?? null,
  };
}

/** The save target of a layer; null for `--config` and the defaults (no screen writes those). */
export function targetOf(layer: ConfigLayer): 'workspace' | 'user' | null {
  return layer === 'workspace' || layer === 'user' ? layer : null;
}

/** A fix of edits to the rule's own file, or null when that file cannot be saved from the app. */
export function fixFor(
  layer: ConfigLayer,
  label: string,
  edits: readonly PolicyEdit[],
): LintFix | null {
  const target = targetOf(layer);
  return target && edits.length > 0 ? { label, edits: [...edits], target } : null;
}

/** Levenshtein distance, capped: names further apart than `max` are not suggested. */
export function distance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? max + 1;
}

/** The closest name (distance at most 2, or 3 for long names), or null. */
export function didYouMean(name: string, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  let bestScore = Number.POSITIVE_INFINITY;
  const max = name.length >= 10 ? 3 : 2;
  for (const c of candidates) {
    if (c === name) continue;
    const d = distance(name.toLowerCase(), c.toLowerCase(), max);
    if (d <= max && d < bestScore) {
      best = c;
      bestScore = d;
    }
  }
  return best;
}
