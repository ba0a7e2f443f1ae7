import type { Decision } from '../../../shared/domain/policy';

const LABEL: Record<Decision, string> = { allow: 'Allow', prompt: 'Ask', deny: 'Deny' };

/** allow / prompt / deny as a coloured word (the colour is never the only signal). */
export function DecisionBadge({ decision }: { decision: Decision }) {
  return <span className={`decision decision-${decision}`}>{LABEL[decision]}</span>;
}
