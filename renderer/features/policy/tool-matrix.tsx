import type { Decision, PolicySnapshot } from '../../../shared/domain/policy';
import { rowDecision, rowEdited, toolKeyFor } from '../../stores/policy-draft';
import { useRoot } from '../../stores/root-store';
import { SourceTag } from './source-tag';

const DECISIONS: readonly Decision[] = ['allow', 'prompt', 'deny'];
const LABEL: Record<Decision, string> = { allow: 'Allow', prompt: 'Ask', deny: 'Deny' };

/** The tools × allow / ask / deny grid, with the default policy above it. */
export function ToolMatrix({ snapshot }: { snapshot: PolicySnapshot }) {
  const edits = useRoot((s) => s.policyEdits);
  const target = useRoot((s) => s.policyTarget);
  const stage = useRoot((s) => s.stagePolicyEdit);
  const defaultEdit = edits['default-policy'];
  const defaultPolicy =
    defaultEdit?.kind === 'default-policy' ? defaultEdit.value : snapshot.tools.defaultPolicy;

  return (
    <section className="policy-section" aria-label="Tools">
      <h3>Tools</h3>
      <div className="default-policy" role="radiogroup" aria-label="Default policy">
        <span className="small">Default for other tools:</span>
        {DECISIONS.map((d) => (
          <label key={d} className={`chip chip-${d}`}>
            <input
              type="radio"
              name="default-policy"
              checked={defaultPolicy === d}
              onChange={() => stage({ kind: 'default-policy', value: d })}
            />
            {LABEL[d]}
          </label>
        ))}
        <SourceTag source={snapshot.tools.defaultPolicySource} />
      </div>
      <table className="matrix">
        <thead>
          <tr>
            <th scope="col">Tool</th>
            {DECISIONS.map((d) => (
              <th key={d} scope="col">
                {LABEL[d]}
              </th>
            ))}
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {snapshot.tools.matrix.map((row) => {
            const value = rowDecision(row, edits, target);
            const edited = rowEdited(row, edits, target);
            return (
              <tr key={row.tool} className={edited ? 'edited' : ''}>
                <th
                  scope="row"
                  title={row.aliases.length > 0 ? `also: ${row.aliases.join(', ')}` : undefined}
                >
                  <code>{row.tool}</code>
                </th>
                {DECISIONS.map((d) => (
                  <td key={d}>
                    <input
                      type="radio"
                      name={`tool-${row.tool}`}
                      aria-label={`${row.tool}: ${LABEL[d]}`}
                      checked={value === d}
                      onChange={() =>
                        stage({ kind: 'tool-policy', tool: toolKeyFor(row, target), value: d })
                      }
                    />
                  </td>
                ))}
                <td>
                  {edited ? (
                    <span className="source-tag source-edited">unsaved</span>
                  ) : (
                    <SourceTag source={row.source} />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
