import {
  SEVERITY_RANK,
  type LintFinding,
  type PolicyLintResult,
} from '../../../shared/domain/policy-lint';
import type { VtcodeConfig } from '../../config/effective';
import { ignoredKeyFindings, keyFindings, overriddenListFindings } from './config-keys';
import type { LintOptions } from './lint-types';
import { matchesMoreFindings, unanchoredFindings } from './matches-more';
import { neverMatchedFindings, sealedSummary } from './never-matched';
import { overlapFindings } from './overlap';
import { lintedRules } from './rule-set';
import { runAnythingFindings } from './run-anything';
import { permissionNameFindings, toolNameFindings } from './tool-names';

export type { LintOptions } from './lint-types';

/**
 * Lint the effective policy: rules that run anything, rules that never apply or add nothing,
 * patterns that match more than they look like, rules the activity log never saw used, unknown
 * tool names, and keys nothing (or only VT Code) reads. Errors first, then warnings, then info.
 */
export function lintPolicy(config: VtcodeConfig, options: LintOptions): LintFinding[] {
  const rules = lintedRules(config);
  const anything = runAnythingFindings(config, options, rules.allow);
  // A rule that runs anything is not also reported as loose or unanchored: one finding says it.
  const loud = new Set(
    anything.filter((f) => f.severity === 'error').map((f) => JSON.stringify(f.rule)),
  );
  const quiet = rules.allow.filter((r) => !loud.has(JSON.stringify(r.location)));
  const findings = [
    ...anything,
    ...overlapFindings(config, rules),
    ...matchesMoreFindings(config, options, quiet),
    ...unanchoredFindings(config, options, quiet),
    ...(options.activity ? neverMatchedFindings(config, rules, options.activity) : []),
    ...toolNameFindings(config.layers, options),
    ...permissionNameFindings(config.layers, options),
    ...keyFindings(config),
    ...ignoredKeyFindings(config),
    ...overriddenListFindings(config),
  ];
  const seen = new Set<string>();
  const fixes = new Set<string>();
  return (
    findings
      .filter((f) => !seen.has(f.id) && seen.add(f.id))
      .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity])
      // One rule, one button: the same fix is offered by the most severe finding only.
      .map((f) => {
        if (!f.fix) return f;
        const key = JSON.stringify([f.rule ?? f.key, f.fix.target, f.fix.label]);
        if (fixes.has(key)) return { ...f, fix: null };
        fixes.add(key);
        return f;
      })
  );
}

/** Lint with the activity summary the screen and `policy lint` show. */
export function lintResult(config: VtcodeConfig, options: LintOptions): PolicyLintResult {
  return {
    findings: lintPolicy(config, options),
    activity: sealedSummary(options.activity ?? []),
  };
}
