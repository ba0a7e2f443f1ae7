import { describe, expect, it } from 'vitest';
import { loadPty, loadedPty } from './pty-module';

describe('node-pty loaded at the first run', () => {
  it('is not there before loadPty(), and is the one module after', async () => {
    expect(() => loadedPty()).toThrow(/not loaded yet/);
    const [a, b] = await Promise.all([loadPty(), loadPty()]);
    expect(a).toBe(b);
    expect(loadedPty()).toBe(a);
    expect(typeof loadedPty().spawn).toBe('function');
  });
});
