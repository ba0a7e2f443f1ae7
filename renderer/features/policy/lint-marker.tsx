import type { LintFinding } from '../../../shared/domain/policy-lint';
import { useRoot } from '../../stores/root-store';

const BADGE = { error: 'error', warning: 'warning', info: 'note' } as const;

/** A finding's severity as a small badge. */
export function SeverityBadge({ finding }: { finding: LintFinding }) {
  return <span className={`lint-badge lint-${finding.severity}`}>{BADGE[finding.severity]}</span>;
}

/**
 * A finding next to the rule it is about: severity, what is wrong, and a Fix button that stages
 * the fix as unsaved edits (the person still saves).
 */
export function LintMarker({ finding }: { finding: LintFinding }) {
  const apply = useRoot((s) => s.applyLintFix);
  const staged = useRoot(
    (s) => s.lintFixesStaged.includes(finding.id) && Object.keys(s.policyEdits).length > 0,
  );
  return (
    <div
      className={`lint-finding lint-finding-${finding.severity}`}
      data-lint-finding={finding.id}
      tabIndex={-1}
      role="note"
      aria-label={`${BADGE[finding.severity]}: ${finding.message}`}
    >
      <SeverityBadge finding={finding} /> <span className="lint-message">{finding.message}</span>
      {finding.fix &&
        (staged ? (
          <span className="muted small"> Fix staged: save to apply.</span>
        ) : (
          <button
            type="button"
            className="lint-fix"
            aria-label={`Fix: ${finding.fix.label}`}
            title={`Stage this change: ${finding.fix.label} (in the ${finding.fix.target} file)`}
            onClick={() => apply(finding)}
          >
            Fix
          </button>
        ))}
    </div>
  );
}
