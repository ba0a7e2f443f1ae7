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
  return (
    <span className="policy-summary" aria-label="What the agent may do here">
      <span>{file}</span>{' '}
      {phrases.map((p, i) => (
        <span key={p.text}>
          {p.text}{' '}
          <span className="muted small">
            (
            <button
              type="button"
              className="link-button rule-link"
              title="Open the Policy panel at this setting"
              onClick={() => open(p.target)}
            >
              {p.key ? `${p.where}: ${p.key}` : p.where}
            </button>
            )
          </span>
          {i < phrases.length - 1 ? '; ' : '.'}
        </span>
      ))}
    </span>
  );
}
