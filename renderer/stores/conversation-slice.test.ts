import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand';
import type { AgentEvent, SessionSummary } from '../../shared/domain/agent';
import { BridgeError } from '../../shared/ipc/errors';
import { fakeBridge } from '../test-support/fake-bridge';
import { createConversationSlice, newSessionFailure, selectBusy } from './conversation-slice';
import type { RootState } from './root-store';
import { createSessionsSlice } from './sessions-slice';

const at = '2025-01-01T00:00:00.000Z';
const summary = (id: string, title = 'New session'): SessionSummary => ({
  id,
  title,
  workspace: '/w',
  createdAt: at,
  updatedAt: at,
  provider: 'openai',
  model: 'gpt-test',
  turns: 0,
});
const later = '2025-01-02T00:00:00.000Z';
const t = { turnId: 't1', at };
const approval = (approvalId: string, subject: string): AgentEvent => ({
  type: 'tool-call-awaiting-approval',
  ...t,
  callId: `c-${approvalId}`,
  approvalId,
  tool: 'exec_command',
  subject,
  reason: 'exec_command asks',
  canAlwaysAllow: true,
});

function setup(handlers: Parameters<typeof fakeBridge>[0]) {
  const bridge = fakeBridge({ 'agent:list-sessions': () => [], ...handlers });
  const frames: (() => void)[] = [];
  const store = createStore<RootState>()(
    (...a) =>
      ({
        workspace: { path: '/w' },
        ...createSessionsSlice(bridge.api)(...a),
        ...createConversationSlice(bridge.api, { schedule: (cb) => frames.push(cb) })(...a),
      }) as unknown as RootState,
  );
  return { bridge, store, runFrames: () => frames.splice(0).forEach((cb) => cb()) };
}

describe('conversation slice', () => {
  it('starts a session with the chosen provider when the first message is sent', async () => {
    const { bridge, store } = setup({
      'agent:start-session': () => ({
        session: summary('s-aaaaaa'),
        events: [],
        warnings: ['no key'],
      }),
      'agent:send': () => ({ ...summary('s-aaaaaa', 'hello'), turns: 1 }),
    });
    store.getState().setSessionChoice({
      provider: ' openai ',
      model: 'gpt-test',
      baseUrl: 'http://127.0.0.1:9/v1',
    });
    expect(await store.getState().sendMessage('  hello ')).toBe(true);
    expect(bridge.calls.filter((c) => c.channel !== 'agent:list-sessions')).toEqual([
      {
        channel: 'agent:start-session',
        request: {
          provider: 'openai',
          model: 'gpt-test',
          baseUrl: 'http://127.0.0.1:9/v1',
        },
      },
      { channel: 'agent:send', request: { sessionId: 's-aaaaaa', prompt: 'hello', mode: 'ask' } },
    ]);
    // The host named the session after the message: the view says so at once.
    expect(store.getState().activeSession).toMatchObject({ title: 'hello', turns: 1 });
    expect(store.getState().sessionWarnings).toEqual(['no key']);
    expect(store.getState().conversation.run).toEqual({ state: 'streaming', turnId: null });
    expect(selectBusy(store.getState())).toBe(true);
  });

  it('leaves out empty choices, so the config decides', async () => {
    const { bridge, store } = setup({
      'agent:start-session': () => ({ session: summary('s-aaaaaa'), events: [], warnings: [] }),
    });
    await store.getState().startSession();
    expect(bridge.calls[0]).toEqual({ channel: 'agent:start-session', request: {} });
  });

  it('shows why a message was not sent and goes back to the previous run state', async () => {
    const { store } = setup({
      'agent:start-session': () => ({ session: summary('s-aaaaaa'), events: [], warnings: [] }),
      'agent:send': () => {
        throw new BridgeError('conflict', 'The agent is still working on the last message');
      },
    });
    expect(await store.getState().sendMessage('hi')).toBe(false);
    expect(store.getState().conversationError).toBe(
      'The agent is still working on the last message',
    );
    expect(store.getState().conversation.run).toEqual({ state: 'idle' });
    expect(await store.getState().sendMessage('   ')).toBe(false);
  });

  it('folds the events of the open session once per frame and ignores other sessions', async () => {
    const { store, runFrames } = setup({
      'agent:start-session': () => ({ session: summary('s-aaaaaa'), events: [], warnings: [] }),
      'agent:list-sessions': () => [summary('s-aaaaaa')],
    });
    await store.getState().startSession();
    const before = store.getState().conversation;
    store.getState().agentEvent({
      sessionId: 's-aaaaaa',
      event: { type: 'turn-started', ...t, prompt: 'hi', provider: 'openai', model: 'm' },
    });
    for (const text of ['a', 'b', 'c'])
      store.getState().agentEvent({
        sessionId: 's-aaaaaa',
        event: { type: 'text-delta', ...t, step: 0, text },
      });
    store.getState().agentEvent({
      sessionId: 's-bbbbbb',
      event: { type: 'text-delta', ...t, step: 0, text: 'elsewhere' },
    });
    expect(store.getState().conversation).toBe(before);
    runFrames();
    expect(store.getState().conversation.items.map((i) => i.kind)).toEqual(['user', 'assistant']);
    expect(store.getState().conversation.items[1]).toMatchObject({ text: 'abc' });
    await store.getState().loadSessions();
    store.getState().agentEvent({
      sessionId: 's-aaaaaa',
      event: {
        type: 'turn-finished',
        ...t,
        at: later,
        outcome: 'completed',
        usage: {
          inputTokens: 1,
          outputTokens: 1,
          cachedInputTokens: 0,
          reasoningTokens: 0,
          costUsd: null,
        },
        durationMs: 5,
        message: null,
      },
    });
    runFrames();
    // Moved to the top as of the turn's end; the turn was counted when it started.
    expect(store.getState().activeSession).toMatchObject({ turns: 0, updatedAt: later });
  });

  it('queues approvals of every session in order and drops them when resolved', () => {
    const { store, runFrames } = setup({});
    store.getState().agentEvent({ sessionId: 's-aaaaaa', event: approval('ap-000001', 'ls') });
    store.getState().agentEvent({ sessionId: 's-bbbbbb', event: approval('ap-000002', 'pwd') });
    store.getState().agentEvent({ sessionId: 's-aaaaaa', event: approval('ap-000003', 'id') });
    runFrames();
    expect(store.getState().approvals.map((a) => [a.approvalId, a.sessionId])).toEqual([
      ['ap-000001', 's-aaaaaa'],
      ['ap-000002', 's-bbbbbb'],
      ['ap-000003', 's-aaaaaa'],
    ]);
    store.getState().agentEvent({
      sessionId: 's-bbbbbb',
      event: {
        type: 'approval-resolved',
        ...t,
        callId: 'c',
        approvalId: 'ap-000002',
        outcome: 'denied',
        reason: null,
      },
    });
    runFrames();
    expect(store.getState().approvals.map((a) => a.approvalId)).toEqual(['ap-000001', 'ap-000003']);
  });

  it('answers an approval through the bridge and keeps it when the host refuses', async () => {
    let refuse = false;
    const { bridge, store, runFrames } = setup({
      'agent:answer-approval': () => {
        if (refuse) throw new BridgeError('not-found', 'Approval not accepted: unknown id');
        return null;
      },
    });
    store.getState().agentEvent({ sessionId: 's-aaaaaa', event: approval('ap-000001', 'ls') });
    store.getState().agentEvent({ sessionId: 's-aaaaaa', event: approval('ap-000002', 'id') });
    runFrames();
    refuse = true;
    expect(
      await store.getState().answerApproval({ approvalId: 'ap-000001', answer: 'approve-once' }),
    ).toBe(false);
    expect(store.getState().approvals).toHaveLength(2);
    expect(store.getState().conversationError).toContain('unknown id');
    refuse = false;
    expect(
      await store
        .getState()
        .answerApproval({ approvalId: 'ap-000001', answer: 'deny', reason: 'no' }),
    ).toBe(true);
    expect(bridge.calls.at(-1)).toEqual({
      channel: 'agent:answer-approval',
      request: { approvalId: 'ap-000001', answer: 'deny', reason: 'no' },
    });
    expect(store.getState().approvals.map((a) => a.approvalId)).toEqual(['ap-000002']);
  });

  it('resumes a session with its past events and the base URL typed in the chooser', async () => {
    const { bridge, store } = setup({
      'agent:resume-session': () => ({
        session: summary('s-aaaaaa', 'Old one'),
        events: [
          { type: 'turn-started', ...t, prompt: 'earlier', provider: 'openai', model: 'm' },
          { type: 'text-delta', ...t, step: 0, text: 'answer' },
        ],
        warnings: [],
      }),
    });
    store.getState().setSessionChoice({ provider: 'anthropic', baseUrl: 'http://127.0.0.1:9/v1' });
    expect(await store.getState().resumeSession('s-aaaaaa')).toBe(true);
    expect(bridge.calls[0]).toEqual({
      channel: 'agent:resume-session',
      request: { sessionId: 's-aaaaaa', baseUrl: 'http://127.0.0.1:9/v1' },
    });
    expect(store.getState().activeSession?.title).toBe('Old one');
    expect(store.getState().conversation.items.map((i) => i.kind)).toEqual(['user', 'assistant']);
    expect(store.getState().conversation.run).toEqual({ state: 'idle' });
  });

  it('reports a session that cannot be opened and stays where it was', async () => {
    const { store } = setup({
      'agent:resume-session': () => {
        throw new BridgeError('not-found', 'No session s-zzzzzz');
      },
    });
    expect(await store.getState().resumeSession('s-zzzzzz')).toBe(false);
    expect(store.getState().activeSession).toBeNull();
    expect(store.getState().sessionOpening).toEqual({ state: 'idle' });
    expect(store.getState().conversationError).toBe('No session s-zzzzzz');
  });

  it('stops and reverts the open session through the bridge', async () => {
    const { bridge, store } = setup({
      'agent:start-session': () => ({ session: summary('s-aaaaaa'), events: [], warnings: [] }),
      'agent:cancel': () => true,
      'agent:revert': () => ({ paths: ['a.txt'] }),
    });
    await store.getState().startSession();
    await store.getState().stopTurn();
    await store.getState().revertChanges(['ch1', 'ch2']);
    await store.getState().revertTurn('t1');
    expect(bridge.calls.slice(-3).map((c) => c.request)).toEqual([
      { sessionId: 's-aaaaaa' },
      { sessionId: 's-aaaaaa', changeIds: ['ch1', 'ch2'] },
      { sessionId: 's-aaaaaa', turnId: 't1' },
    ]);
  });

  it('a failed New session clears the view and says why; the next message never reaches the old session', async () => {
    let keyMissing = true;
    const { bridge, store } = setup({
      'agent:resume-session': () => ({
        session: { ...summary('s-oldold', 'Old work'), turns: 3 },
        events: [{ type: 'turn-started', ...t, prompt: 'earlier', provider: 'openai', model: 'm' }],
        warnings: [],
      }),
      'agent:start-session': () => {
        if (keyMissing) throw new BridgeError('unavailable', 'No API key for anthropic');
        return { session: summary('s-newnew'), events: [], warnings: [] };
      },
      'agent:send': (r) => ({ ...summary((r as { sessionId: string }).sessionId), turns: 1 }),
    });
    await store.getState().resumeSession('s-oldold');
    expect(await store.getState().startSession()).toBe(false);
    const state = store.getState();
    expect(state.activeSession).toBeNull();
    expect(state.conversation.items).toEqual([]);
    expect(state.sessionOpening).toEqual({ state: 'idle' });
    expect(state.conversationError).toBe(
      'Could not start a new session: No API key for anthropic. Or choose another provider above; your next message starts a new session. Nothing is open now: “Old work” stays in the list, and nothing you send goes to it.',
    );
    // The composer showed no session: the message tries a new one again, and fails again.
    expect(await store.getState().sendMessage('next', 'new')).toBe(false);
    expect(bridge.calls.filter((c) => c.channel === 'agent:send')).toEqual([]);
    keyMissing = false;
    expect(await store.getState().sendMessage('next', 'new')).toBe(true);
    expect(bridge.calls.filter((c) => c.channel === 'agent:send').map((c) => c.request)).toEqual([
      { sessionId: 's-newnew', prompt: 'next', mode: 'ask' },
    ]);
  });

  it('refuses a message meant for a session no longer on screen', async () => {
    const { bridge, store } = setup({
      'agent:start-session': () => ({ session: summary('s-bbbbbb'), events: [], warnings: [] }),
      'agent:send': () => summary('s-bbbbbb'),
    });
    await store.getState().startSession();
    expect(await store.getState().sendMessage('for the old one', 's-aaaaaa')).toBe(false);
    expect(await store.getState().sendMessage('for a new one', 'new')).toBe(false);
    expect(store.getState().conversationError).toMatch(/^Not sent: the session on screen changed/);
    expect(bridge.calls.some((c) => c.channel === 'agent:send')).toBe(false);
  });

  it('only the latest of two opens decides what is shown', async () => {
    const answers: ((v: unknown) => void)[] = [];
    const { store } = setup({
      'agent:resume-session': () => new Promise((r) => answers.push(r)),
      'agent:start-session': () => new Promise((r) => answers.push(r)),
    });
    const first = store.getState().resumeSession('s-aaaaaa');
    const second = store.getState().startSession();
    answers[1]!({ session: summary('s-bbbbbb'), events: [], warnings: [] });
    answers[0]!({ session: summary('s-aaaaaa', 'Late'), events: [], warnings: [] });
    expect(await second).toBe(true);
    expect(await first).toBe(false);
    expect(store.getState().activeSession?.id).toBe('s-bbbbbb');
  });

  it('words a failed start by what the host said', () => {
    expect(newSessionFailure(new BridgeError('invalid-argument', 'No model chosen.'), null)).toBe(
      'Could not start a new session: No model chosen. Check the provider, model and base URL above (or [agent] in vtcode.toml); your next message starts a new session.',
    );
  });

  it('a new session not yet written in follows the chooser changed after New session', async () => {
    let n = 0;
    const { bridge, store } = setup({
      'agent:start-session': () => ({
        session: summary(`s-draft${++n}`),
        events: [],
        warnings: [],
      }),
      'agent:send': (r) => summary((r as { sessionId: string }).sessionId),
    });
    await store.getState().startSession();
    store.getState().setSessionChoice({ baseUrl: 'http://127.0.0.1:9/v1' });
    expect(await store.getState().sendMessage('hi', 's-draft1')).toBe(true);
    const calls = bridge.calls.filter((c) => c.channel !== 'agent:list-sessions');
    expect(calls.map((c) => [c.channel, c.request])).toEqual([
      ['agent:start-session', {}],
      ['agent:start-session', { baseUrl: 'http://127.0.0.1:9/v1' }],
      ['agent:send', { sessionId: 's-draft2', prompt: 'hi', mode: 'ask' }],
    ]);
    // Once written in, the session keeps its provider: the next message goes to it.
    store.getState().setSessionChoice({ baseUrl: 'http://127.0.0.1:10/v1' });
    expect(await store.getState().sendMessage('again', 's-draft2')).toBe(true);
    expect(bridge.calls.at(-1)?.request).toMatchObject({ sessionId: 's-draft2' });
  });
});
