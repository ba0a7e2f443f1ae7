import { lazy, Suspense, useEffect } from 'react';
import { useRoot } from '../../stores/root-store';

// The editor and its views load as a chunk of their own (issue 18): the first screen has no open
// workspace, so no policy to edit. The chunk is asked for with the policy itself.
const loadEditor = () => import('./policy-editor');
const PolicyEditor = lazy(() => loadEditor().then((m) => ({ default: m.PolicyEditor })));

/** What the agent may do in this workspace: the editable policy, saved to vtcode.toml by main. */
export function PolicyPanel({ hidden }: { hidden: boolean }) {
  const workspacePath = useRoot((s) => s.workspace?.path ?? null);
  const policy = useRoot((s) => s.policy);
  const loadPolicy = useRoot((s) => s.loadPolicy);

  useEffect(() => {
    if (!workspacePath) return;
    void loadPolicy();
    void loadEditor();
  }, [workspacePath, loadPolicy]);

  return (
    <section
      id="panel-policy"
      role="tabpanel"
      className="panel policy-panel"
      aria-label="Policy"
      hidden={hidden}
    >
      {!workspacePath ? (
        <>
          <h2>Policy</h2>
          <p className="muted small">
            Open a workspace to see and edit what the agent may do there.
          </p>
        </>
      ) : policy.state === 'ready' ? (
        <Suspense fallback={<p className="muted small">Loading the policy…</p>}>
          <PolicyEditor />
        </Suspense>
      ) : policy.state === 'error' ? (
        <p className="form-error" role="alert">
          {policy.message}
        </p>
      ) : (
        <p className="muted small">Loading the policy…</p>
      )}
    </section>
  );
}
