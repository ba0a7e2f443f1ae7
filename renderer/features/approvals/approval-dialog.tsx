import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { AlwaysAllowPreview } from '../../../shared/domain/agent-bridge';
import type { RuleRef, SandboxSettings } from '../../../shared/domain/policy';
import { errorMessage } from '../../stores/app-slice';
import type { PendingApproval } from '../../stores/conversation-slice';
import { useRoot } from '../../stores/root-store';
import './approvals.css';
import { useFocusTrap } from '../../app/focus-trap';
import { EditPreview } from './edit-preview';
import { NetworkApprovalForm } from './network-approval';
import { SessionGrantStep } from './session-grant-step';
import { SubjectBlock } from './subject-block';
import { citeRule } from '../policy/rule-words';

type Scope = 'exact' | 'subcommand';

type AlwaysStep =
  | { readonly state: 'closed' }
  | { readonly state: 'loading'; readonly scope: Scope }
  | { readonly state: 'ready'; readonly scope: Scope; readonly preview: AlwaysAllowPreview }
  | { readonly state: 'error'; readonly scope: Scope; readonly message: string };

/**
 * The oldest pending approval as a modal dialog; the rest wait their turn ("1 of 3"). Host
 * questions (a command connecting to a host no rule covers) use its network variant, whether an
 * agent session's command asked or one typed in the terminal.
 */
export function ApprovalDialog() {
  const pending = useRoot((s) => s.approvals[0] ?? null);
  const hostAsk = useRoot((s) => s.hostAsks[0] ?? null);
  const count = useRoot((s) => s.approvals.length + s.hostAsks.length);
  // Keyed by id: a new request starts with a fresh form, never another request's reason.
  if (pending?.network)
    return (
      <NetworkApprovalForm
        key={pending.approvalId}
        view={{ approvalId: pending.approvalId, question: pending.network, source: 'agent' }}
        count={count}
      />
    );
  if (pending) return <ApprovalForm key={pending.approvalId} approval={pending} count={count} />;
  if (hostAsk)
    return (
      <NetworkApprovalForm
        key={hostAsk.approvalId}
        view={{ approvalId: hostAsk.approvalId, question: hostAsk, source: 'terminal' }}
        count={count}
      />
    );
  return null;
}

/** When the request comes from a session other than the one on screen, which one it is. */
function OtherSession({ sessionId }: { sessionId: string }) {
  const shown = useRoot((s) => s.activeSession?.id ?? null);
  const title = useRoot((s) =>
    s.sessions.state === 'ready' || s.sessions.state === 'loading'
      ? (s.sessions.list.find((x) => x.id === sessionId)?.title ?? null)
      : null,
  );
  if (shown === sessionId) return null;
  return (
    <p className="banner-inline small" role="note">
      From another session{title ? `: “${title}”` : ''}, still running in the background.
    </p>
  );
}

/** The sandbox a command will run under, as the approval request carries it. */
interface ShownSandbox {
  readonly mode: string;
  readonly network: string;
  readonly hosts: readonly string[];
}

/**
 * What the dialog shows: the sandbox main says the command will run under (null: not a command,
 * so sandbox facts do not apply); an older event without it falls back to the policy in force.
 */
function shownSandbox(
  approval: PendingApproval,
  policy: SandboxSettings | null,
): ShownSandbox | null {
  if (approval.sandbox !== undefined) return approval.sandbox;
  if (approval.edits) return null;
  if (!policy) return null;
  return {
    mode: policy.defaultPolicy,
    network: policy.network.policy,
    hosts: policy.network.allowlist.map((e) => `${e.domain}:${e.port}`),
  };
}

/** The runner always sandboxes (`[sandbox] enabled` is not consulted); only full access is not. */
function sandboxText(sandbox: ShownSandbox): { text: string; unsafe: boolean } {
  if (sandbox.mode === 'danger_full_access')
    return { text: 'no sandbox: full access to this machine', unsafe: true };
  return { text: sandbox.mode, unsafe: false };
}

function networkText(sandbox: ShownSandbox): string {
  if (sandbox.network !== 'allowlist_only') return sandbox.network;
  return sandbox.hosts.length === 0
    ? 'allowlist_only (no hosts: no network)'
    : `allowlist_only: ${sandbox.hosts.join(', ')}`;
}

function ApprovalForm({ approval, count }: { approval: PendingApproval; count: number }) {
  const workspace = useRoot((s) => s.workspace?.path ?? '');
  const policySandbox = useRoot((s) =>
    s.policy.state === 'ready' ? s.policy.snapshot.sandbox : null,
  );
  const sandbox = shownSandbox(approval, policySandbox);
  const answerApproval = useRoot((s) => s.answerApproval);
  const previewAlwaysAllow = useRoot((s) => s.previewAlwaysAllow);
  const [reason, setReason] = useState('');
  const [always, setAlways] = useState<AlwaysStep>({ state: 'closed' });
  // The "Allow for this session" step: the scope shown, or null when it is not open.
  const [sessionScope, setSessionScope] = useState<Scope | null>(null);
  const grantOffers = approval.sessionGrant?.offers ?? [];
  const grantWhy = approval.sessionGrant?.why ?? null;
  const closed = always.state === 'closed' && sessionScope === null;
  const [busy, setBusy] = useState(false);
  const dialogRef = useRef<HTMLDivElement>(null);
  const titleId = `approval-title-${approval.approvalId}`;
  const mode = sandbox ? sandboxText(sandbox) : null;

  const answer = async (task: () => Promise<boolean>) => {
    if (busy) return;
    setBusy(true);
    const ok = await task();
    if (!ok) setBusy(false);
  };
  const allowOnce = () =>
    answer(() => answerApproval({ approvalId: approval.approvalId, answer: 'approve-once' }));
  const edits = approval.edits ?? null;
  const allowEdits = approval.allowEdits ?? null;
  const allowAllEdits = () =>
    answer(() => answerApproval({ approvalId: approval.approvalId, answer: 'approve-edits' }));
  const deny = () =>
    answer(() =>
      answerApproval({
        approvalId: approval.approvalId,
        answer: 'deny',
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      }),
    );
  const preview = async (scope: Scope) => {
    setAlways({ state: 'loading', scope });
    try {
      setAlways({
        state: 'ready',
        scope,
        preview: await previewAlwaysAllow(approval.approvalId, scope),
      });
    } catch (error) {
      setAlways({ state: 'error', scope, message: errorMessage(error) });
    }
  };
  const openSession = () => {
    if (grantOffers.length > 0) setSessionScope(grantOffers[0]?.scope ?? 'exact');
  };
  const confirmSession = (scope: Scope) =>
    answer(() =>
      answerApproval({ approvalId: approval.approvalId, answer: 'approve-session', scope }),
    );
  const confirmAlways = (scope: Scope) =>
    answer(() =>
      answerApproval({ approvalId: approval.approvalId, answer: 'approve-always', scope }),
    );

  useEffect(() => dialogRef.current?.focus(), []);
  const trap = useFocusTrap(dialogRef);

  // Explicit shortcuts only: Enter never approves by accident. Focus stays in the dialog (modal).
  const onKeyDown = (e: KeyboardEvent) => {
    trap(e);
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.code === 'KeyA') void allowOnce();
    else if (e.code === 'KeyD') void deny();
    else if (e.code === 'KeyW' && approval.canAlwaysAllow && closed) void preview('exact');
    else if (e.code === 'KeyS' && grantOffers.length > 0 && closed) openSession();
    else if (e.code === 'KeyE' && allowEdits?.offered === true && closed) void allowAllEdits();
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
          <h2 id={titleId}>Allow {approval.tool}?</h2>
          {count > 1 && (
            <span className="pill" aria-label={`Approval 1 of ${count}`}>
              1 of {count}
            </span>
          )}
        </div>
        <OtherSession sessionId={approval.sessionId} />
        {edits ? <EditPreview edits={edits} /> : <SubjectBlock subject={approval.subject} />}
        <dl className="approval-facts">
          {!edits && (
            <>
              <dt>Working directory</dt>
              <dd>
                <code>{workspace}</code>
              </dd>
            </>
          )}
          {sandbox && mode && (
            <>
              <dt>Sandbox</dt>
              <dd className={mode.unsafe ? 'unsafe' : undefined}>{mode.text}</dd>
              <dt>Network</dt>
              <dd>{networkText(sandbox)}</dd>
            </>
          )}
          <dt>Why it asks</dt>
          <dd>
            {approval.reason}
            {approval.rule && <RuleSetting rule={approval.rule} tool={approval.tool} />}
          </dd>
        </dl>
        {allowEdits && !allowEdits.offered && allowEdits.why && (
          <p className="muted small approval-edits-note">
            “Always allow edits in this workspace” is not offered: {allowEdits.why}.
          </p>
        )}
        {allowEdits?.offered && (
          <p className="muted small approval-edits-note" id={`${titleId}-edits`}>
            “Always allow edits in this workspace” sets write_file, edit_file and apply_patch to
            Allow in the workspace vtcode.toml. Protected files still ask.
          </p>
        )}

        {grantOffers.length === 0 && grantWhy && (
          <p className="muted small approval-edits-note">
            “Allow for this session” is not offered: {grantWhy}.
          </p>
        )}

        {sessionScope !== null ? (
          <SessionGrantStep
            offers={grantOffers}
            scope={sessionScope}
            busy={busy}
            onScope={setSessionScope}
            onBack={() => setSessionScope(null)}
            onConfirm={(scope) => void confirmSession(scope)}
          />
        ) : always.state === 'closed' ? (
          <>
            <label className="field">
              <span>Reason for the model if you deny (optional)</span>
              <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
            </label>
            <div className="modal-actions approval-actions">
              <button
                type="button"
                aria-keyshortcuts="Alt+D"
                disabled={busy}
                onClick={() => void deny()}
              >
                Deny <kbd aria-hidden="true">Alt+D</kbd>
              </button>
              {allowEdits?.offered && (
                <button
                  type="button"
                  aria-keyshortcuts="Alt+E"
                  aria-describedby={`${titleId}-edits`}
                  disabled={busy}
                  onClick={() => void allowAllEdits()}
                >
                  Always allow edits in this workspace <kbd aria-hidden="true">Alt+E</kbd>
                </button>
              )}
              {grantOffers.length > 0 && (
                <button
                  type="button"
                  aria-keyshortcuts="Alt+S"
                  disabled={busy}
                  onClick={openSession}
                >
                  Allow for this session <kbd aria-hidden="true">Alt+S</kbd>
                </button>
              )}
              {approval.canAlwaysAllow && (
                <button
                  type="button"
                  aria-keyshortcuts="Alt+W"
                  disabled={busy}
                  onClick={() => void preview('exact')}
                >
                  Always allow <kbd aria-hidden="true">Alt+W</kbd>
                </button>
              )}
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
          <AlwaysAllowStep
            step={always}
            busy={busy}
            onScope={(scope) => void preview(scope)}
            onBack={() => setAlways({ state: 'closed' })}
            onConfirm={(scope) => void confirmAlways(scope)}
          />
        )}
      </div>
    </div>
  );
}

/**
 * The file and key of the setting that made it ask (the reason above says it in words); no link,
 * the dialog is modal. Built-in rules have no setting to name.
 */
function RuleSetting({ rule, tool }: { rule: RuleRef; tool: string }) {
  const c = citeRule(rule, tool);
  if (c.key === null) return null;
  return (
    <div className="muted small">
      Setting: {c.where}, <code>{c.key}</code>
    </div>
  );
}

function AlwaysAllowStep({
  step,
  busy,
  onScope,
  onBack,
  onConfirm,
}: {
  step: Exclude<AlwaysStep, { state: 'closed' }>;
  busy: boolean;
  onScope: (scope: Scope) => void;
  onBack: () => void;
  onConfirm: (scope: Scope) => void;
}) {
  const canConfirm =
    step.state === 'ready' && step.preview.refusal === null && step.preview.rules.length > 0;
  return (
    <section className="always-allow" aria-label="Always allow">
      <fieldset className="scope-choice">
        <legend>Rule to add</legend>
        <label>
          <input
            type="radio"
            name="always-scope"
            checked={step.scope === 'exact'}
            onChange={() => onScope('exact')}
          />
          This exact command
        </label>
        <label>
          <input
            type="radio"
            name="always-scope"
            checked={step.scope === 'subcommand'}
            onChange={() => onScope('subcommand')}
          />
          Its subcommand with other plain arguments
        </label>
      </fieldset>
      {step.state === 'loading' && <p className="muted small">Working out the rule…</p>}
      {step.state === 'error' && (
        <p className="form-error" role="alert">
          {step.message}
        </p>
      )}
      {step.state === 'ready' &&
        (step.preview.refusal ? (
          <p className="form-error" role="alert">
            No rule can be added: {step.preview.refusal}
          </p>
        ) : (
          <div className="always-preview">
            <p className="small">
              Adds to <code>[commands]</code> in <code>{step.preview.file}</code>, exactly as
              written here:
            </p>
            <ul aria-label="Rules to add">
              {step.preview.rules.map((rule) => (
                <li key={rule.entry}>
                  <code className="always-rule">
                    {rule.list} = {JSON.stringify(rule.entry)}
                  </code>
                  <div className="muted small">Allows {rule.covers}.</div>
                </li>
              ))}
            </ul>
          </div>
        ))}
      <div className="modal-actions approval-actions">
        <button type="button" onClick={onBack} disabled={busy}>
          Back
        </button>
        <button
          type="button"
          className="primary"
          disabled={!canConfirm || busy}
          onClick={() => onConfirm(step.scope)}
        >
          Add rule and allow
        </button>
      </div>
    </section>
  );
}
