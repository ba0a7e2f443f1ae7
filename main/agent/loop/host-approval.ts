import type { AgentEvent } from '../../../shared/domain/agent';
import type { ConfigStore } from '../../config/config-store';
import { applyHostAlways } from '../../policy/host-always';
import type { HostAnswer, HostAsker, HostWithdrawal, RunOrigin } from '../../runner/host-gate';
import { hostText } from '../../runner/host-rules';
import type { ApprovalMode } from './tool-executor';
import type { SessionGrants } from './session-grants';

/*
 * A command an agent session runs may connect to a host no rule covers; the sandbox's proxy then
 * asks (host-gate.ts). The question goes through the session's own approval machinery: the broker
 * that accepts answers only for ids it made, the `tool-call-awaiting-approval` event (with its
 * `network` variant) and `approval-resolved`, so it shows in the same dialog, on the call's card
 * and in the session log.
 */

export interface HostApprovalDeps {
  readonly sessionId: string | null;
  readonly approvals: ApprovalMode;
  readonly grants: SessionGrants;
  /** Where "Always" writes (the config store of the workspace); null: not offered. */
  readonly store: ConfigStore | null;
  readonly redact: (text: string) => string;
  readonly emit: (event: AgentEvent) => void;
}

type Outcome = Extract<AgentEvent, { type: 'approval-resolved' }>['outcome'];

/** Who a command of this call is: its session, and how to ask about its hosts. */
export function hostOrigin(
  deps: HostApprovalDeps,
  call: { readonly callId: string; readonly tool: string },
  turnId: string,
): RunOrigin {
  const mode = deps.approvals;
  return {
    sessionId: deps.sessionId,
    turnId,
    callId: call.callId,
    tool: call.tool,
    // Headless (`exec`): nobody to ask, even with --yes; the host is denied and reported.
    asker: mode.kind === 'interactive' ? sessionAsker(deps, mode.broker, call, turnId) : null,
    grants: {
      covers: (host, port) => deps.grants.coversHost(hostText(host, port)),
      add: (host, port) => deps.grants.addHost(hostText(host, port), host, port).text,
    },
  };
}

function sessionAsker(
  deps: HostApprovalDeps,
  broker: Extract<ApprovalMode, { kind: 'interactive' }>['broker'],
  call: { readonly callId: string; readonly tool: string },
  turnId: string,
): HostAsker {
  return {
    async ask(question, signal): Promise<HostAnswer> {
      const at = (): string => new Date().toISOString();
      const where = hostText(question.host, question.port);
      const { approval, answer } = broker.request({
        callId: call.callId,
        tool: call.tool,
        subject: where,
        command: null,
        reason: question.reason,
        canAlwaysAllow: deps.store !== null,
        host: { host: question.host, port: question.port },
      });
      deps.emit({
        type: 'tool-call-awaiting-approval',
        turnId,
        at: at(),
        callId: call.callId,
        approvalId: approval.approvalId,
        tool: call.tool,
        subject: `connect to ${where}`,
        reason: question.reason,
        canAlwaysAllow: deps.store !== null,
        rule: null,
        network: {
          ...question,
          runs: question.runs.map((r) => ({ ...r, command: deps.redact(r.command) })),
        },
      });
      // Decided elsewhere (another window, a timeout, the run ended): withdraw the question.
      let withdrawn: HostWithdrawal | null = null;
      const onAbort = (): void => {
        withdrawn = signal.reason as HostWithdrawal;
        broker.cancel(approval.approvalId, withdrawn.why);
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      const a = await answer.finally(() => signal.removeEventListener('abort', onAbort));
      let result: HostAnswer;
      let outcome: Outcome;
      let note: string | null = null;
      const gone = withdrawn as HostWithdrawal | null;
      if (gone) {
        result = { kind: 'deny', reason: gone.why };
        outcome = gone.allowed ? 'approved-once' : 'denied';
        note = gone.why;
      } else if (a.answer === 'approve-session' && question.canSession) {
        result = { kind: 'session' };
        outcome = 'approved-session';
        note = `grant: ${where}`;
      } else if (a.answer === 'approve-always' && deps.store) {
        try {
          const saved = await applyHostAlways(
            deps.store,
            a.target ?? 'user',
            question.host,
            question.port,
          );
          result = { kind: 'always', note: saved.note };
          outcome = 'approved-always';
          note = saved.note;
        } catch (error) {
          result = { kind: 'once' };
          outcome = 'approved-once';
          note = `could not save the allow-list entry (${error instanceof Error ? error.message : String(error)}); allowed once`;
        }
      } else if (a.answer === 'deny') {
        result = { kind: 'deny', reason: a.reason };
        outcome = 'denied';
        note = a.reason ?? null;
      } else {
        result = { kind: 'once' };
        outcome = 'approved-once';
      }
      deps.emit({
        type: 'approval-resolved',
        turnId,
        at: at(),
        callId: call.callId,
        approvalId: approval.approvalId,
        outcome,
        reason: note,
        host: where,
      });
      return result;
    },
  };
}
