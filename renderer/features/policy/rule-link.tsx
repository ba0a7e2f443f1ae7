import type { RuleRef } from '../../../shared/domain/policy';
import { useOpenPolicy } from './open-policy';
import { citeRule } from './rule-words';

/**
 * A rule in words, then its file and key as a link that opens the Policy panel at that tool or
 * rule. `linked={false}` shows the same words without the link (inside a modal dialog).
 */
export function RuleLink({
  rule,
  tool = null,
  linked = true,
}: {
  rule: RuleRef;
  tool?: string | null;
  linked?: boolean;
}) {
  const open = useOpenPolicy();
  const c = citeRule(rule, tool);
  const label = c.key ? `${c.where}: ${c.key}` : c.where;
  return (
    <span className="rule-citation">
      {c.words}{' '}
      <span className="muted small">
        (
        {linked && c.target ? (
          <button
            type="button"
            className="link-button rule-link"
            title="Open the Policy panel at this setting"
            onClick={() => c.target && open(c.target)}
          >
            {label}
          </button>
        ) : (
          label
        )}
        )
      </span>
    </span>
  );
}
