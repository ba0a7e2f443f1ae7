import { useEffect, useRef, useState } from 'react';
import type { WorkspaceTrust } from '../../../shared/domain/workspace';
import { useFocusTrap } from '../../app/focus-trap';
import { useRoot } from '../../stores/root-store';

/**
 * Asked once per folder, before the agent does anything there: trust it (its vtcode.toml applies,
 * commands may write inside it) or open it read-only (its vtcode.toml only tightens; nothing
 * writes). Changeable later from the top bar.
 */
export function TrustDialog() {
  const workspace = useRoot((s) => s.workspace);
  const open = useRoot((s) => s.trustDialogOpen);
  const setTrust = useRoot((s) => s.setTrust);
  const close = useRoot((s) => s.closeTrustDialog);
  const error = useRoot((s) => s.workspaceError);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLButtonElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const trap = useFocusTrap(dialog, Boolean(workspace && open));
  useEffect(() => first.current?.focus(), [open]);
  if (!workspace || !open) return null;
  const choose = async (trust: WorkspaceTrust) => {
    setBusy(true);
    await setTrust(trust);
    setBusy(false);
  };
  const asked = workspace.trust !== null;
  return (
    <div className="modal-backdrop approval-backdrop">
      <div
        ref={dialog}
        className="modal trust-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="trust-title"
        tabIndex={-1}
        onKeyDown={(e) => {
          trap(e);
          if (e.key === 'Escape' && asked) close();
        }}
      >
        <h2 id="trust-title">Do you trust the files in this folder?</h2>
        <p className="trust-path">
          <code>{workspace.path}</code>
        </p>
        <ul className="trust-choices">
          <li>
            <strong>Trust this folder</strong>: its <code>vtcode.toml</code> rules apply, and
            commands the agent runs may write inside it (in the sandbox, with the network off unless
            you allow hosts).
          </li>
          <li>
            <strong>Open read-only</strong>: its <code>vtcode.toml</code> can only make the policy
            stricter; the agent can read and run read-only commands but cannot change any file.
          </li>
        </ul>
        <p className="muted">
          A folder you cloned from someone else can ship a <code>vtcode.toml</code> of its own.
          Either way, your API keys are never sent to an address a workspace file names.
        </p>
        {error && <p className="form-error">{error}</p>}
        <div className="modal-actions">
          {asked && (
            <button type="button" onClick={close} disabled={busy}>
              Cancel
            </button>
          )}
          <button type="button" onClick={() => void choose('read_only')} disabled={busy}>
            Open read-only
          </button>
          <button
            ref={first}
            type="button"
            className="primary"
            onClick={() => void choose('trusted')}
            disabled={busy}
          >
            Trust this folder
          </button>
        </div>
      </div>
    </div>
  );
}
