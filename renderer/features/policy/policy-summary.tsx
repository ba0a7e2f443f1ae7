import { useRoot } from '../../stores/root-store';
import { useOpenPolicy } from './open-policy';
import { policyPhrases } from './rule-words';
import './policy.css';

/**
 * What the live policy lets the agent do in this workspace, in words, each clause citing the
 * setting it comes from as a link to that row of the Policy panel.
 */
export function PolicySummary({ hasConfig }: { hasConfig: boolean }) {
  const snapshot = useRoot((s) => (s.policy.state === 'ready' ? s.policy.snapshot : null));
  const open = useOpenPolicy();
  const file = hasConfig
    ? 'vtcode.toml found: its policy applies.'
    : 'No vtcode.toml here: the built-in defaults apply.';
  if (!snapshot) return <span>{file}</span>;
  const phrases = policyPhrases(snapshot);
  // One sentence, then each setting it rests on once, as a link to its row.
  const sentence = phrases.map((p) => p.text).join('; ');
  const links = [
    ...new Map(phrases.map((p) => [p.key ? `${p.where}: ${p.key}` : p.where, p.target])),
  ];
  return (
    <span className="policy-summary" aria-label="What the agent may do here">
      <span>{file}</span> <span>{sentence ? `${sentence}.` : ''}</span>
      {links.length > 0 && (
        <span className="policy-summary-links muted small">
          From:{' '}
          {links.map(([label, target], i) => (
            <span key={label}>
              <button
                type="button"
                className="link-button rule-link"
                title="Open the Policy panel at this setting"
                onClick={() => open(target)}
              >
                {label}
              </button>
              {i < links.length - 1 ? ' · ' : ''}
            </span>
          ))}
        </span>
      )}
    </span>
  );
}
