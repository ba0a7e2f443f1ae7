import type { PolicySnapshot } from '../../../shared/domain/policy';
import type { PermissionRuleList } from '../../../shared/domain/policy-edit';
import { permissionEntries, validatePermissionRule } from '../../stores/policy-draft';
import { useRoot } from '../../stores/root-store';
import { RuleList } from './rule-list';
import { permissionRuleInWords } from './rule-words';
import { SourceTag } from './source-tag';

const LISTS: readonly { list: PermissionRuleList; label: string }[] = [
  { list: 'deny', label: 'Deny' },
  { list: 'ask', label: 'Ask' },
  { list: 'allow', label: 'Allow' },
];

/**
 * VT Code's `[permissions]` allow / ask / deny rule strings of the file being edited (the other
 * file's shown read-only), each explained in words; a rule that does not parse says why.
 */
export function PermissionRules({ snapshot }: { snapshot: PolicySnapshot }) {
  const edits = useRoot((s) => s.policyEdits);
  const target = useRoot((s) => s.policyTarget);
  const stage = useRoot((s) => s.stagePolicyEdit);
  const other = target === 'workspace' ? 'user' : 'workspace';
  const auto = (snapshot.permissions ?? []).filter((p) => p.list === 'auto');
  return (
    <section className="policy-section" aria-label="Permission rules" tabIndex={-1}>
      <h3>Permissions</h3>
      <p className="muted small">
        VT Code’s rules: <code>exec_command(cargo check *)</code>,{' '}
        <code>apply_patch(/docs/**)</code>, <code>read(.env)</code>,{' '}
        <code>WebFetch(domain:example.com)</code>, <code>mcp__server__tool</code>. Deny wins, then
        ask, then allow; an allow never opens a protected or secret file, nor anything outside the
        workspace. Paths: <code>//</code> absolute, <code>~/</code> home, <code>/</code> workspace
        root, <code>./</code> here.
      </p>
      {LISTS.map(({ list, label }) => (
        <RuleList
          key={list}
          label={`${label} rules`}
          list={`permissions.${list}`}
          validate={validatePermissionRule}
          explain={(entry) => permissionRuleInWords(list, entry)}
          entries={permissionEntries(snapshot, edits, list, target, target)}
          inherited={permissionEntries(snapshot, edits, list, other, target)}
          inheritedFrom={other}
          onChange={(value) => stage({ kind: 'permission-rules', list, value })}
        />
      ))}
      {auto.length > 0 && (
        <div className="rule-list" role="group" aria-label="Auto rules (read as ask)">
          <div className="rule-list-title">Auto (VT Code’s classifier review): asked here</div>
          <ul>
            {auto.map((p, i) => (
              <li key={`${i}:${p.entry}`} className="inherited">
                <code>{p.entry}</code> <SourceTag source={p.source} />
                <div className="rule-words small muted">
                  {permissionRuleInWords('auto', p.entry)}
                </div>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
