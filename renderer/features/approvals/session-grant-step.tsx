import type { GrantOffer, GrantScope } from '../../../shared/domain/agent';

/**
 * "Allow for this session": the scope to grant and what exactly it covers, before anything is
 * granted. Kept in memory by the app for this session only; nothing is written to a file.
 */
export function SessionGrantStep({
  offers,
  scope,
  busy,
  onScope,
  onBack,
  onConfirm,
}: {
  offers: readonly GrantOffer[];
  scope: GrantScope;
  busy: boolean;
  onScope: (scope: GrantScope) => void;
  onBack: () => void;
  onConfirm: (scope: GrantScope) => void;
}) {
  const chosen = offers.find((o) => o.scope === scope) ?? offers[0] ?? null;
  return (
    <section className="always-allow session-grant" aria-label="Allow for this session">
      {offers.length > 1 && (
        <fieldset className="scope-choice">
          <legend>Allow for this session</legend>
          {offers.map((o) => (
            <label key={o.scope}>
              <input
                type="radio"
                name="session-scope"
                checked={chosen?.scope === o.scope}
                onChange={() => onScope(o.scope)}
              />
              {o.scope === 'exact'
                ? 'This exact command'
                : 'Its subcommand with other plain arguments'}
            </label>
          ))}
        </fieldset>
      )}
      {chosen && (
        <div className="always-preview">
          <p className="small">
            Until this session closes, calls like this run without asking. Nothing is saved; you can
            revoke it from the session header.
          </p>
          <ul aria-label="What the grant allows">
            {chosen.covers.map((c) => (
              <li key={c}>
                <span className="small">Allows {c}.</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="modal-actions approval-actions">
        <button type="button" onClick={onBack} disabled={busy}>
          Back
        </button>
        <button
          type="button"
          className="primary"
          disabled={!chosen || busy}
          onClick={() => chosen && onConfirm(chosen.scope)}
        >
          Allow for this session
        </button>
      </div>
    </section>
  );
}
