import type { PolicySnapshot } from '../../../shared/domain/policy';
import type { CommandRuleList } from '../../../shared/domain/policy-edit';
import type { LintFinding } from '../../../shared/domain/policy-lint';
import { listFindings } from '../../stores/lint-fix';
import { insightValue } from '../../stores/policy-lint-slice';
import { ruleEntries, validateRule } from '../../stores/policy-draft';
import { useRoot } from '../../stores/root-store';
import { RuleList } from './rule-list';

const NO_FINDINGS: readonly LintFinding[] = [];

const LISTS: readonly { list: CommandRuleList; label: string }[] = [
  { list: 'allow_list', label: 'Allow list' },
  { list: 'deny_list', label: 'Deny list' },
  { list: 'allow_glob', label: 'Allow globs' },
  { list: 'deny_glob', label: 'Deny globs' },
  { list: 'allow_regex', label: 'Allow regexes' },
  { list: 'deny_regex', label: 'Deny regexes' },
  { list: 'approval_prefixes', label: 'Always allowed (approvals)' },
];

/** `[commands]` lists of the file being edited, with the other file's entries shown read-only. */
export function CommandRules({ snapshot }: { snapshot: PolicySnapshot }) {
  const edits = useRoot((s) => s.policyEdits);
  const target = useRoot((s) => s.policyTarget);
  const stage = useRoot((s) => s.stagePolicyEdit);
  const findings = useRoot((s) => insightValue(s.policyLint)?.findings ?? NO_FINDINGS);
  const other = target === 'workspace' ? 'user' : 'workspace';
  return (
    <section className="policy-section" aria-label="Command rules">
      <h3>Commands</h3>
      <p className="muted small">
        List entries match whole words from the start (<code>git diff</code> matches{' '}
        <code>git diff HEAD</code>); globs and regexes match the normalised command. Any deny wins.
      </p>
      {LISTS.map(({ list, label }) => (
        <RuleList
          key={list}
          label={label}
          list={list}
          validate={(entry) => validateRule(list, entry)}
          entries={ruleEntries(snapshot, edits, list, target, target)}
          inherited={ruleEntries(snapshot, edits, list, other, target)}
          inheritedFrom={other}
          onChange={(value) => stage({ kind: 'command-rules', list, value })}
          findings={{
            own: listFindings(findings, snapshot, list, target),
            inherited: listFindings(findings, snapshot, list, other),
          }}
        />
      ))}
    </section>
  );
}
