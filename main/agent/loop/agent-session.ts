import { randomUUID } from 'node:crypto';
import type { LanguageModel, ModelMessage, ToolResultPart, ToolSet } from 'ai';
import type {
  AgentEvent,
  AgentMode,
  AgentUsage,
  SessionGrant,
  TurnOutcome,
} from '../../../shared/domain/agent';
import { ProviderError } from '../providers/errors';
import {
  DEFAULT_RETRY,
  runModelStep,
  type RetryPolicy,
  type StepRequest,
} from '../providers/model-step';
import { ZERO_USAGE, addUsage, toAgentUsage, type ModelPrice } from '../providers/pricing';
import { providerToolSet, withMoreTools } from '../tools/registry';
import type { AgentTool } from '../tools/tool-types';
import { Checkpoints, type FileChange } from './checkpoints';
import { trimContext, type ContextLimits } from './context-window';
import { ToolExecutor, type ToolExecutorDeps } from './tool-executor';

export interface AgentSessionOptions extends Omit<
  ToolExecutorDeps,
  'emit' | 'checkpoints' | 'tools'
> {
  readonly model: LanguageModel;
  readonly provider: string;
  readonly modelId: string;
  readonly system: string;
  readonly tools: ReadonlyMap<string, AgentTool>;
  readonly maxToolLoops: number;
  readonly maxRepeatedCalls: number;
  readonly context: ContextLimits;
  readonly temperature: number | null;
  readonly reasoning: StepRequest['reasoning'];
  readonly price: ModelPrice | null;
  readonly retry?: RetryPolicy;
  readonly sleep?: StepRequest['sleep'];
  /** Messages and checkpoints of an earlier run of this session (resume). */
  readonly history?: readonly ModelMessage[];
  readonly changes?: readonly FileChange[];
  /** Every event, in order: the UI and the session log listen here. */
  readonly onEvent: (event: AgentEvent) => void;
}

export interface TurnResult {
  readonly turnId: string;
  readonly outcome: TurnOutcome;
  readonly text: string;
  readonly usage: AgentUsage;
  readonly error: ProviderError | null;
}

/** Time spent outside the runtime during a turn (for the overhead benchmark). */
export interface TurnTimings {
  providerMs: number;
  toolMs: number;
  steps: number;
}

/**
 * One conversation with the model: runs turns (model step, tool calls, results, repeat) and keeps
 * the history and the checkpoints. One turn at a time.
 */
export class AgentSession {
  private readonly messages: ModelMessage[];
  readonly checkpoints = new Checkpoints();
  private readonly executor: ToolExecutor;
  private controller: AbortController | null = null;
  readonly timings: TurnTimings = { providerMs: 0, toolMs: 0, steps: 0 };
  /** The provider's tool set for the tools of the last step (built again when they change). */
  private lastTools: { tools: ReadonlyMap<string, AgentTool>; set: ToolSet } | null = null;

  private toolSet(tools: ReadonlyMap<string, AgentTool>): ToolSet {
    const last = this.lastTools;
    if (
      last &&
      last.tools.size === tools.size &&
      [...tools].every(([name, tool]) => last.tools.get(name) === tool)
    )
      return last.set;
    const set = providerToolSet(tools);
    this.lastTools = { tools, set };
    return set;
  }

  /** The mode of the turn running now (the composer picks it per message). */
  private mode: AgentMode = 'ask';

  constructor(private readonly o: AgentSessionOptions) {
    this.messages = [...(o.history ?? [])];
    for (const c of o.changes ?? []) this.checkpoints.restore(c);
    this.executor = new ToolExecutor({
      ...o,
      mode: () => this.mode,
      checkpoints: this.checkpoints,
      emit: (e) => this.emit(e),
    });
  }

  private emit(event: AgentEvent): void {
    try {
      this.o.onEvent(event);
    } catch {
      // A failing listener (a closed window, a full disk) must not break the turn.
    }
  }

  get history(): readonly ModelMessage[] {
    return this.messages;
  }

  get busy(): boolean {
    return this.controller !== null;
  }

  /** This session's "allow for this session" grants, oldest first. */
  grants(): SessionGrant[] {
    return this.executor.grants.list();
  }

  /** Revoke a grant (the next call it covered asks again); false when there is no such grant. */
  revokeGrant(grantId: string): boolean {
    return this.executor.grants.revoke(grantId);
  }

  /** Stop the running turn: the stream is aborted, a running command cancelled, approvals denied. */
  cancel(): void {
    this.controller?.abort();
  }

  /** Undo file changes (newest first) and record that in the event stream. */
  async revert(changeIds: readonly string[], turnId = 'revert'): Promise<FileChange[]> {
    const reverted = await this.checkpoints.revert(changeIds, this.o.policy().guard);
    this.emit({
      type: 'change-reverted',
      turnId,
      at: new Date().toISOString(),
      changeIds: reverted.map((c) => c.changeId),
      paths: reverted.map((c) => c.path),
    });
    return reverted;
  }

  /** Undo every change a turn made. */
  revertTurn(turnId: string): Promise<FileChange[]> {
    return this.revert(
      this.checkpoints.ofTurn(turnId).map((c) => c.changeId),
      turnId,
    );
  }

  /** Run one turn to its end. Never throws: failures end the turn with outcome `failed`. */
  async runTurn(prompt: string, mode: AgentMode = 'ask'): Promise<TurnResult> {
    if (this.controller) throw new Error('a turn is already running in this session');
    this.mode = mode;
    const controller = new AbortController();
    this.controller = controller;
    const turnId = `t-${randomUUID()}`;
    const started = performance.now();
    const at = (): string => new Date().toISOString();
    const o = this.o;
    let usage = ZERO_USAGE;
    let text = '';
    let outcome: TurnOutcome = 'completed';
    let error: ProviderError | null = null;
    let message: string | null = null;
    this.emit({
      type: 'turn-started',
      turnId,
      at: at(),
      prompt,
      provider: o.provider,
      model: o.modelId,
      mode,
    });
    const user: ModelMessage = { role: 'user', content: prompt };
    this.messages.push(user);
    this.emit({ type: 'history', turnId, at: at(), messages: [user] });
    const seen = new Map<string, number>();
    try {
      for (let step = 0; ; step++) {
        if (step >= o.maxToolLoops) {
          outcome = 'loop-limit';
          message = `stopped after ${o.maxToolLoops} model steps ([tools] max_tool_loops)`;
          break;
        }
        const trimmed = trimContext(o.system, this.messages, o.context);
        if (trimmed) {
          this.messages.splice(0, this.messages.length, ...trimmed.messages);
          this.emit({
            type: 'context-trimmed',
            turnId,
            at: at(),
            mode: 'trim',
            droppedMessages: trimmed.droppedMessages,
            tokensBefore: trimmed.tokensBefore,
            tokensAfter: trimmed.tokensAfter,
          });
        }
        // Read at each step: an MCP server's tools can change while a turn runs.
        const toolSet = this.toolSet(withMoreTools(o.tools, o.moreTools));
        const result = await runModelStep({
          model: o.model,
          provider: o.provider,
          modelId: o.modelId,
          system: o.system,
          messages: this.messages,
          tools: toolSet,
          temperature: o.temperature,
          reasoning: o.reasoning,
          signal: controller.signal,
          retry: o.retry ?? DEFAULT_RETRY,
          ...(o.sleep ? { sleep: o.sleep } : {}),
          onText: (t) => this.emit({ type: 'text-delta', turnId, at: at(), step, text: t }),
          onReasoning: (t) =>
            this.emit({ type: 'reasoning-delta', turnId, at: at(), step, text: t }),
          onRetry: (r) =>
            this.emit({
              type: 'retry',
              turnId,
              at: at(),
              step,
              attempt: r.attempt,
              delayMs: r.delayMs,
              reason: o.redact(r.error.message),
              discardPartial: r.discardPartial,
            }),
        });
        this.timings.providerMs += result.providerMs;
        this.timings.steps++;
        text = result.text;
        const stepUsage = toAgentUsage(result.usage, o.price);
        usage = addUsage(usage, stepUsage);
        this.emit({ type: 'usage', turnId, at: at(), step, stepUsage, turnUsage: usage });
        this.messages.push(...result.assistantMessages);
        if (result.toolCalls.length === 0) {
          this.emit({ type: 'history', turnId, at: at(), messages: [...result.assistantMessages] });
          break;
        }
        const parts: ToolResultPart[] = [];
        let runaway: string | null = null;
        const toolStarted = performance.now();
        for (const call of result.toolCalls) {
          const key = `${call.toolName}\u0000${JSON.stringify(call.input)}`;
          const count = (seen.get(key) ?? 0) + 1;
          seen.set(key, count);
          if (controller.signal.aborted) {
            parts.push({
              type: 'tool-result',
              toolCallId: call.callId,
              toolName: call.toolName,
              output: { type: 'error-text', value: 'Not run: the turn was cancelled.' },
            });
            continue;
          }
          if (count > o.maxRepeatedCalls) {
            runaway = `the same ${call.toolName} call was repeated ${count} times ([tools] max_repeated_tool_calls)`;
            parts.push({
              type: 'tool-result',
              toolCallId: call.callId,
              toolName: call.toolName,
              output: { type: 'error-text', value: `Not run: ${runaway}. Stop repeating it.` },
            });
            this.emit({
              type: 'tool-call-started',
              turnId,
              at: at(),
              step,
              callId: call.callId,
              tool: call.toolName,
              args: call.input,
            });
            this.emit({
              type: 'tool-call-finished',
              turnId,
              at: at(),
              callId: call.callId,
              tool: call.toolName,
              status: 'denied',
              durationMs: 0,
              result: `Not run: ${runaway}`,
            });
            continue;
          }
          const r = await this.executor.run(call, turnId, step, controller.signal);
          parts.push(r.part);
        }
        this.timings.toolMs += performance.now() - toolStarted;
        const toolMessage: ModelMessage = { role: 'tool', content: parts };
        this.messages.push(toolMessage);
        this.emit({
          type: 'history',
          turnId,
          at: at(),
          messages: [...result.assistantMessages, toolMessage],
        });
        if (controller.signal.aborted) throw new ProviderError('cancelled', 'Cancelled.');
        if (runaway) {
          outcome = 'loop-limit';
          message = `stopped: ${runaway}`;
          break;
        }
      }
    } catch (raw) {
      error =
        raw instanceof ProviderError
          ? raw
          : new ProviderError('internal', raw instanceof Error ? raw.message : String(raw));
      outcome = error.kind === 'cancelled' ? 'cancelled' : 'failed';
      message = o.redact(error.message);
      if (outcome === 'failed')
        this.emit({ type: 'error', turnId, at: at(), error: { ...error.toAgentError(), message } });
    } finally {
      this.controller = null;
    }
    this.emit({
      type: 'turn-finished',
      turnId,
      at: at(),
      outcome,
      usage,
      durationMs: performance.now() - started,
      message,
    });
    return { turnId, outcome, text, usage, error };
  }
}
