import { z } from 'zod';
import {
  activityRecordSchema,
  activitySubjectSchema,
  type ActivitySubject,
} from '../../shared/domain/activity';
import { decisionSchema, ruleRefSchema, type Decision } from '../../shared/domain/policy';
import { CHANGED_FILES } from '../agent/loop/tool-executor';
import type { ActivityStore, ReadRecord } from './activity-store';
import { findMembers, MemberKeys, memberText, memberValue } from './json-members';

/*
 * The part of an activity log a backtest replays: every sealed `call` record, grouped by what was
 * asked (tool + subjects), so each distinct question is decided once however often it was asked.
 * Lines are read from their bytes, a few members each (json-members.ts), their seals checked in a
 * worker thread (seal-lines.ts): see bench/backtest-bench.ts for 100,000 calls.
 */

/** One recorded call, as a backtest reports it. */
export interface ReplayRecord {
  /** Its place in the log, oldest first (the log is appended in time order). */
  readonly seq: number;
  readonly id: string;
  readonly at: string;
  readonly sessionId: string | null;
  readonly callId: string | null;
  readonly subject: string;
  /** What the policy itself decided then (a prompt the file baseline made counts as allow). */
  readonly before: Decision;
}

/** One distinct question (tool + subjects) and the calls that asked it. */
export interface ReplayInput {
  readonly tool: string;
  readonly subjects: readonly ActivitySubject[];
  /** How many calls asked it. */
  count: number;
  /** The calls kept: all of them, unless the reader was told which it need not keep. */
  readonly records: ReplayRecord[];
}

export interface ReplayLogOptions {
  /** Told of each distinct question as it is first read (a backtest decides it then). */
  readonly onInput?: (input: ReplayInput) => void;
  /**
   * Whether to keep a call (default: all): a one-off backtest keeps only those whose decision
   * changes, and reads nothing else of the others.
   */
  readonly keep?: (input: ReplayInput, before: Decision) => boolean;
}

export interface ReplayLog {
  readonly inputs: readonly ReplayInput[];
  /** Sealed call records. */
  readonly calls: number;
  /** Lines not sealed by this app for this workspace (shipped, edited, replayed): never counted on. */
  readonly unsealed: number;
  /** Sealed lines that are not activity records (a damaged or future line). */
  readonly unreadable: number;
}

const KEYS = new MemberKeys([
  'id',
  'at',
  'sessionId',
  'callId',
  'kind',
  'tool',
  'subject',
  'subjects',
  'policy',
]);
const [ID, AT, SESSION, CALL, KIND, TOOL, SUBJECT, SUBJECTS, POLICY] = KEYS.names.map((n) =>
  KEYS.slot(n),
) as [number, number, number, number, number, number, number, number, number];
const DECISION = new MemberKeys(['decision']);
const CHANGED_FILES_ENTRY = Buffer.from(JSON.stringify(CHANGED_FILES.entry));
const subjectsSchema = z.array(activitySubjectSchema);
const verdictSchema = z.object({ decision: decisionSchema, rule: ruleRefSchema.nullable() });

const isString = (v: unknown): v is string => typeof v === 'string';
const isDecision = (v: unknown): v is Decision => v === 'allow' || v === 'prompt' || v === 'deny';

/** The decision a recorded verdict stands for in a replay (without the file baseline). */
function policyOwn(verdict: z.infer<typeof verdictSchema>): Decision {
  const rule = verdict.rule;
  const baseline =
    rule !== null && rule.kind === CHANGED_FILES.kind && rule.entry === CHANGED_FILES.entry;
  return baseline ? 'allow' : verdict.decision;
}

/** Builds a ReplayLog from lines or records, in log order. */
export class ReplayLogBuilder {
  constructor(private readonly options: ReplayLogOptions = {}) {}

  /** By tool, then by the subjects' JSON text. */
  private readonly groups = new Map<string, Map<string, ReplayInput>>();
  private readonly inputs: ReplayInput[] = [];
  private readonly seen = new Set<string>();
  private readonly ranges = KEYS.ranges();
  private readonly policyRanges = DECISION.ranges();
  private seq = 0;
  private calls = 0;
  private unsealed = 0;
  private unreadable = 0;

  /** One line of the log as ActivityStore.scanLines gives it. */
  addLine(line: Buffer, sealedLength: number): void {
    if (sealedLength < 0) {
      this.unsealed++;
      return;
    }
    const r = this.ranges;
    if (!findMembers(line, 0, sealedLength, KEYS, r)) return this.addParsed(line, sealedLength);
    let fields;
    try {
      fields = {
        id: memberValue(line, r, ID),
        kind: memberValue(line, r, KIND),
        tool: memberValue(line, r, TOOL),
        subjectsText: memberText(line, r, SUBJECTS),
        before: this.verdictAt(line, r[2 * POLICY] ?? -1, r[2 * POLICY + 1] ?? -1),
      };
    } catch {
      return this.addParsed(line, sealedLength);
    }
    const { id, kind, tool, subjectsText, before } = fields;
    if (
      !isString(id) ||
      id.length === 0 ||
      id.length > 200 ||
      (kind !== 'call' && kind !== 'approval' && kind !== 'network') ||
      !isString(tool) ||
      subjectsText === undefined ||
      before === null
    )
      return this.addParsed(line, sealedLength);
    if (kind !== 'call') {
      this.replayed(id);
      return;
    }
    const group = this.groupOf(tool, subjectsText, null);
    if (group === null) return this.addParsed(line, sealedLength);
    if (this.replayed(id)) return;
    const seq = this.seq++;
    this.calls++;
    group.count++;
    if (this.options.keep && !this.options.keep(group, before)) return;
    // What only a listed change shows is read only for the calls kept.
    let at, sessionId, callId, subject;
    try {
      [at, sessionId, callId, subject] = [AT, SESSION, CALL, SUBJECT].map((slot) =>
        memberValue(line, r, slot),
      );
    } catch {
      // Sealed but not JSON there: listed with what could be read.
    }
    group.records.push({
      seq,
      id,
      at: isString(at) ? at : '',
      sessionId: isString(sessionId) ? sessionId : null,
      callId: isString(callId) ? callId : null,
      subject: isString(subject) ? subject : '',
      before,
    });
  }

  /** One record as ActivityStore.read gives it. */
  addRecord({ record, sealed }: ReadRecord): void {
    if (!sealed) {
      this.unsealed++;
      return;
    }
    if (this.replayed(record.id) || record.kind !== 'call') return;
    const { id, at, sessionId, callId, subject } = record;
    const before = policyOwn(record.policy);
    const group = this.groupOf(record.tool, JSON.stringify(record.subjects), record.subjects);
    if (group === null) return;
    const seq = this.seq++;
    this.calls++;
    group.count++;
    if (this.options.keep && !this.options.keep(group, before)) return;
    group.records.push({ seq, id, at, sessionId, callId, subject, before });
  }

  build(): ReplayLog {
    return {
      inputs: this.inputs,
      calls: this.calls,
      unsealed: this.unsealed,
      unreadable: this.unreadable,
    };
  }

  /** The group of a question; null when its subjects are not subjects. */
  private groupOf(
    tool: string,
    subjectsText: string,
    subjects: readonly ActivitySubject[] | null,
  ): ReplayInput | null {
    let byText = this.groups.get(tool);
    if (!byText) {
      byText = new Map();
      this.groups.set(tool, byText);
    }
    let group = byText.get(subjectsText);
    if (!group) {
      const parsed = subjects ?? parseSubjects(subjectsText);
      if (parsed === null) return null;
      group = { tool, subjects: parsed, count: 0, records: [] };
      byText.set(subjectsText, group);
      this.inputs.push(group);
      this.options.onInput?.(group);
    }
    return group;
  }

  /** A sealed copy of a line already read (a replay) is not trusted twice, as ActivityStore.read. */
  private replayed(id: string): boolean {
    const before = this.seen.size;
    if (this.seen.add(id).size > before) return false;
    this.unsealed++;
    return true;
  }

  /**
   * The decision of the `policy` member at `[start, end)`, read without parsing its reason and
   * rule; a prompt that may be the file baseline's (that rule's text appears in it) is parsed
   * whole. Null when invalid.
   */
  private verdictAt(line: Buffer, start: number, end: number): Decision | null {
    if (start < 0) return null;
    const r = this.policyRanges;
    if (!findMembers(line, start, end - 1, DECISION, r)) return null;
    const decision = memberValue(line, r, 0);
    if (decision === 'prompt' && line.subarray(start, end).indexOf(CHANGED_FILES_ENTRY) >= 0) {
      const verdict = verdictSchema.safeParse(JSON.parse(line.toString('utf8', start, end)));
      return verdict.success ? policyOwn(verdict.data) : null;
    }
    return isDecision(decision) ? decision : null;
  }

  /** The slow way, for a line the fast reader does not take: parse and check all of it. */
  private addParsed(line: Buffer, sealedLength: number): void {
    let value: unknown;
    try {
      value = JSON.parse(`${line.toString('utf8', 0, sealedLength)}}`);
    } catch {
      this.unreadable++;
      return;
    }
    const parsed = activityRecordSchema.safeParse(value);
    if (!parsed.success) {
      this.unreadable++;
      return;
    }
    this.addRecord({ record: parsed.data, sealed: true });
  }
}

function parseSubjects(text: string): readonly ActivitySubject[] | null {
  try {
    const parsed = subjectsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The replayable part of a workspace's activity log, read line by line without whole parses. */
export async function readReplayLog(
  store: ActivityStore,
  options: ReplayLogOptions = {},
): Promise<ReplayLog> {
  const builder = new ReplayLogBuilder(options);
  await store.scanLines((line, sealedLength) => builder.addLine(line, sealedLength));
  return builder.build();
}

/** The same from records already read (ActivityStore.read), for callers that have them. */
export async function replayLogOf(
  records: AsyncIterable<ReadRecord> | Iterable<ReadRecord>,
): Promise<ReplayLog> {
  const builder = new ReplayLogBuilder();
  for await (const r of records) builder.addRecord(r);
  return builder.build();
}
