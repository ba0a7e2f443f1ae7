import type { ToolResultPart } from 'ai';
import type { ActivityRecord, Decider } from '../../../shared/domain/activity';
import type { AgentEvent, AgentMode } from '../../../shared/domain/agent';
import { NETWORK_POLICY_RANK, SANDBOX_MODE_RANK, type PathOp } from '../../../shared/domain/policy';
import type { ConfigStore } from '../../config/config-store';
import { alwaysAllow } from '../../policy/always-allow';
import { allowEdits, allowEditsOffer } from '../../policy/always-allow-edits';
import type { PolicyEngine } from '../../policy/engine';
import { assertLive } from '../../guard/model';
import { FileBaseline } from '../../policy/file-baseline';
import type { RunnerSandboxSettings } from '../../runner/settings';
import type { ModelToolCall } from '../providers/model-step';
import {
  ToolError,
  type AgentTool,
  type CommandRunner,
  type ToolOutput,
  type ToolSubject,
} from '../tools/tool-types';
import type { ActivitySink } from '../../activity/activity-log';
import {
  approvalRecord,
  callRecord,
  deciderOf,
  type ApprovalAnswerKind,
  type RecordContext,
} from './activity-records';
import type { ApprovalBroker } from './approval-broker';
import { decideCall, type Verdict } from './decide-call';
import type { Checkpoints } from './checkpoints';
import { previewEdits } from './edit-preview';
import { applyMode, EDIT_TOOLS, settingsForMode } from './modes';
import { guardedRemove, guardedWrite } from '../../guard/safe-fs';
import { GrantRefusal, SessionGrants } from './session-grants';
import { hostOrigin } from './host-approval';

import { withMoreTools } from '../tools/registry';

export { CHANGED_FILES, decideCall, decideSubjects } from './decide-call';

/** What happens when the policy says prompt. */
export type ApprovalMode =
  | { readonly kind: 'interactive'; readonly broker: ApprovalBroker }
  /** Headless: prompt is deny, unless the user passed --yes (approve). */
  | { readonly kind: 'auto'; readonly prompt: 'deny' | 'approve' };

export interface ToolExecutorDeps {
  readonly workspace: string;
  readonly policy: () => PolicyEngine;
  /** Loads what deciding a command needs (the shell grammar); awaited before each command call. */
  readonly commandsReady?: () => Promise<void>;
  readonly tools: ReadonlyMap<string, AgentTool>;
  /** Tools that come and go (MCP servers'), read at each call. */
  readonly moreTools?: () => ReadonlyMap<string, AgentTool>;
  readonly approvals: ApprovalMode;
  readonly runner: CommandRunner | null;
  /** The session's mode at this call (plan, ask, auto-edit, full auto); ask when absent. */
  readonly mode?: () => AgentMode;
  /** The sandbox a command runs under, read at each call: settings take effect at once. */
  readonly runnerSettings: () => RunnerSandboxSettings | null;
  readonly checkpoints: Checkpoints;
  /** For "always allow": the store and the workspace vtcode.toml to add the rule to. */
  readonly alwaysAllowTarget: { readonly store: ConfigStore; readonly file: string } | null;
  readonly fetch: typeof fetch;
  readonly redact: (text: string) => string;
  readonly emit: (event: AgentEvent) => void;
  /** Where each decision and answer is recorded (the workspace's activity log), and for which session. */
  readonly activity?: { readonly sessionId: string | null; readonly sink: ActivitySink } | null;
  /** The session's id, named when a command of it asks about a host. */
  readonly sessionId?: string;
}

function resultPart(call: ModelToolCall, out: ToolOutput): ToolResultPart {
  return {
    type: 'tool-result',
    toolCallId: call.callId,
    toolName: call.toolName,
    output:
      out.status === 'ok'
        ? { type: 'text', value: out.text }
        : { type: 'error-text', value: out.text },
  };
}

/** Runs the model's tool calls through validation, policy, approval and execution. */
export class ToolExecutor {
  /** Taken as the session starts: what package.json, Makefile ... held then. */
  private readonly files: FileBaseline;
  /** "Allow for this session" grants: this session's, in memory only. */
  readonly grants: SessionGrants;

  constructor(private readonly deps: ToolExecutorDeps) {
    this.files = new FileBaseline(deps.workspace, () => deps.checkpoints.list());
    this.grants = new SessionGrants((grants) =>
      deps.emit({ type: 'grants-changed', turnId: 'grants', at: new Date().toISOString(), grants }),
    );
  }

  /** Record what a call met; a failure to build or write a record never stops the call. */
  private record(build: () => ActivityRecord): void {
    const activity = this.deps.activity;
    if (!activity) return;
    try {
      activity.sink.record(build());
    } catch {
      // The sink reports its own failures; this guards the building of the record.
    }
  }

  /** Handle one call; never throws (every failure becomes a result the model reads). */
  async run(
    call: ModelToolCall,
    turnId: string,
    step: number,
    signal: AbortSignal,
  ): Promise<{ part: ToolResultPart; status: 'ok' | 'error' | 'denied' }> {
    const d = this.deps;
    const at = (): string => new Date().toISOString();
    const started = performance.now();
    d.emit({
      type: 'tool-call-started',
      turnId,
      at: at(),
      step,
      callId: call.callId,
      tool: call.toolName,
      args: call.input,
    });
    const finish = (
      status: 'ok' | 'error' | 'denied',
      text: string,
    ): { part: ToolResultPart; status: 'ok' | 'error' | 'denied' } => {
      const safe = d.redact(text);
      d.emit({
        type: 'tool-call-finished',
        turnId,
        at: at(),
        callId: call.callId,
        tool: call.toolName,
        status,
        durationMs: performance.now() - started,
        result: safe,
      });
      return {
        part: resultPart(call, { status: status === 'ok' ? 'ok' : 'error', text: safe }),
        status,
      };
    };
    const tools = withMoreTools(d.tools, d.moreTools);
    const tool = tools.get(call.toolName);
    if (!tool)
      return finish(
        'error',
        `Unknown tool "${call.toolName}". Available tools: ${[...tools.keys()].join(', ')}.`,
      );
    if (call.parseError !== null)
      return finish(
        'error',
        `The arguments for ${call.toolName} are not valid JSON. Send one JSON object matching the tool's schema.`,
      );
    const parsed = tool.schema.safeParse(call.input ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`)
        .join('; ');
      return finish('error', `Invalid arguments for ${call.toolName}: ${issues}`);
    }
    let subjects: readonly ToolSubject[];
    try {
      subjects = tool.subjects(parsed.data);
    } catch (error) {
      return finish('error', error instanceof Error ? error.message : String(error));
    }
    if (d.commandsReady && subjects.some((s) => s.kind === 'command')) {
      try {
        await d.commandsReady();
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        return finish('error', `The shell parser could not be loaded, so no command runs: ${why}`);
      }
    }
    const policy = d.policy();
    // A call decided here is executed: its paths must be looked at now, never remembered.
    assertLive(policy.guard, `the ${tool.name} call`);
    const decided = decideCall(policy, tool, subjects, this.files);
    const mode = d.mode?.() ?? 'ask';
    const moded = {
      ...decided,
      ...applyMode(mode, tool.name, decided, decided.command !== null, tool.changesFiles === true),
    };
    // A grant stands where a person's "allow once" would: after the policy, the guard and the
    // mode have had their say, for a call that would ask and nothing else.
    const granted =
      moded.decision === 'prompt'
        ? this.grants.covering(policy, { ...moded, tool: tool.name })
        : null;
    const grantText = granted?.map((g) => g.text).join(', ') ?? '';
    const verdict: Verdict = granted
      ? {
          ...moded,
          decision: 'allow',
          reason: `allowed by a session grant: ${grantText} (it would ask: ${moded.reason})`,
        }
      : moded;
    const grant = granted ? { grantId: granted[0]!.grantId, text: grantText } : null;
    const ctx: RecordContext = {
      sessionId: d.activity?.sessionId ?? null,
      turnId,
      callId: call.callId,
      tool: tool.name,
    };
    this.record(() =>
      callRecord(ctx, verdict, decided, verdict, deciderOf(decided, moded, mode, grant)),
    );
    d.emit({
      type: 'tool-call-decided',
      turnId,
      at: at(),
      callId: call.callId,
      decision: verdict.decision,
      reason: verdict.reason,
      rule: verdict.rule,
      ...(grant ? { grant } : {}),
    });
    if (verdict.decision === 'deny') {
      return finish(
        'denied',
        `Denied by policy: ${verdict.reason}. Do not retry this call; tell the user or take another approach.`,
      );
    }
    // A command runs under the sandbox the person was shown, or a stricter one saved since.
    const shown = verdict.command !== null ? settingsForMode(mode, d.runnerSettings()) : null;
    if (granted) this.files.approve(verdict.watched);
    if (verdict.decision === 'prompt') {
      const answered = (answer: ApprovalAnswerKind, note: string | null, by: Decider): void =>
        this.record(() => approvalRecord(ctx, verdict, decided, verdict.reason, answer, note, by));
      const denial = await this.ask(
        call,
        tool,
        parsed.data,
        verdict,
        turnId,
        signal,
        shown,
        answered,
      );
      if (denial !== null) return finish('denied', denial);
    }
    // A path the policy cleared for this call: its resolved real path (writes are checked again).
    const cleared = (path: string, op: PathOp): string => {
      const decided = verdict.paths.get(`${op}:${path}`) ?? verdict.paths.get(`write:${path}`);
      if (!decided || decided.decision === 'deny' || decided.resolved === null) {
        throw new ToolError(`${path} was not cleared by the policy for ${op}`);
      }
      return decided.resolved;
    };
    const approved = verdict.decision === 'prompt';
    try {
      const out = await tool.execute(parsed.data, {
        workspace: d.workspace,
        policy,
        runner: d.runner,
        runnerSettings: settingsForMode(mode, settingsForRun(shown, d.runnerSettings())),
        origin: hostOrigin(
          {
            sessionId: d.sessionId ?? null,
            approvals: d.approvals,
            grants: this.grants,
            store: d.alwaysAllowTarget?.store ?? null,
            redact: d.redact,
            emit: d.emit,
          },
          { callId: call.callId, tool: call.toolName },
          turnId,
        ),
        signal,
        approved: approved || granted !== null,
        fetch: d.fetch,
        resolvePath: cleared,
        writeText: (path, content) =>
          guardedWrite(d.policy().guard, cleared(path, 'write'), content, { approved }),
        removeFile: (path) => guardedRemove(d.policy().guard, cleared(path, 'write'), { approved }),
        recordChange: (path, before, after) => {
          const c = d.checkpoints.record({ turnId, callId: call.callId, path, before, after });
          d.emit({
            type: 'file-changed',
            turnId,
            at: at(),
            callId: call.callId,
            changeId: c.changeId,
            path,
            before,
            after,
          });
        },
      });
      return finish(out.status, out.text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return finish('error', `${call.toolName} failed: ${message}`);
    }
  }

  /** Ask about a prompt decision; resolves to null when approved, else the text the model sees. */
  private async ask(
    call: ModelToolCall,
    tool: AgentTool,
    args: unknown,
    verdict: Verdict,
    turnId: string,
    signal: AbortSignal,
    shown: RunnerSandboxSettings | null,
    answered: (answer: ApprovalAnswerKind, note: string | null, by: Decider) => void,
  ): Promise<string | null> {
    const d = this.deps;
    const mode = d.approvals;
    if (mode.kind === 'auto') {
      const by: Decider = { kind: 'headless', answer: mode.prompt };
      answered(mode.prompt === 'deny' ? 'denied' : 'approved-once', null, by);
      if (mode.prompt === 'deny')
        return `Not run: this call needs the user's approval (${verdict.reason}) and this run cannot ask (non-interactive; the user can allow it with --yes). Do not retry it.`;
      this.files.approve(verdict.watched);
      return null;
    }
    const canAlwaysAllow = verdict.command !== null && d.alwaysAllowTarget !== null;
    // A file edit shows its diff before anyone approves it: read now, written nowhere.
    const edits = await previewEdits(
      tool,
      args,
      verdict.paths,
      d.workspace,
      d.redact,
      (resolved) => d.policy().decidePath(resolved, 'read').decision === 'allow',
    );
    const isEdit = EDIT_TOOLS.has(tool.name);
    const allowEditsChoice = isEdit
      ? allowEditsOffer(d.policy(), d.alwaysAllowTarget?.file ?? null)
      : null;
    const question = { ...verdict, tool: tool.name };
    // A call that touches no path, command or URL (an MCP tool) is shown by its arguments.
    const subject = verdict.subject || d.redact(tool.describe?.(args) ?? '');
    const sessionGrant = this.grants.offers(d.policy(), question);
    const { approval, answer } = mode.broker.request({
      callId: call.callId,
      tool: tool.name,
      subject,
      command: verdict.command,
      reason: verdict.reason,
      canAlwaysAllow,
    });
    d.emit({
      type: 'tool-call-awaiting-approval',
      turnId,
      at: new Date().toISOString(),
      callId: call.callId,
      approvalId: approval.approvalId,
      tool: tool.name,
      subject,
      reason: verdict.reason,
      canAlwaysAllow,
      rule: verdict.rule,
      edits,
      allowEdits: allowEditsChoice,
      sessionGrant,
      sandbox: shown
        ? {
            mode: shown.mode,
            network: shown.network.policy,
            hosts: shown.network.allowlist.map((e) =>
              e.port === undefined ? e.domain : `${e.domain}:${e.port}`,
            ),
          }
        : null,
    });
    const onAbort = (): void => mode.broker.denyAll('the turn was cancelled');
    signal.addEventListener('abort', onAbort, { once: true });
    const a = await answer.finally(() => signal.removeEventListener('abort', onAbort));
    let outcome: 'approved-once' | 'approved-always' | 'approved-session' | 'denied' =
      a.answer === 'deny'
        ? 'denied'
        : a.answer === 'approve-once'
          ? 'approved-once'
          : a.answer === 'approve-session'
            ? 'approved-session'
            : 'approved-always';
    let note: string | null = a.answer === 'deny' ? (a.reason ?? null) : null;
    // The log tells an edits setting apart, and a turn stopped from a person's "no".
    let logged: ApprovalAnswerKind =
      a.answer === 'approve-edits'
        ? 'approved-edits'
        : a.answer === 'deny' && signal.aborted
          ? 'cancelled'
          : outcome;
    if (a.answer === 'approve-session') {
      try {
        // Worked out again now: the policy may have changed while the dialog was open.
        const g = this.grants.add(d.policy(), question, a.scope);
        note = `grant: ${g.text}`;
      } catch (error) {
        if (!(error instanceof GrantRefusal)) throw error;
        outcome = 'approved-once';
        logged = outcome;
        note = `cannot be allowed for the session (${error.message}); approved once`;
      }
    } else if (a.answer === 'approve-edits') {
      const target = d.alwaysAllowTarget;
      if (!isEdit || target === null || !allowEditsOffer(d.policy(), target.file).offered) {
        outcome = 'approved-once';
        logged = outcome;
        note = `edits cannot be always allowed here (${allowEditsChoice?.why ?? 'not a file edit'}); approved once`;
      } else {
        try {
          const r = await allowEdits(d.policy(), target.store, target.file);
          note = `set ${r.set.map((t) => `${t} = "allow"`).join(', ')} in [tools.policies] of ${r.file}`;
        } catch (error) {
          outcome = 'approved-once';
          logged = outcome;
          note = `could not save the setting (${error instanceof Error ? error.message : String(error)}); approved once`;
        }
      }
    } else if (a.answer === 'approve-always') {
      if (!canAlwaysAllow || verdict.command === null || d.alwaysAllowTarget === null) {
        outcome = 'approved-once';
        logged = outcome;
        note = 'always-allow is only offered for shell commands; approved once';
      } else {
        try {
          const r = await alwaysAllow(
            d.policy(),
            d.alwaysAllowTarget.store,
            d.alwaysAllowTarget.file,
            verdict.command,
            a.scope,
          );
          note = r.added.length ? `added to ${r.list}: ${r.added.join(', ')}` : null;
        } catch (error) {
          outcome = 'approved-once';
          logged = outcome;
          note = `could not save the rule (${error instanceof Error ? error.message : String(error)}); approved once`;
        }
      }
    }
    answered(logged, note, { kind: 'user' });
    d.emit({
      type: 'approval-resolved',
      turnId,
      at: new Date().toISOString(),
      callId: call.callId,
      approvalId: approval.approvalId,
      outcome,
      reason: note,
    });
    if (outcome === 'denied')
      return `The user denied this call${note ? `: ${note}` : ''}. Do not retry it; continue without it or ask the user.`;
    this.files.approve(verdict.watched);
    return null;
  }
}

const MODE_RANK = SANDBOX_MODE_RANK;
const NET_RANK = NETWORK_POLICY_RANK;

/**
 * The settings a command runs under: those the approval showed, unless the settings in force now
 * are at least as strict (a tightening saved while the dialog was open is obeyed, a loosening is
 * not taken without asking again).
 */
export function settingsForRun(
  shown: RunnerSandboxSettings | null,
  now: RunnerSandboxSettings | null,
): RunnerSandboxSettings | null {
  if (!shown || !now) return now;
  const stricterOrSame =
    (MODE_RANK[now.mode] ?? 9) <= (MODE_RANK[shown.mode] ?? 9) &&
    (NET_RANK[now.network.policy] ?? 9) <= (NET_RANK[shown.network.policy] ?? 9) &&
    now.network.allowlist.every((e) =>
      shown.network.allowlist.some((x) => x.domain === e.domain && x.port === e.port),
    ) &&
    // Fewer denials is looser: the host denials shown must all still be there.
    shown.network.denylist.every((e) =>
      now.network.denylist.some((x) => x.domain === e.domain && x.port === e.port),
    );
  return stricterOrSame ? now : shown;
}
