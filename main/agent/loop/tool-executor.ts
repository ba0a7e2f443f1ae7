import type { ToolResultPart } from 'ai';
import type { AgentEvent, AgentMode } from '../../../shared/domain/agent';
import {
  NETWORK_POLICY_RANK,
  SANDBOX_MODE_RANK,
  type Decision,
  type PathDecision,
  type PathOp,
  type RuleRef,
} from '../../../shared/domain/policy';
import type { ConfigStore } from '../../config/config-store';
import { alwaysAllow } from '../../policy/always-allow';
import { allowEdits, allowEditsOffer } from '../../policy/always-allow-edits';
import type { PolicyEngine } from '../../policy/engine';
import { FileBaseline } from '../../policy/file-baseline';
import { builtinRef } from '../../policy/rules';
import type { RunnerSandboxSettings } from '../../runner/settings';
import type { ModelToolCall } from '../providers/model-step';
import {
  ToolError,
  type AgentTool,
  type CommandRunner,
  type ToolOutput,
  type ToolSubject,
} from '../tools/tool-types';
import type { ApprovalBroker } from './approval-broker';
import type { Checkpoints } from './checkpoints';
import { previewEdits } from './edit-preview';
import { applyMode, EDIT_TOOLS, settingsForMode } from './modes';
import { guardedRemove, guardedWrite } from '../../guard/safe-fs';
import { GrantRefusal, SessionGrants } from './session-grants';

/** What happens when the policy says prompt. */
export type ApprovalMode =
  | { readonly kind: 'interactive'; readonly broker: ApprovalBroker }
  /** Headless: prompt is deny, unless the user passed --yes (approve). */
  | { readonly kind: 'auto'; readonly prompt: 'deny' | 'approve' };

export interface ToolExecutorDeps {
  readonly workspace: string;
  readonly policy: () => PolicyEngine;
  readonly tools: ReadonlyMap<string, AgentTool>;
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
}

const RANK: Record<Decision, number> = { allow: 0, prompt: 1, deny: 2 };

interface Verdict {
  readonly decision: Decision;
  readonly reason: string;
  readonly rule: RuleRef | null;
  readonly paths: ReadonlyMap<string, PathDecision>;
  readonly command: string | null;
  /** Everything asked about, whole: the dialog shows it all, never a cut line. */
  readonly subject: string;
  /** Files the command's programs interpret: the new baseline when the user approves. */
  readonly watched: readonly string[];
  /** A file a command interprets changed: it asks for that, whatever else allows it. */
  readonly changedFiles: boolean;
  readonly subjects: readonly ToolSubject[];
}

/** The rule of a prompt the file baseline made (not the policy): a backtest leaves it out. */
export const CHANGED_FILES = builtinRef(
  'a file a command runs as code changed, so a person decides',
);

/**
 * Decide a call: the tool's policy, then each command (part by part) and each path; then, with
 * `files`, whether a file an allowed command interprets (package.json, Makefile) has changed.
 */
export function decideCall(
  policy: PolicyEngine,
  tool: AgentTool,
  subjects: readonly ToolSubject[],
  files: FileBaseline | null = null,
): Verdict {
  return decideSubjects(policy, tool.name, subjects, files);
}

/** decideCall by the tool's name: what a backtest replays from the activity log. */
export function decideSubjects(
  policy: PolicyEngine,
  toolName: string,
  subjects: readonly ToolSubject[],
  files: FileBaseline | null = null,
): Verdict {
  const td = policy.decideTool(toolName);
  const paths = new Map<string, PathDecision>();
  let worst: { decision: Decision; reason: string; rule: RuleRef | null } = td;
  let command: string | null = null;
  const watched: string[] = [];
  let changedFiles = false;
  const consider = (d: { decision: Decision; reason: string; rule: RuleRef | null }): void => {
    if (RANK[d.decision] > RANK[worst.decision]) worst = d;
  };
  if (td.decision !== 'deny') {
    const hasCommand = subjects.some((s) => s.kind === 'command');
    // The command decision includes the shell tool's own policy, so it replaces the tool's.
    if (hasCommand) worst = { decision: 'allow', reason: td.reason, rule: td.rule };
    for (const s of subjects) {
      if (s.kind === 'command') {
        command = s.command;
        const cd = policy.decideCommand(s.command);
        const part = cd.parts.find((x) => x.decision === cd.decision);
        consider({ decision: cd.decision, reason: cd.reason, rule: part?.rule ?? null });
        if (files && cd.decision !== 'deny') {
          const dir = s.cwd === undefined ? files.root : policy.decidePath(s.cwd, 'read').resolved;
          const check = files.check(cd.parts, dir);
          watched.push(...check.watched);
          if (check.reason !== null) changedFiles = true;
          if (check.reason !== null && worst.decision === 'allow')
            worst = { decision: 'prompt', reason: check.reason, rule: CHANGED_FILES };
          else if (check.reason !== null && worst.decision === 'prompt')
            worst = { ...worst, reason: `${worst.reason}; ${check.reason}` };
        }
      } else if (s.kind === 'path') {
        const d = policy.decidePath(s.path, s.op);
        paths.set(`${s.op}:${s.path}`, d);
        // A protected or secret file asks in its own words even when the tool asks anyway: the
        // person approving must see what the file does.
        const own = d.rule?.kind === 'builtin' || d.rule?.kind === 'sensitive_path';
        if (own && d.decision === 'prompt' && worst.decision === 'prompt' && worst.rule !== d.rule)
          worst = { ...d, reason: `${d.reason} (and ${worst.reason})` };
        else consider(d);
      }
    }
  }
  const subject = subjects
    .map((s) =>
      s.kind === 'command' ? s.command : s.kind === 'path' ? `${s.op} ${s.path}` : s.url,
    )
    .join(', ');
  return { ...worst, paths, command, subject, watched, changedFiles, subjects };
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
    const tool = d.tools.get(call.toolName);
    if (!tool)
      return finish(
        'error',
        `Unknown tool "${call.toolName}". Available tools: ${[...d.tools.keys()].join(', ')}.`,
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
    const policy = d.policy();
    const decided = decideCall(policy, tool, subjects, this.files);
    const mode = d.mode?.() ?? 'ask';
    const moded = {
      ...decided,
      ...applyMode(mode, tool.name, decided, decided.command !== null),
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
    d.emit({
      type: 'tool-call-decided',
      turnId,
      at: at(),
      callId: call.callId,
      decision: verdict.decision,
      reason: verdict.reason,
      rule: verdict.rule,
      ...(granted ? { grant: { grantId: granted[0]!.grantId, text: grantText } } : {}),
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
      const denial = await this.ask(call, tool, parsed.data, verdict, turnId, signal, shown);
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
        signal,
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
  ): Promise<string | null> {
    const d = this.deps;
    const mode = d.approvals;
    if (mode.kind === 'auto') {
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
    const sessionGrant = this.grants.offers(d.policy(), question);
    const { approval, answer } = mode.broker.request({
      callId: call.callId,
      tool: tool.name,
      subject: verdict.subject,
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
      subject: verdict.subject,
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
    if (a.answer === 'approve-session') {
      try {
        // Worked out again now: the policy may have changed while the dialog was open.
        const g = this.grants.add(d.policy(), question, a.scope);
        note = `grant: ${g.text}`;
      } catch (error) {
        if (!(error instanceof GrantRefusal)) throw error;
        outcome = 'approved-once';
        note = `cannot be allowed for the session (${error.message}); approved once`;
      }
    } else if (a.answer === 'approve-edits') {
      const target = d.alwaysAllowTarget;
      if (!isEdit || target === null || !allowEditsOffer(d.policy(), target.file).offered) {
        outcome = 'approved-once';
        note = `edits cannot be always allowed here (${allowEditsChoice?.why ?? 'not a file edit'}); approved once`;
      } else {
        try {
          const r = await allowEdits(d.policy(), target.store, target.file);
          note = `set ${r.set.map((t) => `${t} = "allow"`).join(', ')} in [tools.policies] of ${r.file}`;
        } catch (error) {
          outcome = 'approved-once';
          note = `could not save the setting (${error instanceof Error ? error.message : String(error)}); approved once`;
        }
      }
    } else if (a.answer === 'approve-always') {
      if (!canAlwaysAllow || verdict.command === null || d.alwaysAllowTarget === null) {
        outcome = 'approved-once';
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
          note = `could not save the rule (${error instanceof Error ? error.message : String(error)}); approved once`;
        }
      }
    }
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
    );
  return stricterOrSame ? now : shown;
}
