import { useRoot } from '../../stores/root-store';

const LABEL: Record<'trusted' | 'read_only' | 'unasked', string> = {
  trusted: 'Trusted',
  read_only: 'Read-only',
  unasked: 'Not trusted',
};

/** The open folder's trust, always in view; a click changes it. */
export function TrustBadge() {
  const workspace = useRoot((s) => s.workspace);
  const openDialog = useRoot((s) => s.openTrustDialog);
  if (!workspace) return null;
  const state = workspace.trust ?? 'unasked';
  return (
    <button
      type="button"
      className={`pill trust-badge trust-${state}`}
      aria-label={`Folder trust: ${LABEL[state]}`}
      title="Whether this folder's vtcode.toml applies and the agent may write here (click to change)"
      onClick={openDialog}
    >
      {LABEL[state]}
    </button>
  );
}
