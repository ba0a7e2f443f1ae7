import { useEffect, useState } from 'react';
import { useRoot } from '../../stores/root-store';
import { DecisionBadge } from './decision-badge';

/**
 * Type a command and see, as you type, what the policy would decide for each part: the policy
 * with your unsaved edits when there are any (checked again as they change), else the saved one.
 */
export function TryCommand() {
  const tryCommand = useRoot((s) => s.tryCommand);
  const result = useRoot((s) => s.tryResult);
  const edits = useRoot((s) => s.policyEdits);
  const target = useRoot((s) => s.policyTarget);
  const [text, setText] = useState('');

  useEffect(() => {
    const timer = setTimeout(() => void tryCommand(text), 120);
    return () => clearTimeout(timer);
  }, [text, tryCommand, edits, target]);

  return (
    <section className="policy-section" aria-label="Try a command">
      <h3>Try a command</h3>
      <input
        type="text"
        aria-label="Command to try"
        placeholder="git status && npm test"
        spellCheck={false}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      {result.state === 'done' && result.draft && (
        <p className="muted small" data-testid="try-draft-note">
          Checked against your unsaved edits.
        </p>
      )}
      <div className="try-result" aria-live="polite" data-testid="try-result">
        {result.state === 'checking' && <span className="muted small">Checking…</span>}
        {result.state === 'error' && <p className="form-error">{result.message}</p>}
        {result.state === 'done' && result.decision.kind === 'command' && (
          <>
            <div className="try-verdict" data-testid="try-verdict">
              <DecisionBadge decision={result.decision.decision} />{' '}
              <span className="small">{result.decision.reason}</span>
            </div>
            <ul className="try-parts" aria-label="Parts of the command">
              {result.decision.parts.map((part, index) => (
                <li key={`${index}:${part.text}`}>
                  <DecisionBadge decision={part.decision} /> <code>{part.command}</code>
                  <div className="small muted">{part.reason}</div>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}
