import { describe, expect, it } from 'vitest';
import type { AgentEvent, AgentUsage } from '../../../shared/domain/agent';
import {
  coalesceDeltas,
  conversationReducer,
  describeError,
  emptyConversation,
  foldEvents,
  replayConversation,
  type ConversationItem,
} from './conversation-reducer';

const at = '2025-01-01T00:00:00.000Z';
const t = { turnId: 't1', at };
const usage = (input: number, output: number, costUsd: number | null): AgentUsage => ({
  inputTokens: input,
  outputTokens: output,
  cachedInputTokens: 0,
  reasoningTokens: 0,
  costUsd,
});
const started: AgentEvent = {
  type: 'turn-started',
  ...t,
  prompt: 'list files',
  provider: 'openai',
  model: 'gpt-test',
};
const finished = (u: AgentUsage = usage(10, 5, 0.01)): AgentEvent => ({
  type: 'turn-finished',
  ...t,
  outcome: 'completed',
  usage: u,
  durationMs: 120,
  message: null,
});
const kinds = (items: readonly ConversationItem[]) => items.map((i) => i.kind);

describe('conversation reducer', () => {
  it('shows the prompt, then streams text and reasoning of a step into one answer', () => {
    const s = foldEvents(emptyConversation, [
      started,
      { type: 'reasoning-delta', ...t, step: 0, text: 'think ' },
      { type: 'text-delta', ...t, step: 0, text: 'Hel' },
      { type: 'reasoning-delta', ...t, step: 0, text: 'more' },
      { type: 'text-delta', ...t, step: 0, text: 'lo' },
    ]);
    expect(s.items).toEqual([
      { kind: 'user', id: 't1:u', turnId: 't1', text: 'list files' },
      {
        kind: 'assistant',
        id: 't1:a0',
        turnId: 't1',
        step: 0,
        text: 'Hello',
        reasoning: 'think more',
      },
    ]);
    expect(s.run).toEqual({ state: 'streaming', turnId: 't1' });
    expect(s.model).toEqual({ provider: 'openai', model: 'gpt-test' });
  });

  it('follows a tool call through approval to its result, and the run state with it', () => {
    let s = foldEvents(emptyConversation, [
      started,
      {
        type: 'tool-call-started',
        ...t,
        step: 0,
        callId: 'c1',
        tool: 'exec_command',
        args: { command: 'echo hi' },
      },
      {
        type: 'tool-call-decided',
        ...t,
        callId: 'c1',
        decision: 'prompt',
        reason: 'asks',
        rule: null,
      },
      {
        type: 'tool-call-awaiting-approval',
        ...t,
        callId: 'c1',
        approvalId: 'ap-123456',
        tool: 'exec_command',
        subject: 'echo hi',
        reason: 'asks',
        canAlwaysAllow: true,
      },
    ]);
    expect(s.run).toEqual({ state: 'awaiting-approval', turnId: 't1', callId: 'c1' });
    expect(s.items[1]).toMatchObject({ kind: 'tool', status: 'awaiting-approval' });
    s = conversationReducer(s, {
      type: 'approval-resolved',
      ...t,
      callId: 'c1',
      approvalId: 'ap-123456',
      outcome: 'approved-once',
      reason: null,
    });
    expect(s.run).toEqual({ state: 'running-tool', turnId: 't1', callId: 'c1' });
    s = conversationReducer(s, {
      type: 'tool-call-finished',
      ...t,
      callId: 'c1',
      tool: 'exec_command',
      status: 'ok',
      durationMs: 42,
      result: 'hi',
    });
    expect(s.items[1]).toMatchObject({
      status: 'ok',
      durationMs: 42,
      result: 'hi',
      decision: { decision: 'prompt', reason: 'asks' },
      approval: { outcome: 'approved-once', reason: null },
    });
    expect(s.run.state).toBe('streaming');
  });

  it('marks a denied call with the reason the user gave', () => {
    const s = foldEvents(emptyConversation, [
      started,
      { type: 'tool-call-started', ...t, step: 0, callId: 'c1', tool: 'write_file', args: {} },
      {
        type: 'approval-resolved',
        ...t,
        callId: 'c1',
        approvalId: 'ap-123456',
        outcome: 'denied',
        reason: 'not now',
      },
    ]);
    expect(s.items[1]).toMatchObject({ status: 'denied', approval: { reason: 'not now' } });
    expect(s.run).toEqual({ state: 'streaming', turnId: 't1' });
  });

  it('attaches file changes to their call, counts them on the turn and marks reverts', () => {
    let s = foldEvents(emptyConversation, [
      started,
      { type: 'tool-call-started', ...t, step: 0, callId: 'c1', tool: 'write_file', args: {} },
      {
        type: 'file-changed',
        ...t,
        callId: 'c1',
        changeId: 'ch1',
        path: 'a.txt',
        before: null,
        after: 'x\n',
      },
      finished(),
    ]);
    expect(s.items.at(-1)).toMatchObject({ kind: 'turn-end', openChanges: 1 });
    s = conversationReducer(s, {
      type: 'change-reverted',
      ...t,
      changeIds: ['ch1'],
      paths: ['a.txt'],
    });
    expect(s.items[1]).toMatchObject({ changes: [{ changeId: 'ch1', reverted: true }] });
    expect(s.items.find((i) => i.kind === 'turn-end')).toMatchObject({ openChanges: 0 });
    expect(s.items.at(-1)).toMatchObject({ kind: 'notice', text: 'Reverted a.txt.' });
  });

  it('drops partial text on a retry that resends it, and says so', () => {
    const s = foldEvents(emptyConversation, [
      started,
      { type: 'text-delta', ...t, step: 0, text: 'half an ans' },
      {
        type: 'retry',
        ...t,
        step: 0,
        attempt: 1,
        delayMs: 1500,
        reason: '429 Too Many Requests',
        discardPartial: true,
      },
      { type: 'text-delta', ...t, step: 0, text: 'whole' },
    ]);
    expect(s.items[1]).toMatchObject({ kind: 'assistant', text: 'whole' });
    expect(s.items[2]).toMatchObject({
      kind: 'notice',
      tone: 'warn',
      text: 'Retrying (attempt 1) in 1.5 s: 429 Too Many Requests',
    });
  });

  it('sums usage per session and keeps the last turn’s live usage until it ends', () => {
    let s = foldEvents(emptyConversation, [
      started,
      { type: 'usage', ...t, step: 0, stepUsage: usage(3, 1, null), turnUsage: usage(3, 1, null) },
    ]);
    expect(s.liveUsage).toEqual(usage(3, 1, null));
    s = foldEvents(s, [finished(usage(10, 5, 0.01)), { ...started, turnId: 't2' }]);
    s = conversationReducer(s, { ...finished(usage(1, 1, null)), turnId: 't2' });
    expect(s.sessionUsage).toEqual(usage(11, 6, 0.01));
    expect(s.liveUsage).toBeNull();
    expect(s.run).toEqual({ state: 'idle' });
  });

  it('turns an error into words and an error run state that the failed turn keeps', () => {
    const s = foldEvents(emptyConversation, [
      started,
      {
        type: 'error',
        ...t,
        error: { kind: 'auth', message: 'invalid_api_key', status: 401 },
      },
      { ...finished(), outcome: 'failed', message: 'ignored' } as AgentEvent,
    ]);
    const words = 'The provider refused the API key (HTTP 401): invalid_api_key';
    expect(s.run).toEqual({ state: 'error', message: words });
    expect(s.items).toContainEqual(
      expect.objectContaining({ kind: 'notice', tone: 'error', text: words }),
    );
    expect(describeError({ kind: 'network', message: 'ECONNREFUSED', status: null })).toBe(
      'Could not reach the provider: ECONNREFUSED',
    );
  });

  it('tells of context trimming', () => {
    const s = conversationReducer(emptyConversation, {
      type: 'context-trimmed',
      ...t,
      mode: 'trim',
      droppedMessages: 4,
      tokensBefore: 9000,
      tokensAfter: 3000,
    });
    expect(s.items[0]).toMatchObject({ kind: 'notice', tone: 'info' });
    expect((s.items[0] as { text: string }).text).toContain('4 older messages were left out');
  });

  it('replays a log that stopped mid-turn as idle, with the same items as live', () => {
    const events: AgentEvent[] = [started, { type: 'text-delta', ...t, step: 0, text: 'part' }];
    const replayed = replayConversation(events);
    expect(replayed.run).toEqual({ state: 'idle' });
    expect(kinds(replayed.items)).toEqual(['user', 'assistant']);
  });

  it('coalesces runs of deltas of the same step only', () => {
    const merged = coalesceDeltas([
      { type: 'text-delta', ...t, step: 0, text: 'a' },
      { type: 'text-delta', ...t, step: 0, text: 'b' },
      { type: 'reasoning-delta', ...t, step: 0, text: 'r' },
      { type: 'text-delta', ...t, step: 1, text: 'c' },
    ]);
    expect(merged.map((e) => ('text' in e ? e.text : ''))).toEqual(['ab', 'r', 'c']);
  });

  it('ignores events for calls it has not seen and the provider history', () => {
    const s = foldEvents(emptyConversation, [
      {
        type: 'tool-call-finished',
        ...t,
        callId: 'nope',
        tool: 'x',
        status: 'ok',
        durationMs: 1,
        result: '',
      },
      { type: 'history', ...t, messages: [] },
    ]);
    expect(s.items).toEqual([]);
  });

  it('folds a long session quickly', () => {
    const events: AgentEvent[] = [];
    for (let i = 0; i < 2500; i++) {
      const turn = { turnId: `t${i}`, at };
      events.push({ ...started, ...turn });
      for (let k = 0; k < 20; k++)
        events.push({ type: 'text-delta', ...turn, step: 0, text: 'word ' });
      events.push({ ...finished(), ...turn });
    }
    const began = performance.now();
    const s = replayConversation(events);
    expect(s.items).toHaveLength(7500);
    expect(performance.now() - began).toBeLessThan(1000);
  });
});

describe('tool card times', () => {
  it('keeps the time spent waiting for a person apart from the run time', () => {
    const base = { turnId: 't1' };
    const s = foldEvents(emptyConversation, [
      {
        ...base,
        type: 'tool-call-started',
        at: '2026-01-01T00:00:00.000Z',
        step: 0,
        callId: 'c1',
        tool: 'exec_command',
        args: { command: 'npm test' },
      },
      {
        ...base,
        type: 'tool-call-decided',
        at: '2026-01-01T00:00:00.010Z',
        callId: 'c1',
        decision: 'prompt',
        reason: 'r',
        rule: null,
      },
      {
        ...base,
        type: 'tool-call-awaiting-approval',
        at: '2026-01-01T00:00:00.020Z',
        callId: 'c1',
        approvalId: 'ap-000001',
        tool: 'exec_command',
        subject: 'npm test',
        reason: 'r',
        canAlwaysAllow: true,
      },
      {
        ...base,
        type: 'approval-resolved',
        at: '2026-01-01T00:00:11.020Z',
        callId: 'c1',
        approvalId: 'ap-000001',
        outcome: 'approved-once',
        reason: null,
      },
      {
        ...base,
        type: 'tool-call-finished',
        at: '2026-01-01T00:00:11.223Z',
        callId: 'c1',
        tool: 'exec_command',
        status: 'ok',
        durationMs: 11_223,
        result: 'ok',
      },
    ] as AgentEvent[]);
    const card = s.items.find((i) => i.kind === 'tool');
    expect(card?.kind === 'tool' && card.waitedMs).toBe(11_000);
    expect(card?.kind === 'tool' && card.durationMs).toBe(11_223);
  });
});
