import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ApprovalAnswer } from '../../../shared/domain/agent';
import type {
  HostAlwaysPreview,
  HostAlwaysTarget,
  HostQuestion,
} from '../../../shared/domain/network';
import { useFocusTrap } from '../../app/focus-trap';
import { errorMessage } from '../../stores/app-slice';
import { useRoot } from '../../stores/root-store';
import { DiffBody } from '../conversation/diff-body';

/** A host question as the dialog shows it, from an agent session or from the terminal. */
export interface HostQuestionView {
  readonly approvalId: string;
  readonly question: HostQuestion;
  /** agent: answered through the session's approvals; terminal: through the terminal's. */
  readonly source: 'agent' | 'terminal';
}

type AlwaysStep =
  | { readonly state: 'closed' }
  | { readonly state: 'loading'; readonly target: HostAlwaysTarget }
  | {
      readonly state: 'ready';
      readonly target: HostAlwaysTarget;
      readonly preview: HostAlwaysPreview;
    }
  | { readonly state: 'error'; readonly target: HostAlwaysTarget; readonly message: string };

function hostPort(q: HostQuestion): string {
  return `${q.host.includes(':') ? `[${q.host}]` : q.host}:${q.port}`;
}

/** Which session (by title) or the terminal started a run. */
function RunOrigin({ sessionId }: { sessionId: string | null }) {
  const title = useRoot((s) =>
    sessionId !== null && (s.sessions.state === 'ready' || s.sessions.state === 'loading')
      ? (s.sessions.list.find((x) => x.id === sessionId)?.title ?? null)
      : null,
  );
  if (sessionId === null) return <span className="muted small"> (terminal)</span>;
  return <span className="muted small"> (session{title ? ` “${title}”` : ''})</span>;
}

/**
 * The network variant of the approval dialog: a sandboxed command connected to a host no rule
 * covers, and the connection waits. Allow once (the runs named, until they end), for this session,
 * always (an allow-list entry, shown as a diff of the file first), or deny.
 */
export function NetworkApprovalForm({ view, count }: { view: HostQuestionView; count: number }) {
  const answerAgent = useRoot((s) => s.answerApproval);
  const answerTerminal = useRoot((s) => s.answerHostAsk);
  const previewHostAlways = useRoot((s) => s.previewHostAlways);
  const [busy, setBusy] = useState(false);
  const [always, setAlways] = useState<AlwaysStep>({ state: 'closed' });
  const dialogRef = useRef<HTMLDivElement>(null);
  const q = view.question;
  const where = hostPort(q);
  const titleId = `approval-title-${view.approvalId}`;

  const send = async (answer: ApprovalAnswer) => {
    if (busy) return;
    setBusy(true);
    const ok = await (view.source === 'agent' ? answerAgent(answer) : answerTerminal(answer));
    if (!ok) setBusy(false);
  };
  const id = view.approvalId;
  const allowOnce = () => send({ approvalId: id, answer: 'approve-once' });
  const allowSession = () => send({ approvalId: id, answer: 'approve-session', scope: 'exact' });
  const deny = () => send({ approvalId: id, answer: 'deny' });
  const confirmAlways = (target: HostAlwaysTarget) =>
    send({ approvalId: id, answer: 'approve-always', scope: 'exact', target });
  const preview = async (target: HostAlwaysTarget) => {
    setAlways({ state: 'loading', target });
    try {
      setAlways({
        state: 'ready',
        target,
        preview: await previewHostAlways(q.host, q.port, target),
      });
    } catch (error) {
      setAlways({ state: 'error', target, message: errorMessage(error) });
    }
  };

  useEffect(() => dialogRef.current?.focus(), []);
  const trap = useFocusTrap(dialogRef);
  const onKeyDown = (e: KeyboardEvent) => {
    trap(e);
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.code === 'KeyA') void allowOnce();
    else if (e.code === 'KeyD') void deny();
    else if (e.code === 'KeyS' && q.canSession && always.state === 'closed') void allowSession();
    else if (e.code === 'KeyW' && always.state === 'closed') void preview('user');
    else return;
    e.preventDefault();
  };

  return (
    <div className="modal-backdrop approval-backdrop">
      <div
        ref={dialogRef}
        className="modal approval-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <div className="approval-head">
          <h2 id={titleId}>Allow a connection to {where}?</h2>
          {count > 1 && (
            <span className="pill" aria-label={`Approval 1 of ${count}`}>
              1 of {count}
            </span>
          )}
        </div>
        <p className="small">
          A sandboxed command is connecting to a host no network rule covers. The connection waits
          for your answer.
        </p>
        <dl className="approval-facts">
          <dt>Host</dt>
          <dd>
            <code>{q.host}</code>
          </dd>
          <dt>Port</dt>
          <dd>{q.port}</dd>
          <dt>{q.runs.length === 1 ? 'Command' : 'Commands'}</dt>
          <dd>
            <ul className="network-runs" aria-label="Commands that may have connected">
              {q.runs.map((r) => (
                <li key={r.runId}>
                  <code>{r.command}</code>
                  <RunOrigin sessionId={r.sessionId} />
                </li>
              ))}
            </ul>
            {q.runs.length > 1 && (
              <div className="muted small">
                The sandbox cannot tell which of these connected: your answer applies to all of
                them.
              </div>
            )}
          </dd>
          <dt>Why it asks</dt>
          <dd>{q.reason}</dd>
        </dl>
        {always.state === 'closed' ? (
          <>
            <p className="muted small approval-edits-note">
              Allow once: for {q.runs.length === 1 ? 'this command' : 'these commands'} until{' '}
              {q.runs.length === 1 ? 'it ends' : 'they end'}.
              {q.canSession && ' For this session: every command of the session, until it closes.'}
            </p>
            <div className="modal-actions approval-actions">
              <button
                type="button"
                aria-keyshortcuts="Alt+D"
                disabled={busy}
                onClick={() => void deny()}
              >
                Deny <kbd aria-hidden="true">Alt+D</kbd>
              </button>
              {q.canSession && (
                <button
                  type="button"
                  aria-keyshortcuts="Alt+S"
                  disabled={busy}
                  onClick={() => void allowSession()}
                >
                  Allow for this session <kbd aria-hidden="true">Alt+S</kbd>
                </button>
              )}
              <button
                type="button"
                aria-keyshortcuts="Alt+W"
                disabled={busy}
                onClick={() => void preview('user')}
              >
                Always allow <kbd aria-hidden="true">Alt+W</kbd>
              </button>
              <button
                type="button"
                className="primary"
                aria-keyshortcuts="Alt+A"
                disabled={busy}
                onClick={() => void allowOnce()}
              >
                Allow once <kbd aria-hidden="true">Alt+A</kbd>
              </button>
            </div>
          </>
        ) : (
          <AlwaysHostStep
            step={always}
            busy={busy}
            where={where}
            onTarget={(target) => void preview(target)}
            onBack={() => setAlways({ state: 'closed' })}
            onConfirm={(target) => void confirmAlways(target)}
          />
        )}
      </div>
    </div>
  );
}

/** "Always": which file, and the exact change to it, before anything is written. */
function AlwaysHostStep({
  step,
  busy,
  where,
  onTarget,
  onBack,
  onConfirm,
}: {
  step: Exclude<AlwaysStep, { state: 'closed' }>;
  busy: boolean;
  where: string;
  onTarget: (target: HostAlwaysTarget) => void;
  onBack: () => void;
  onConfirm: (target: HostAlwaysTarget) => void;
}) {
  const ready = step.state === 'ready' ? step.preview : null;
  const canConfirm = ready !== null && ready.refusal === null;
  return (
    <section className="always-allow" aria-label="Always allow this host">
      <fieldset className="scope-choice">
        <legend>Add {where} to the allow-list of</legend>
        {(['user', 'workspace'] as const).map((target) => (
          <label key={target}>
            <input
              type="radio"
              name="host-always-target"
              checked={step.target === target}
              onChange={() => onTarget(target)}
            />
            {target === 'user' ? 'Your user settings' : 'This workspace'}
          </label>
        ))}
      </fieldset>
      {step.state === 'loading' && <p className="muted small">Working out the change…</p>}
      {step.state === 'error' && (
        <p className="form-error" role="alert">
          {step.message}
        </p>
      )}
      {ready?.refusal && (
        <p className="form-error" role="alert">
          Nothing can be written: {ready.refusal}
        </p>
      )}
      {ready && ready.refusal === null && (
        <div className="always-preview">
          <p className="small">
            {ready.lines.length === 0 ? 'No change to' : 'Changes'} <code>{ready.file}</code>
            {ready.lines.length === 0 ? '' : ', exactly as shown:'}
          </p>
          {ready.lines.length > 0 && (
            <DiffBody lines={ready.lines} label={`Change to ${ready.file}`} />
          )}
          {ready.note && (
            <p className={ready.effective ? 'muted small' : 'form-error small'} role="note">
              {ready.effective
                ? ready.note
                : `This entry would not take effect: ${ready.note}. This connection is still allowed.`}
            </p>
          )}
        </div>
      )}
      <div className="modal-actions approval-actions">
        <button type="button" onClick={onBack} disabled={busy}>
          Back
        </button>
        <button
          type="button"
          className="primary"
          disabled={!canConfirm || busy}
          onClick={() => onConfirm(step.target)}
        >
          Add to the allow-list and allow
        </button>
      </div>
    </section>
  );
}
