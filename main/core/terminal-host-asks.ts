import type { RunnerHostResolved } from '../../shared/domain/network';
import { ApprovalBroker, type AnswerResult } from '../agent/loop/approval-broker';
import type { ConfigStore } from '../config/config-store';
import type { BridgeClient, ClientState } from '../ipc/router';
import { applyHostAlways } from '../policy/host-always';
import type { HostAnswer, HostAsker, HostWithdrawal } from '../runner/host-gate';
import { hostText } from '../runner/host-rules';

/*
 * Host questions for commands typed in a window's terminal (runs no agent session started). They
 * use the same broker as tool approvals (answers only for ids main made) and reach the window as
 * `runner:host-ask` / `runner:host-resolved`; the renderer shows them in the approval dialog.
 * "Allow for this session" is not offered: the terminal keeps no session grants.
 */

/** The host questions of one window's terminal. */
export class TerminalHostAsks {
  private readonly broker = new ApprovalBroker();
  private readonly askers = new Map<ConfigStore, HostAsker>();

  constructor(private readonly client: BridgeClient) {}

  /** The asker for runs of the workspace whose config `store` is ("Always" writes there). */
  askerFor(store: ConfigStore): HostAsker {
    let asker = this.askers.get(store);
    if (!asker) {
      asker = { ask: (question, signal) => this.ask(store, question, signal) };
      this.askers.set(store, asker);
    }
    return asker;
  }

  /** An answer from the window; `input` is untrusted. */
  answer(input: unknown): AnswerResult {
    return this.broker.answer(input);
  }

  close(): void {
    this.broker.denyAll('the window was closed');
  }

  private async ask(
    store: ConfigStore,
    question: Parameters<HostAsker['ask']>[0],
    signal: AbortSignal,
  ): Promise<HostAnswer> {
    const where = hostText(question.host, question.port);
    const { approval, answer } = this.broker.request({
      callId: 'terminal',
      tool: 'terminal',
      subject: where,
      command: null,
      reason: question.reason,
      canAlwaysAllow: true,
      host: { host: question.host, port: question.port },
    });
    this.client.emit('runner:host-ask', {
      ...question,
      runs: [...question.runs],
      approvalId: approval.approvalId,
      at: new Date().toISOString(),
    });
    let withdrawn: HostWithdrawal | null = null;
    const onAbort = (): void => {
      withdrawn = signal.reason as HostWithdrawal;
      this.broker.cancel(approval.approvalId, withdrawn.why);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const a = await answer.finally(() => signal.removeEventListener('abort', onAbort));
    const gone = withdrawn as HostWithdrawal | null;
    let result: HostAnswer;
    let resolved: Omit<RunnerHostResolved, 'approvalId'>;
    if (gone) {
      result = { kind: 'deny', reason: gone.why };
      resolved = { outcome: gone.allowed ? 'approved-once' : 'denied', reason: gone.why };
    } else if (a.answer === 'approve-always') {
      try {
        const saved = await applyHostAlways(
          store,
          a.target ?? 'user',
          question.host,
          question.port,
        );
        result = { kind: 'always', note: saved.note };
        resolved = { outcome: 'approved-always', reason: saved.note };
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        result = { kind: 'once' };
        resolved = {
          outcome: 'approved-once',
          reason: `could not save the allow-list entry (${why}); allowed once`,
        };
      }
    } else if (a.answer === 'deny') {
      result = { kind: 'deny', reason: a.reason };
      resolved = { outcome: 'denied', reason: a.reason ?? null };
    } else {
      result = { kind: 'once' };
      resolved = { outcome: 'approved-once', reason: null };
    }
    this.client.emit('runner:host-resolved', { approvalId: approval.approvalId, ...resolved });
    return result;
  }
}

const byClient = new WeakMap<ClientState, TerminalHostAsks>();

/** The window's terminal host questions (made on first use, closed with the window). */
export function terminalHostAsks(client: BridgeClient): TerminalHostAsks {
  let asks = byClient.get(client.state);
  if (!asks) {
    const made = new TerminalHostAsks(client);
    byClient.set(client.state, made);
    client.state.disposers.push(() => made.close());
    asks = made;
  }
  return asks;
}
