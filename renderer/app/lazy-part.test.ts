import { afterEach, describe, expect, it, vi } from 'vitest';
import { lazyPart, whenIdle } from './lazy-part';

afterEach(() => vi.useRealTimers());

describe('lazyPart', () => {
  it('loads once however often it is preloaded, and not before', async () => {
    const Part = () => null;
    const load = vi.fn(() => Promise.resolve(Part));
    const part = lazyPart(load);
    expect(load).not.toHaveBeenCalled();
    const [a, b] = await Promise.all([part.preload(), part.preload()]);
    expect(a).toBe(Part);
    expect(b).toBe(Part);
    await part.preload();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('tries again after a failed load', async () => {
    const Part = () => null;
    const load = vi
      .fn<() => Promise<typeof Part>>()
      .mockRejectedValueOnce(new Error('chunk missing'))
      .mockResolvedValueOnce(Part);
    const part = lazyPart(load);
    await expect(part.preload()).rejects.toThrow('chunk missing');
    await expect(part.preload()).resolves.toBe(Part);
    expect(load).toHaveBeenCalledTimes(2);
  });
});

describe('whenIdle', () => {
  it('runs the callback later, unless cancelled (no requestIdleCallback: a timer)', () => {
    vi.useFakeTimers();
    const ran = vi.fn();
    const skipped = vi.fn();
    whenIdle(ran);
    const cancel = whenIdle(skipped);
    cancel();
    expect(ran).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(ran).toHaveBeenCalledTimes(1);
    expect(skipped).not.toHaveBeenCalled();
  });

  it('uses requestIdleCallback with the timeout when the page has it', () => {
    const request = vi.fn((_cb: IdleRequestCallback, _o?: IdleRequestOptions) => 7);
    const cancelIdle = vi.fn();
    vi.stubGlobal('requestIdleCallback', request);
    vi.stubGlobal('cancelIdleCallback', cancelIdle);
    try {
      const cancel = whenIdle(() => undefined, 500);
      expect(request).toHaveBeenCalledWith(expect.any(Function), { timeout: 500 });
      cancel();
      expect(cancelIdle).toHaveBeenCalledWith(7);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
