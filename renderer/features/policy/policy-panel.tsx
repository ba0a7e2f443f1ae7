import { useRoot } from '../../stores/root-store';

/** What the agent may do in this workspace (the editable matrix comes with the policy engine). */
export function PolicyPanel({ hidden }: { hidden: boolean }) {
  const workspace = useRoot((s) => s.workspace);
  return (
    <section
      id="panel-policy"
      role="tabpanel"
      className="panel"
      aria-label="Policy"
      hidden={hidden}
    >
      <h2>Policy</h2>
      {workspace ? (
        <p className="muted small">
          {workspace.hasConfig ? (
            <>
              Rules from <code>{workspace.path}/vtcode.toml</code>.
            </>
          ) : (
            <>
              No <code>vtcode.toml</code> in this workspace: every tool asks before it runs.
            </>
          )}
        </p>
      ) : (
        <p className="muted small">Open a workspace to see and edit what the agent may do there.</p>
      )}
    </section>
  );
}
