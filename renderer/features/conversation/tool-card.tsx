import { memo } from 'react';
import { useRoot } from '../../stores/root-store';
import { elideLine, showInvisible } from '../approvals/subject-text';
import { DecisionBadge } from '../policy/decision-badge';
import type { ToolCallStatus, ToolCallView } from './conversation-reducer';
import { FileDiff } from './file-diff';
import { callSubject, formatDuration } from './format';
import { RuleLink } from '../policy/rule-link';

const STATUS: Record<ToolCallStatus, string> = {
  deciding: 'Checking policy',
  'awaiting-approval': 'Waiting for approval',
  running: 'Running',
  ok: 'Done',
  error: 'Failed',
  denied: 'Denied',
};

const SUMMARY_CHARS = 200;

const APPROVAL: Record<string, string> = {
  'approved-once': 'Allowed once by you',
  'approved-always': 'Always allowed by you (rule added)',
  'approved-session': 'Allowed by you for this session',
  denied: 'Denied by you',
};

/** One tool call: what ran, why it was allowed, how it went and what the model was told. */
export const ToolCard = memo(function ToolCard({ call }: { call: ToolCallView }) {
  const revertChanges = useRoot((s) => s.revertChanges);
  const subject = callSubject(call.args);
  // One line in the summary, saying what it leaves out; the arguments below hold it all.
  const line = elideLine(subject, SUMMARY_CHARS);
  return (
    <details
      className={`tool-card tool-${call.status}`}
      data-call-id={call.id}
      open={call.changes.length > 0 || undefined}
    >
      <summary>
        <span className="tool-name">{call.tool}</span>
        <code className="tool-subject" title={subject}>
          {showInvisible(line.head).text}
        </code>
        {line.marker && <span className="tool-subject-more muted small">{line.marker}</span>}
        {call.decision?.grant && (
          <span
            className="pill grant-pill"
            title={call.decision.reason}
            aria-label={`Allowed by a session grant: ${call.decision.grant}`}
          >
            Session grant
          </span>
        )}
        <span className={`tool-status status-${call.status}`}>{STATUS[call.status]}</span>
        {call.durationMs !== null && (
          <span className="muted small" aria-label="Run time">
            {/* Run time apart from the time the approval waited for a person. */}
            {formatDuration(Math.max(0, call.durationMs - (call.waitedMs ?? 0)))}
            {call.waitedMs !== null && call.waitedMs > 0 && (
              <> · waited {formatDuration(call.waitedMs)} for you</>
            )}
          </span>
        )}
      </summary>
      <dl className="tool-facts">
        <dt>Arguments</dt>
        <dd>
          <pre className="tool-args">{JSON.stringify(call.args, null, 2)}</pre>
        </dd>
        {call.decision && (
          <>
            <dt>Policy</dt>
            <dd>
              <DecisionBadge decision={call.decision.decision} /> {call.decision.reason}
              {call.decision.rule && (
                <div className="muted small">
                  From <RuleLink rule={call.decision.rule} tool={call.tool} />
                </div>
              )}
            </dd>
          </>
        )}
        {call.approval && (
          <>
            <dt>Approval</dt>
            <dd>
              {APPROVAL[call.approval.outcome] ?? call.approval.outcome}
              {call.approval.reason && <>: “{call.approval.reason}”</>}
            </dd>
          </>
        )}
        {call.network && call.network.length > 0 && (
          <>
            <dt>Network</dt>
            <dd>
              <ul className="tool-network" aria-label="Hosts asked about">
                {call.network.map((n, i) => (
                  <li key={`${i}:${n.host}`}>
                    <code>{n.host}</code>:{' '}
                    {(APPROVAL[n.outcome] ?? n.outcome).replace(
                      ' (rule added)',
                      ' (allow-list entry added)',
                    )}
                    {n.reason && <span className="muted"> ({n.reason})</span>}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {call.result !== null && (
          <>
            <dt>Result</dt>
            <dd>
              <pre className="tool-result">{call.result || '(no output)'}</pre>
            </dd>
          </>
        )}
      </dl>
      {call.changes.map((change) => (
        <FileDiff
          key={change.changeId}
          change={change}
          onRevert={(id) => void revertChanges([id])}
        />
      ))}
    </details>
  );
});
