import { useState } from 'react';
import { useRoot } from '../../stores/root-store';

/**
 * The open session's "allow for this session" grants: a compact toggle in the header, and when
 * open each grant's text with a Revoke button. A revoke takes effect at the agent's next call.
 */
export function SessionGrantsToggle() {
  const grants = useRoot((s) => s.sessionGrants);
  const revokeGrant = useRoot((s) => s.revokeGrant);
  const [open, setOpen] = useState(false);
  const [revoking, setRevoking] = useState<string | null>(null);
  if (grants.length === 0) return null;
  const label = `${grants.length} session grant${grants.length === 1 ? '' : 's'}`;
  const revoke = async (grantId: string) => {
    setRevoking(grantId);
    await revokeGrant(grantId);
    setRevoking(null);
  };
  return (
    <>
      <button
        type="button"
        className="pill pill-button grants-toggle"
        aria-expanded={open}
        aria-controls="session-grants-list"
        title="Calls allowed without asking until this session closes (kept in memory only)"
        onClick={() => setOpen(!open)}
      >
        {label}
      </button>
      {open && (
        <ul id="session-grants-list" className="session-grants" aria-label="Session grants">
          {grants.map((g) => (
            <li key={g.grantId}>
              <code className="grant-text" title={g.covers.join('\n')}>
                {g.text}
              </code>
              <span className="muted small">
                {g.tool === 'network'
                  ? 'network: commands may connect'
                  : g.scope === 'exact'
                    ? 'exactly this'
                    : 'subcommand, plain arguments'}
              </span>
              <button
                type="button"
                className="link-button"
                aria-label={`Revoke the grant for ${g.text}`}
                disabled={revoking === g.grantId}
                onClick={() => void revoke(g.grantId)}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
