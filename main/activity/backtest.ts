import type { ActivitySubject } from '../../shared/domain/activity';
import type { Decision, RuleRef } from '../../shared/domain/policy';
import type { BacktestChangeView, BacktestSkipped } from '../../shared/domain/policy-whatif';
import { decideSubjects } from '../agent/loop/tool-executor';
import { agentTools } from '../agent/tools/registry';
import type { ToolSubject } from '../agent/tools/tool-types';
import type { PolicyEngine } from '../policy/engine';
import { canonicalToolName } from '../policy/tool-names';
import type { ActivityStore } from './activity-store';
import { readReplayLog, type ReplayInput, type ReplayLog } from './replay-log';

/*
 * Backtest: decide every recorded call again under another policy and list those that come out
 * differently. The policy alone is compared: no mode, no session grant, no file baseline, as
 * `record.policy` was recorded before them.
 */

/** A past decision the other policy would make differently (the what-if panel's row). */
export type BacktestChange = BacktestChangeView;

export interface BacktestResult {
  /** Calls decided again. */
  readonly checked: number;
  /** Newest first. */
  readonly changed: readonly BacktestChange[];
  /** Unsealed lines, calls that cannot be replayed, damaged lines (see backtestSkippedSchema). */
  readonly skipped: BacktestSkipped;
  readonly ms: number;
}

export interface BacktestOptions {
  /** The tools that exist (default: every tool of the app). */
  readonly tools?: ReadonlySet<string>;
  /** Stops the run between slices (a newer what-if replaced this one). */
  readonly signal?: AbortSignal;
  /** Questions already decided under this engine (while the log was read). */
  readonly decided?: ReadonlyMap<ReplayInput, Replayed | null>;
}

const ALL_TOOLS: ReadonlySet<string> = new Set(agentTools({ webFetch: true }).keys());

/** The subjects as the tool executor decides them; null when one is of a kind it never decides. */
function toolSubjects(subjects: readonly ActivitySubject[]): ToolSubject[] | null {
  const out: ToolSubject[] = [];
  for (const s of subjects) {
    if (s.kind === 'command')
      out.push(
        s.cwd === undefined
          ? { kind: 'command', command: s.command }
          : { kind: 'command', command: s.command, cwd: s.cwd },
      );
    else if (s.kind === 'path') out.push({ kind: 'path', path: s.path, op: s.op });
    else if (s.kind === 'url') out.push({ kind: 'url', url: s.url });
    else return null;
  }
  return out;
}

/** A question decided again: what the other policy says, why, and by which rule. */
export interface Replayed {
  readonly decision: Decision;
  readonly reason: string;
  readonly rule: RuleRef | null;
}

/** Decide one distinct question again; null when it cannot be (see `skipped.unreplayable`). */
export function replay(
  engine: PolicyEngine,
  input: ReplayInput,
  tools: ReadonlySet<string> = ALL_TOOLS,
): Replayed | null {
  if (!tools.has(canonicalToolName(input.tool))) return null;
  const subjects = toolSubjects(input.subjects);
  if (subjects === null) return null;
  const { decision, reason, rule, command } = decideSubjects(engine, input.tool, subjects);
  if (decision === 'allow' && command !== null) {
    // The verdict of an allowed command names the shell tool's setting; a row names the command's
    // own rule ("allowed by allow_list `cargo build`"). The engine has the decision cached.
    const own = engine.decideCommand(command);
    return { decision, reason: own.reason, rule: own.parts[0]?.rule ?? rule };
  }
  return { decision, reason, rule };
}

/** Yield to the event loop this often, so a long run neither blocks main nor outlives its request. */
const SLICE_MS = 12;

/**
 * Replay `log` under `engine`: each distinct (tool, subjects) once, compared with what every call
 * that asked it recorded. Throws the signal's reason when aborted.
 */
export async function backtest(
  engine: PolicyEngine,
  log: ReplayLog,
  options: BacktestOptions = {},
): Promise<BacktestResult> {
  const started = performance.now();
  const tools = options.tools ?? ALL_TOOLS;
  // By place in the log: read backwards, newest first, without a sort.
  const bySeq: (BacktestChange | undefined)[] = new Array<BacktestChange | undefined>(log.calls);
  let checked = 0;
  let unreplayable = 0;
  let slice = performance.now();
  for (const input of log.inputs) {
    if (performance.now() - slice > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
      slice = performance.now();
    }
    const known = options.decided?.get(input);
    const now = known === undefined ? replay(engine, input, tools) : known;
    if (now === null) {
      unreplayable += input.count;
      continue;
    }
    checked += input.count;
    for (const r of input.records) {
      if (r.before === now.decision) continue;
      bySeq[r.seq] = {
        id: r.id,
        at: r.at,
        sessionId: r.sessionId,
        callId: r.callId,
        tool: input.tool,
        subject: r.subject,
        before: r.before,
        after: now.decision,
        reason: now.reason,
        rule: now.rule,
      };
    }
  }
  options.signal?.throwIfAborted();
  const changed: BacktestChange[] = [];
  for (let i = bySeq.length - 1; i >= 0; i--) {
    const change = bySeq[i];
    if (change !== undefined) changed.push(change);
  }
  return {
    checked,
    changed,
    skipped: { unsealed: log.unsealed, unreplayable, unreadable: log.unreadable },
    ms: performance.now() - started,
  };
}

/**
 * Read `store`'s log and replay it under `engine` in one pass: each new question is decided as
 * soon as its first sealed call is read, while the seals of the lines after it are still being
 * checked (in a worker), so deciding and checking overlap; only the calls that change are kept.
 * `ms` covers both.
 */
export async function backtestStore(
  engine: PolicyEngine,
  store: ActivityStore,
  options: BacktestOptions = {},
): Promise<BacktestResult> {
  const started = performance.now();
  const tools = options.tools ?? ALL_TOOLS;
  const decided = new Map<ReplayInput, Replayed | null>();
  const log = await readReplayLog(store, {
    onInput: (input) => decided.set(input, replay(engine, input, tools)),
    // Only the calls that change are kept (and read beyond their question and decision).
    keep: (input, before) => {
      const now = decided.get(input);
      return now !== undefined && now !== null && now.decision !== before;
    },
  });
  const result = await backtest(engine, log, { ...options, decided });
  return { ...result, ms: performance.now() - started };
}

/** `allow->prompt`: how a change is counted and grouped. */
export function transitionOf(change: { before: Decision; after: Decision }): string {
  return `${change.before}->${change.after}`;
}
