import { memo, useState } from 'react';
import { decidingRule } from '../../../shared/domain/activity-match';
import type { ReadActivity } from '../../../shared/domain/activity-query';
import type { Decision, RuleRef } from '../../../shared/domain/policy';
import { useRoot } from '../../stores/root-store';
import { ActivityRulePreviewPanel } from './activity-rule-preview';
import {
  deciderInWords,
  offersRule,
  recordCommand,
  recordTime,
  ruleInWords,
} from './activity-words';
import { DecisionBadge } from './decision-badge';
import { useOpenPolicy } from './open-policy';
import { citeRule } from './rule-words';

const SHOW_RULE: Record<Decision, string> = {
  allow: 'Show the rule that allowed this',
  prompt: 'Show the rule that asked about this',
  deny: 'Show the rule that denied this',
};

/** One record: when, the decision, the tool, what it was about and who decided; details on demand. */
export const ActivityRow = memo(function ActivityRow({
  read,
  sessionTitle,
}: {
  read: ReadActivity;
  sessionTitle: string | null;
}) {
  const { record, sealed } = read;
  const [open, setOpen] = useState(false);
  const openPolicy = useOpenPolicy();
  const showCall = useRoot((s) => s.showCallInConversation);
  const preview = useRoot((s) => s.activityRulePreview);
  const previewRule = useRoot((s) => s.previewActivityRule);
  const rule = decidingRule(record);
  const target = rule ? citeRule(rule, record.tool).target : null;
  const command = recordCommand(record);
  const previewing = preview.state !== 'idle' && preview.recordId === record.id;
  const who = deciderInWords(record.by, record.answer);
  const detailsId = `activity-details-${record.id}`;

  return (
    <li
      className={`activity-row${sealed ? '' : ' activity-unsealed'}`}
      data-activity-id={record.id}
      aria-label={`${record.tool} ${record.decision}: ${record.subject}`}
    >
      <div className="activity-line">
        <time className="muted small" dateTime={record.at} title={record.at}>
          {recordTime(record.at)}
        </time>
        <DecisionBadge decision={record.decision} />
        <span className="activity-tool">
          {record.kind === 'approval' ? `${record.tool} · answer` : record.tool}
        </span>
        <code className="activity-subject" title={record.subject}>
          {record.subject}
        </code>
      </div>
      <div className="activity-line activity-who">
        <span className="small" title={record.reason}>
          {who}
        </span>
        {record.sessionId && (
          <span className="muted small activity-session" title={record.sessionId}>
            in {sessionTitle ?? record.sessionId}
          </span>
        )}
        {!sealed && (
          <span
            className="pill activity-unsealed-tag"
            title="This line was not written by this app for this workspace (a repository shipped it, or it was edited). It is shown, never counted."
          >
            not written by this app
          </span>
        )}
      </div>
      <div className="activity-actions">
        <button
          type="button"
          className="link-button"
          aria-expanded={open}
          aria-controls={detailsId}
          onClick={() => setOpen(!open)}
        >
          {open ? 'Hide details' : 'Details'}
        </button>
        {rule && target && (
          <button type="button" className="link-button" onClick={() => openPolicy(target)}>
            {SHOW_RULE[record.by.kind === 'rule' ? record.decision : record.policy.decision]}
          </button>
        )}
        {record.sessionId && record.callId && (
          <button
            type="button"
            className="link-button"
            aria-label="Show this call in the conversation"
            onClick={() => void showCall(record.sessionId ?? '', record.callId ?? '')}
          >
            Show in conversation
          </button>
        )}
        {sealed && command !== null && offersRule(record) && (
          <button
            type="button"
            className="link-button"
            aria-expanded={previewing}
            onClick={() => void previewRule(record, command, 'exact')}
            disabled={previewing}
          >
            Add a rule like this
          </button>
        )}
      </div>
      {open && <ActivityDetails read={read} id={detailsId} />}
      {previewing && command !== null && (
        <ActivityRulePreviewPanel record={record} command={command} />
      )}
    </li>
  );
});

function RuleWords({ rule }: { rule: RuleRef | null }) {
  if (!rule) return null;
  return <span className="muted small"> · {ruleInWords(rule)}</span>;
}

function ActivityDetails({ read, id }: { read: ReadActivity; id: string }) {
  const { record } = read;
  const changed = record.policy.decision !== record.decision || record.by.kind !== 'rule';
  return (
    <div className="activity-details" id={id}>
      <pre className="activity-full-subject">{record.subject}</pre>
      <p className="small">
        {record.kind === 'approval' ? 'Asked because: ' : ''}
        {record.reason}
      </p>
      {changed && (
        <p className="small">
          The policy itself said <DecisionBadge decision={record.policy.decision} />{' '}
          {record.policy.reason}
          <RuleWords rule={record.policy.rule} />
        </p>
      )}
      {record.note && <p className="small">What the answer did: {record.note}</p>}
      {record.parts.length > 0 && (
        <>
          <h4>Parts of the command</h4>
          <ul className="activity-parts">
            {record.parts.map((p, i) => (
              <li key={i}>
                <DecisionBadge decision={p.decision} /> <code>{p.text}</code>{' '}
                <span className="small">{p.reason}</span>
                <RuleWords rule={p.rule} />
              </li>
            ))}
          </ul>
        </>
      )}
      {record.paths.length > 0 && (
        <>
          <h4>Paths</h4>
          <ul className="activity-parts">
            {record.paths.map((p, i) => (
              <li key={i}>
                <DecisionBadge decision={p.decision} /> {p.op} <code>{p.path}</code>{' '}
                <span className="small">{p.reason}</span>
                <RuleWords rule={p.rule} />
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="muted small">
        {record.sessionId ? `Session ${record.sessionId}` : 'No session'}
        {record.turnId ? ` · turn ${record.turnId}` : ''}
        {record.callId ? ` · call ${record.callId}` : ''} · {record.at}
      </p>
    </div>
  );
}
