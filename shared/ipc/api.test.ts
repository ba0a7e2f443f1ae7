import { describe, expect, it, vi } from 'vitest';
import { buildBridgeApi, methodNames } from './api';
import { eventChannels, invokeChannels } from './contract';
import { BridgeError, unwrapResult } from './errors';

describe('methodNames', () => {
  it('derives camelCase methods and on-listeners', () => {
    expect(methodNames('workspace:list-recent')).toEqual({
      domain: 'workspace',
      method: 'listRecent',
      event: 'onListRecent',
    });
  });
});

describe('buildBridgeApi', () => {
  it('exposes one named operation per channel and nothing generic', async () => {
    const invoke = vi.fn(() => Promise.resolve('value'));
    const api = buildBridgeApi({ invoke, subscribe: () => () => undefined });
    for (const channel of invokeChannels) {
      const { domain, method } = methodNames(channel);
      expect(
        typeof (api as unknown as Record<string, Record<string, unknown>>)[domain]?.[method],
      ).toBe('function');
    }
    const domains = new Set([...invokeChannels, ...eventChannels].map((c) => c.split(':')[0]));
    expect(Object.keys(api).sort()).toEqual([...domains].sort());
    expect('send' in api).toBe(false);
    await api.workspace.open({ path: '/w' });
    expect(invoke).toHaveBeenCalledWith('workspace:open', { path: '/w' });
    await api.app.getInfo();
    expect(invoke).toHaveBeenLastCalledWith('app:get-info', {});
  });

  it('subscribes events by name', () => {
    const subscribe = vi.fn(() => () => undefined);
    const api = buildBridgeApi({ invoke: vi.fn(), subscribe });
    expect(eventChannels).toContain('workspace:changed');
    const listener = vi.fn();
    api.workspace.onChanged(listener);
    expect(subscribe).toHaveBeenCalledWith('workspace:changed', listener);
    expect(() => (api.workspace.onChanged as (l: unknown) => void)('nope')).toThrow(TypeError);
  });
});

describe('unwrapResult', () => {
  it('returns the value of an ok envelope', () => {
    expect(unwrapResult({ ok: true, value: 3 })).toBe(3);
  });

  it('throws a BridgeError with the code of an error envelope', () => {
    try {
      unwrapResult({ ok: false, error: { code: 'forbidden', message: 'no' } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BridgeError);
      expect(error).toMatchObject({ code: 'forbidden', message: 'no' });
    }
  });

  it.each([null, 'text', { ok: 'yes' }, { ok: false, error: { code: 'weird', message: 'x' } }])(
    'treats a malformed reply as an internal error: %j',
    (reply) => {
      expect(() => unwrapResult(reply)).toThrow(/malformed reply/);
    },
  );
});
