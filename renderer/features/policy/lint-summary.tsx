import type { LintFinding } from '../../../shared/domain/policy-lint';
import { findingsHeadline, hasPlace } from '../../stores/lint-fix';
import { insightValue } from '../../stores/policy-lint-slice';
import { useRoot } from '../../stores/root-store';
import { LintMarker, SeverityBadge } from './lint-marker';

/** Where a finding is, in a few words: `allow_glob *`, `[tools.policies] exec_comand`, a key. */
function placeOf(f: LintFinding): string {
  const r = f.rule;
  if (r?.section === 'tools.policies') return `[tools.policies] ${r.list}`;
  if (r) return `${r.section === 'permissions' ? '[permissions] ' : ''}${r.list} ${r.entry}`;
  return f.key ?? f.file?.split(/[\\/]/).pop() ?? '';
}

/** Scroll to a finding's marker beside its rule and focus it. */
function show(id: string): void {
  const el = document.querySelector<HTMLElement>(`[data-lint-finding="${CSS.escape(id)}"]`);
  if (!el) return;
  el.scrollIntoView({ block: 'center' });
  el.focus({ preventScroll: true });
  el.classList.add('policy-target-flash');
  setTimeout(() => el.classList.remove('policy-target-flash'), 1600);
}

/**
 * The findings of the saved policy at the top of the Rules view: how many of each severity, then
 * each one linking to its rule (the rule's own marker carries the fix), or, for findings with no
 * rule in this view (keys, `[permissions]`), the finding itself with its fix.
 */
export function LintSummary() {
  const lint = useRoot((s) => s.policyLint);
  const fixError = useRoot((s) => s.lintFixError);
  const result = insightValue(lint);
  if (!result) {
    return lint.state === 'error' ? (
      <p className="form-error small" role="alert">
        Could not check the policy: {lint.message}
      </p>
    ) : null;
  }
  const { findings } = result;
  const errors = findings.some((f) => f.severity === 'error');
  return (
    <section className="lint-summary" aria-label="Policy problems">
      <details open={errors}>
        <summary className={errors ? 'lint-headline lint-has-errors' : 'lint-headline'}>
          {findingsHeadline(findings)}
          {lint.state === 'loading' && <span className="muted small"> (checking…)</span>}
        </summary>
        <ul>
          {findings.map((f) =>
            hasPlace(f) ? (
              <li key={f.id}>
                <SeverityBadge finding={f} />{' '}
                <button
                  type="button"
                  className="link-button rule-link"
                  aria-label={`Show ${placeOf(f)} (${f.kind})`}
                  title={f.message}
                  onClick={() => show(f.id)}
                >
                  {placeOf(f)}
                </button>
                <span className="lint-summary-message small">{f.message}</span>
              </li>
            ) : (
              <li key={f.id}>
                <LintMarker finding={f} />
              </li>
            ),
          )}
        </ul>
        {result.activity.records > 0 && (
          <p className="muted small">
            Checked against {result.activity.records} recorded decisions
            {result.activity.since ? ` since ${result.activity.since.slice(0, 10)}` : ''}.
          </p>
        )}
      </details>
      {fixError && (
        <p className="form-error small" role="alert">
          {fixError}
        </p>
      )}
    </section>
  );
}
