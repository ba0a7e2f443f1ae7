import { describe, expect, it, vi } from 'vitest';
import { invokeChannels } from '../../shared/ipc/contract';
import { BridgeError } from '../../shared/ipc/errors';
import { createLogger } from '../log/logger';
import { createRouter, newClientState, type BridgeClient, type HandlerMap } from './router';

const logger = createLogger({ level: 'error' });

function fakeClient(): BridgeClient & { events: unknown[] } {
  const events: unknown[] = [];
  return {
    id: 'test',
    state: newClientState(),
    events,
    emit: (channel, payload) => events.push({ channel, payload }),
  };
}

const workspace = {
  path: '/w',
  name: 'w',
  hasConfig: false,
  isGitRepo: false,
  openedAt: 'now',
  trust: null,
};

function handlers(overrides: Partial<HandlerMap> = {}): HandlerMap {
  const unused = () => {
    throw new Error('not used in this test');
  };
  const base = Object.fromEntries(invokeChannels.map((c) => [c, unused])) as unknown as HandlerMap;
  return {
    ...base,
    'workspace:open': () => workspace,
    'workspace:get-current': (_r, { client }) => client.state.workspace,
    'workspace:list-recent': () => [],
    ...overrides,
  };
}

describe('router.dispatch', () => {
  it('calls the handler with the parsed request and wraps the value', async () => {
    const open = vi.fn(() => workspace);
    const router = createRouter(handlers({ 'workspace:open': open }), logger);
    const result = await router.dispatch('workspace:open', { path: '/w' }, fakeClient());
    expect(result).toEqual({ ok: true, value: workspace });
    expect(open).toHaveBeenCalledWith({ path: '/w' }, expect.anything());
  });

  it.each([
    ['not a string', 42, {}],
    ['unknown name', 'workspace:delete-everything', {}],
    ['prototype key', '__proto__', {}],
    ['constructor', 'constructor', {}],
  ])('refuses an unknown channel (%s)', async (_label, channel, payload) => {
    const result = await createRouter(handlers(), logger).dispatch(channel, payload, fakeClient());
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
  });

  it.each([
    ['missing payload', undefined],
    ['null payload', null],
    ['array payload', ['/w']],
    ['missing path', {}],
    ['path of wrong type', { path: 7 }],
    ['empty path', { path: '' }],
    ['NUL in path', { path: '/w\0/x' }],
    ['huge path', { path: 'a'.repeat(5000) }],
    ['extra key', { path: '/w', evil: true }],
  ])('refuses a malformed request (%s) before the handler runs', async (_label, payload) => {
    const open = vi.fn(() => workspace);
    const router = createRouter(handlers({ 'workspace:open': open }), logger);
    const result = await router.dispatch('workspace:open', payload, fakeClient());
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    if (!result.ok) expect(result.error.message).toMatch(/^Invalid request for workspace:open: /);
    expect(open).not.toHaveBeenCalled();
  });

  it('passes a BridgeError through with its code', async () => {
    const router = createRouter(
      handlers({
        'workspace:open': () => {
          throw new BridgeError('not-found', 'No such folder: /nope');
        },
      }),
      logger,
    );
    expect(await router.dispatch('workspace:open', { path: '/nope' }, fakeClient())).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No such folder: /nope' },
    });
  });

  it('turns an unexpected throw into an internal error instead of crashing', async () => {
    const router = createRouter(
      handlers({
        'workspace:list-recent': () => Promise.reject(new Error('disk on fire')),
      }),
      logger,
    );
    const result = await router.dispatch('workspace:list-recent', {}, fakeClient());
    expect(result).toEqual({
      ok: false,
      error: { code: 'internal', message: 'workspace:list-recent failed: disk on fire' },
    });
  });

  it('refuses a handler reply that breaks the contract', async () => {
    const router = createRouter(
      handlers({ 'workspace:list-recent': () => [{ nope: 1 }] as never }),
      logger,
    );
    const result = await router.dispatch('workspace:list-recent', {}, fakeClient());
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('keeps state per client', async () => {
    const router = createRouter(
      handlers({
        'workspace:open': (_r, { client }) => {
          client.state.workspace = workspace;
          return workspace;
        },
      }),
      logger,
    );
    const a = fakeClient();
    const b = fakeClient();
    await router.dispatch('workspace:open', { path: '/w' }, a);
    expect(await router.dispatch('workspace:get-current', {}, a)).toEqual({
      ok: true,
      value: workspace,
    });
    expect(await router.dispatch('workspace:get-current', {}, b)).toEqual({
      ok: true,
      value: null,
    });
  });
});
