import { useEffect, useState } from 'react';
import type { RuleRef } from '../../../shared/domain/policy';
import type { BacktestChangeView, WhatIfResult } from '../../../shared/domain/policy-whatif';
import { useRoot } from '../../stores/root-store';
import { transitionGroups } from '../../stores/what-if-slice';
import { DecisionBadge } from './decision-badge';
import { useOpenPolicy } from './open-policy';
import { citeRule } from './rule-words';

/** How long the edits must rest before the log is replayed again. */
const DEBOUNCE_MS = 300;

const count = (n: number): string => n.toLocaleString();

const when = (at: string): string => {
  const date = new Date(at);
  return Number.isNaN(date.getTime())
    ? at
    : date.toLocaleString(undefined, {
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      });
};

/**
 * While the policy has unsaved edits: every past decision of this workspace the edits would
 * change, grouped by transition (allow -> ask, ...), replayed again as edits are staged.
 */
export function WhatIfPanel() {
  const edits = useRoot((s) => s.policyEdits);
  const target = useRoot((s) => s.policyTarget);
  const whatIf = useRoot((s) => s.whatIf);
  const run = useRoot((s) => s.runWhatIf);
  const [open, setOpen] = useState(true);

  useEffect(() => {
    const timer = setTimeout(() => void run(), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [edits, target, run]);

  if (Object.keys(edits).length === 0 || whatIf.state === 'idle') return null;
  const result =
    whatIf.state === 'done' ? whatIf.result : whatIf.state === 'running' ? whatIf.previous : null;

  return (
    <section
      className="what-if"
      aria-label="What-if: past decisions under your edits"
      aria-busy={whatIf.state === 'running'}
    >
      <div className="what-if-header">
        <h3>What-if</h3>
        <span className="what-if-summary small" aria-live="polite" data-testid="what-if-summary">
          {whatIf.state === 'error'
            ? 'Cannot replay past decisions under these edits.'
            : result === null
              ? 'Replaying past decisions…'
              : summary(result)}
          {whatIf.state === 'running' && result !== null && (
            <span className="muted"> Updating…</span>
          )}
        </span>
        {result !== null && result.changed > 0 && (
          <button
            type="button"
            className="link-button"
            aria-expanded={open}
            aria-controls="what-if-changes"
            onClick={() => setOpen(!open)}
          >
            {open ? 'Hide' : 'Show'}
          </button>
        )}
      </div>
      {whatIf.state === 'error' && <p className="form-error small">{whatIf.message}</p>}
      {result !== null && open && <Changes result={result} />}
      {result !== null && <Skipped result={result} />}
    </section>
  );
}

function summary(result: WhatIfResult): string {
  if (result.checked === 0) return 'No past decisions are recorded in this workspace yet.';
  const past = `${count(result.checked)} past decision${result.checked === 1 ? '' : 's'}`;
  if (result.changed === 0) return `None of ${past} would change.`;
  return `${count(result.changed)} of ${past} would change.`;
}

function Changes({ result }: { result: WhatIfResult }) {
  if (result.changed === 0) return null;
  return (
    <div id="what-if-changes" className="what-if-changes">
      {transitionGroups(result).map((g) => (
        <div key={`${g.before}->${g.after}`} className="what-if-group">
          <h4>
            <DecisionBadge decision={g.before} /> <span aria-label="becomes">→</span>{' '}
            <DecisionBadge decision={g.after} /> <span className="muted">{count(g.count)}</span>
          </h4>
          <ul aria-label={`${g.before} to ${g.after}`}>
            {g.rows.map((row) => (
              <ChangeRow key={row.id} row={row} />
            ))}
          </ul>
          {g.rows.length < g.count && (
            <p className="muted small">
              {count(g.count - g.rows.length)} older{' '}
              {g.count - g.rows.length === 1 ? 'one' : 'ones'} not listed.
            </p>
          )}
        </div>
      ))}
      {result.rows.length < result.changed && (
        <p className="muted small">
          Listing the newest {count(result.rows.length)} of {count(result.changed)}; `vtcode-desktop
          policy backtest` lists them all.
        </p>
      )}
    </div>
  );
}

function ChangeRow({ row }: { row: BacktestChangeView }) {
  return (
    <li className="what-if-row" data-testid="what-if-row">
      <div className="what-if-row-head">
        <span className="what-if-transition" aria-label={`${row.before} to ${row.after}`}>
          <DecisionBadge decision={row.before} /> → <DecisionBadge decision={row.after} />
        </span>
        <code className="what-if-subject" title={row.subject}>
          {row.subject}
        </code>
      </div>
      <div className="small muted what-if-reason">
        <time dateTime={row.at}>{when(row.at)}</time> · {row.tool} · {row.reason}
        {row.rule && <RuleKey rule={row.rule} tool={row.tool} />}
      </div>
    </li>
  );
}

/** The new rule's file and key, opening it in the matrix (the reason already says it in words). */
function RuleKey({ rule, tool }: { rule: RuleRef; tool: string }) {
  const open = useOpenPolicy();
  const { where, key, target } = citeRule(rule, tool);
  const label = key ? `${where}: ${key}` : where;
  if (!target) return <> ({label})</>;
  return (
    <>
      {' '}
      (
      <button
        type="button"
        className="link-button rule-link"
        title="Show this rule"
        onClick={() => open(target)}
      >
        {label}
      </button>
      )
    </>
  );
}

function Skipped({ result }: { result: WhatIfResult }) {
  const { unsealed, unreplayable, unreadable } = result.skipped;
  const notes = [
    unsealed > 0 &&
      `${count(unsealed)} log line${unsealed === 1 ? ' was' : 's were'} skipped: not written by this app for this workspace (copied, edited or shipped with the folder).`,
    unreplayable > 0 &&
      `${count(unreplayable)} call${unreplayable === 1 ? '' : 's'} could not be replayed (a tool this app no longer has).`,
    unreadable > 0 &&
      `${count(unreadable)} damaged log line${unreadable === 1 ? ' was' : 's were'} skipped.`,
  ].filter((n): n is string => typeof n === 'string');
  if (notes.length === 0) return null;
  return (
    <p className="muted small what-if-skipped" data-testid="what-if-skipped">
      {notes.join(' ')}
    </p>
  );
}
