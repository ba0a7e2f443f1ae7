import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand';
import type { AgentEvent, SessionGrant, SessionSummary } from '../../shared/domain/agent';
import { BridgeError } from '../../shared/ipc/errors';
import { fakeBridge } from '../test-support/fake-bridge';
import { createConversationSlice } from './conversation-slice';
import type { RootState } from './root-store';
import { createSessionsSlice } from './sessions-slice';

const at = '2025-01-01T00:00:00.000Z';
const summary = (id: string): SessionSummary => ({
  id,
  title: 'S',
  workspace: '/w',
  createdAt: at,
  updatedAt: at,
  provider: 'openai',
  model: 'gpt-test',
  turns: 1,
});
const grant = (grantId: string, text: string): SessionGrant => ({
  grantId,
  tool: 'exec_command',
  scope: 'exact',
  text,
  covers: [`exactly \`${text}\``],
  createdAt: at,
});
const changed = (grants: SessionGrant[]): AgentEvent => ({
  type: 'grants-changed',
  turnId: 'grants',
  at,
  grants,
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

describe('session grants in the store', () => {
  it('takes a resumed session’s grants from main and follows grants-changed of that session only', async () => {
    const { store, runFrames } = setup({
      'agent:resume-session': () => ({
        session: summary('s-aaaaaa'),
        events: [],
        warnings: [],
        grants: [grant('g-111111', 'npm test')],
      }),
    });
    await store.getState().resumeSession('s-aaaaaa');
    expect(store.getState().sessionGrants.map((g) => g.text)).toEqual(['npm test']);

    const both = [grant('g-111111', 'npm test'), grant('g-222222', 'npm run lint')];
    store.getState().agentEvent({ sessionId: 's-bbbbbb', event: changed([]) });
    store.getState().agentEvent({ sessionId: 's-aaaaaa', event: changed(both) });
    runFrames();
    expect(store.getState().sessionGrants.map((g) => g.grantId)).toEqual(['g-111111', 'g-222222']);
    // Another session's change never lands here.
    store.getState().agentEvent({ sessionId: 's-bbbbbb', event: changed([]) });
    runFrames();
    expect(store.getState().sessionGrants).toHaveLength(2);
    // grants-changed adds nothing to the conversation itself.
    expect(store.getState().conversation.items).toEqual([]);

    store.getState().closeSession();
    expect(store.getState().sessionGrants).toEqual([]);
  });

  it('revokes through the bridge and shows what main has left', async () => {
    const { bridge, store } = setup({
      'agent:resume-session': () => ({
        session: summary('s-aaaaaa'),
        events: [],
        warnings: [],
        grants: [grant('g-111111', 'npm test'), grant('g-222222', 'npm run lint')],
      }),
      'agent:revoke-grant': () => [grant('g-222222', 'npm run lint')],
    });
    await store.getState().resumeSession('s-aaaaaa');
    expect(await store.getState().revokeGrant('g-111111')).toBe(true);
    expect(bridge.calls.at(-1)).toEqual({
      channel: 'agent:revoke-grant',
      request: { sessionId: 's-aaaaaa', grantId: 'g-111111' },
    });
    expect(store.getState().sessionGrants.map((g) => g.text)).toEqual(['npm run lint']);
  });

  it('a refused revoke says why and reloads the grants main holds', async () => {
    const { store } = setup({
      'agent:resume-session': () => ({
        session: summary('s-aaaaaa'),
        events: [],
        warnings: [],
        grants: [grant('g-111111', 'npm test')],
      }),
      'agent:revoke-grant': () => {
        throw new BridgeError('not-found', 'No grant g-111111 in this session.');
      },
      'agent:list-grants': () => [],
    });
    await store.getState().resumeSession('s-aaaaaa');
    expect(await store.getState().revokeGrant('g-111111')).toBe(false);
    expect(store.getState().conversationError).toContain('No grant g-111111');
    expect(store.getState().sessionGrants).toEqual([]);
  });

  it('answers an approval for the session with the scope chosen', async () => {
    const { bridge, store } = setup({ 'agent:answer-approval': () => null });
    const answer = {
      approvalId: 'ap-aaaaaaaa',
      answer: 'approve-session',
      scope: 'subcommand',
    } as const;
    expect(await store.getState().answerApproval(answer)).toBe(true);
    expect(bridge.calls.at(-1)).toEqual({ channel: 'agent:answer-approval', request: answer });
  });
});
