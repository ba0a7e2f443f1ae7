import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand';
import type { RunnerHostAsk } from '../../shared/domain/network';
import { BridgeError } from '../../shared/ipc/errors';
import { fakeBridge } from '../test-support/fake-bridge';
import { createNetworkSlice } from './network-slice';
import type { RootState } from './root-store';

const ask = (approvalId: string): RunnerHostAsk => ({
  approvalId,
  at: '2025-01-01T00:00:00.000Z',
  host: 'api.example.com',
  port: 443,
  runs: [{ runId: 'run-a', command: 'curl', sessionId: null }],
  reason: 'not on the allow-list',
  canSession: false,
});

function setup(handlers: Parameters<typeof fakeBridge>[0]) {
  const bridge = fakeBridge(handlers);
  const store = createStore<RootState>()(
    (...a) => createNetworkSlice(bridge.api)(...a) as RootState,
  );
  const stop = store.getState().subscribeNetwork();
  return { bridge, store, stop };
}

describe('network slice', () => {
  it('keeps terminal host questions until answered or resolved', async () => {
    const { bridge, store, stop } = setup({ 'runner:answer-host': () => null });
    bridge.emit('runner:host-ask', ask('ap-aaaaaaaa'));
    bridge.emit('runner:host-ask', ask('ap-bbbbbbbb'));
    expect(store.getState().hostAsks.map((a) => a.approvalId)).toEqual([
      'ap-aaaaaaaa',
      'ap-bbbbbbbb',
    ]);
    expect(
      await store.getState().answerHostAsk({ approvalId: 'ap-aaaaaaaa', answer: 'approve-once' }),
    ).toBe(true);
    expect(bridge.calls).toEqual([
      {
        channel: 'runner:answer-host',
        request: { approvalId: 'ap-aaaaaaaa', answer: 'approve-once' },
      },
    ]);
    bridge.emit('runner:host-resolved', {
      approvalId: 'ap-bbbbbbbb',
      outcome: 'denied',
      reason: 'timed out',
    });
    expect(store.getState().hostAsks).toEqual([]);
    stop();
    expect(bridge.listenerCount('runner:host-ask')).toBe(0);
  });

  it('says why an answer was not taken and keeps the question until it is resolved', async () => {
    const { bridge, store } = setup({
      'runner:answer-host': () => {
        throw new BridgeError('not-found', 'Answer not accepted: no pending approval');
      },
    });
    bridge.emit('runner:host-ask', ask('ap-aaaaaaaa'));
    expect(
      await store.getState().answerHostAsk({ approvalId: 'ap-aaaaaaaa', answer: 'deny' }),
    ).toBe(false);
    expect(store.getState().hostAskError).toContain('not accepted');
    expect(store.getState().hostAsks).toHaveLength(1);
  });

  it('tries a host with or without a port, and shows only the latest answer', async () => {
    const { bridge, store } = setup({
      'policy:check-host': (req) => ({
        host: (req as { host: string }).host,
        port: (req as { port?: number }).port ?? 443,
        decision: 'ask',
        reason: 'not listed',
        entry: null,
        policy: 'allowlist_only',
      }),
    });
    await store.getState().tryHost('  ', null);
    expect(store.getState().tryHostResult).toEqual({ state: 'empty' });
    await store.getState().tryHost('api.example.com', null);
    await store.getState().tryHost('api.example.com', 8443);
    expect(bridge.calls.map((c) => c.request)).toEqual([
      { host: 'api.example.com' },
      { host: 'api.example.com', port: 8443 },
    ]);
    expect(store.getState().tryHostResult).toMatchObject({ state: 'done', result: { port: 8443 } });
  });
});
