import { randomUUID } from 'node:crypto';
import {
  approvalAnswerSchema,
  type ApprovalAnswer,
  type ApprovalId,
} from '../../../shared/domain/agent';

/** A question main put to the user about one tool call. */
export interface PendingApproval {
  readonly approvalId: ApprovalId;
  readonly callId: string;
  readonly tool: string;
  readonly subject: string;
  /** The command line asked about (whole), which "always allow" derives its rules from. */
  readonly command: string | null;
  readonly reason: string;
  readonly canAlwaysAllow: boolean;
  /** For a network approval: the host and port asked about. */
  readonly host?: { readonly host: string; readonly port: number };
}

export type AnswerResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/**
 * Creates approval ids and accepts answers only for ids it created and that are still pending:
 * the renderer can answer a question, never invent one.
 */
export class ApprovalBroker {
  private readonly pending = new Map<
    string,
    { readonly info: PendingApproval; readonly resolve: (a: ApprovalAnswer) => void }
  >();

  /** Ask; resolves with the user's answer (a deny when cancelled). */
  request(info: Omit<PendingApproval, 'approvalId'>): {
    readonly approval: PendingApproval;
    readonly answer: Promise<ApprovalAnswer>;
  } {
    const approvalId: ApprovalId = `ap-${randomUUID()}`;
    const approval = { ...info, approvalId };
    const answer = new Promise<ApprovalAnswer>((resolve) => {
      this.pending.set(approvalId, { info: approval, resolve });
    });
    return { approval, answer };
  }

  /** Answer a pending request. `input` is untrusted (it comes over the bridge). */
  answer(input: unknown): AnswerResult {
    const parsed = approvalAnswerSchema.safeParse(input);
    if (!parsed.success) {
      return {
        ok: false,
        error: `invalid answer: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
      };
    }
    const entry = this.pending.get(parsed.data.approvalId);
    if (!entry) return { ok: false, error: `no pending approval ${parsed.data.approvalId}` };
    this.pending.delete(parsed.data.approvalId);
    entry.resolve(parsed.data);
    return { ok: true };
  }

  /** Questions still waiting for an answer. */
  list(): PendingApproval[] {
    return [...this.pending.values()].map((p) => p.info);
  }

  /** Withdraw one question (decided elsewhere, timed out): it resolves as a deny with `reason`. */
  cancel(approvalId: string, reason: string): boolean {
    const entry = this.pending.get(approvalId);
    if (!entry) return false;
    this.pending.delete(approvalId);
    entry.resolve({ approvalId, answer: 'deny', reason });
    return true;
  }

  /** Deny everything pending (the turn was cancelled). */
  denyAll(reason: string): void {
    for (const [id, entry] of this.pending) {
      this.pending.delete(id);
      entry.resolve({ approvalId: id, answer: 'deny', reason });
    }
  }
}
