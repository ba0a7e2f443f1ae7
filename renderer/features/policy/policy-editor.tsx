import { useEffect } from 'react';
import { useRoot } from '../../stores/root-store';
import { CommandRules } from './command-rules';
import { PermissionRules } from './permission-rules';
import { LintSummary } from './lint-summary';
import { SandboxSettings } from './sandbox-settings';
import { ToolMatrix } from './tool-matrix';
import { TryCommand } from './try-command';
import { POLICY_VIEWS } from './policy-views';
import { WhatIfPanel } from './what-if-panel';

/** The editable policy of the open workspace (a chunk of its own: see policy-panel.tsx). */
export function PolicyEditor() {
  const policy = useRoot((s) => s.policy);
  const target = useRoot((s) => s.policyTarget);
  const setTarget = useRoot((s) => s.setPolicyTarget);
  const editCount = useRoot((s) => Object.keys(s.policyEdits).length);
  const saving = useRoot((s) => s.policySaving);
  const saveError = useRoot((s) => s.policySaveError);
  const changedOnDisk = useRoot((s) => s.policyChangedOnDisk);
  const save = useRoot((s) => s.savePolicy);
  const revert = useRoot((s) => s.revertPolicy);
  const view = useRoot((s) => s.policyView);
  const setView = useRoot((s) => s.setPolicyView);
  const loadLint = useRoot((s) => s.loadPolicyLint);
  const current = policy.state === 'ready' ? policy.snapshot : null;
  // Findings are of the saved policy: read again whenever it changes (load, save, an editor).
  useEffect(() => {
    if (current) void loadLint();
  }, [current, loadLint]);
  if (policy.state !== 'ready') return null;
  const { snapshot } = policy;
  const Other = POLICY_VIEWS.find((v) => v.id === view && v.id !== 'rules')?.Component;
  const targetFile = snapshot.files.find((f) => f.layer === target);

  return (
    <div className="policy-editor">
      <div className="policy-header">
        <h2>Policy</h2>
        <label className="field inline">
          <span>Edit</span>
          <select
            aria-label="File to edit"
            value={target}
            onChange={(e) => setTarget(e.target.value as 'workspace' | 'user')}
            disabled={editCount > 0}
            title={editCount > 0 ? 'Save or revert your changes first' : undefined}
          >
            <option value="workspace">Workspace file</option>
            <option value="user">User file</option>
          </select>
        </label>
      </div>
      <p className="muted small policy-file" title={targetFile?.path}>
        {targetFile ? `${targetFile.path}${targetFile.exists ? '' : ' (will be created)'}` : ''}
      </p>
      {snapshot.issues.length > 0 && (
        <ul className="issues" role="alert" aria-label="Problems in the policy files">
          {snapshot.issues.map((issue, index) => (
            <li key={index} className={`issue-${issue.severity}`}>
              {issue.file.split('/').pop()}
              {issue.line ? `:${issue.line}` : ''} {issue.key ? <code>{issue.key}</code> : null}:{' '}
              {issue.message}
            </li>
          ))}
        </ul>
      )}
      {changedOnDisk && (
        <p className="banner-inline" role="status">
          vtcode.toml changed on disk. Your unsaved edits are kept; Revert shows the file as it is
          now.
        </p>
      )}
      {POLICY_VIEWS.length > 1 && (
        <div className="policy-views" role="tablist" aria-label="Policy views">
          {POLICY_VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              role="tab"
              aria-selected={view === v.id}
              className={view === v.id ? 'active' : undefined}
              onClick={() => setView(v.id)}
            >
              {v.label}
            </button>
          ))}
        </div>
      )}
      {Other ? (
        <Other snapshot={snapshot} />
      ) : (
        <>
          <LintSummary />
          <TryCommand />
          <ToolMatrix snapshot={snapshot} />
          <CommandRules snapshot={snapshot} />
          <PermissionRules snapshot={snapshot} />
          <SandboxSettings snapshot={snapshot} />
        </>
      )}
      {/* What the edits would change stays in view beside the rules, above Save. */}
      <div className="policy-dock">
        {!Other && <WhatIfPanel />}
        <div className="policy-footer">
          <span className={editCount > 0 ? 'unsaved' : 'muted'} aria-live="polite">
            {editCount > 0 ? `${editCount} unsaved change${editCount === 1 ? '' : 's'}` : 'Saved'}
          </span>
          {saveError && (
            <span className="form-error small" role="alert">
              {saveError}
            </span>
          )}
          <button type="button" onClick={revert} disabled={editCount === 0 || saving}>
            Revert
          </button>
          <button
            type="button"
            className="primary"
            onClick={() => void save()}
            disabled={editCount === 0 || saving}
          >
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </div>
    </div>
  );
}
