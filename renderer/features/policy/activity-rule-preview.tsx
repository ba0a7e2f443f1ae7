import type { ActivityRecord } from '../../../shared/domain/activity';
import { useRoot } from '../../stores/root-store';
import { ruleTarget, useOpenPolicy } from './open-policy';

/**
 * "Add a rule like this": the `allow_regex` rules that would allow the command, for exactly it or
 * for its subcommand, previewed first; confirming stages them as an unsaved edit in the Rules view
 * (the person sees them there and saves), nothing is written from here.
 */
export function ActivityRulePreviewPanel({
  record,
  command,
}: {
  record: ActivityRecord;
  command: string;
}) {
  const preview = useRoot((s) => s.activityRulePreview);
  const previewRule = useRoot((s) => s.previewActivityRule);
  const close = useRoot((s) => s.closeActivityRulePreview);
  const stage = useRoot((s) => s.stageActivityRule);
  const target = useRoot((s) => s.policyTarget);
  const openPolicy = useOpenPolicy();
  if (preview.state === 'idle' || preview.recordId !== record.id) return null;

  return (
    <div className="activity-rule-preview" role="group" aria-label="Add a rule like this">
      <fieldset className="activity-scope">
        <legend className="small">Allow</legend>
        {(['exact', 'subcommand'] as const).map((scope) => (
          <label key={scope} className="small">
            <input
              type="radio"
              name={`scope-${record.id}`}
              checked={preview.scope === scope}
              onChange={() => void previewRule(record, command, scope)}
            />{' '}
            {scope === 'exact' ? 'exactly this command' : 'its subcommand with plain arguments'}
          </label>
        ))}
      </fieldset>
      {preview.state === 'loading' && <p className="muted small">Working out the rule…</p>}
      {preview.state === 'error' && (
        <p className="form-error small" role="alert">
          {preview.message}
        </p>
      )}
      {preview.state === 'ready' && preview.refusal !== null && (
        <p className="small" role="status">
          No rule can be added: {preview.refusal}.
        </p>
      )}
      {preview.state === 'ready' && preview.rules.length > 0 && (
        <>
          <ul className="activity-preview-rules" aria-label="Rules to add">
            {preview.rules.map((r) => (
              <li key={r.entry}>
                <code>{r.entry}</code> <span className="muted small">covers {r.covers}</span>
              </li>
            ))}
          </ul>
          <p className="muted small">
            Added to <code>[commands] allow_regex</code> of the {target} file as an unsaved change:
            review it in Rules, then Save.
          </p>
        </>
      )}
      <div className="button-row">
        <button
          type="button"
          className="primary"
          disabled={preview.state !== 'ready' || preview.rules.length === 0}
          onClick={() => {
            const staged = stage();
            const first = staged?.[0];
            if (first) openPolicy(ruleTarget('allow_regex', first));
          }}
        >
          Stage this rule
        </button>
        <button type="button" onClick={close}>
          Cancel
        </button>
      </div>
    </div>
  );
}
