import { describe, expect, it } from 'vitest';
import { applyThemeChoice, readThemeChoice, resolveTheme, writeThemeChoice } from './theme';

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    map,
  };
}

describe('theme choice', () => {
  it('round-trips light and dark, and stores nothing for system', () => {
    const s = memoryStorage();
    writeThemeChoice(s, 'dark');
    expect(readThemeChoice(s)).toBe('dark');
    writeThemeChoice(s, 'system');
    expect(s.map.size).toBe(0);
    expect(readThemeChoice(s)).toBe('system');
  });

  it.each(['', 'DARK', 'blue', '{"x":1}'])('reads %j as system', (value) => {
    const s = memoryStorage();
    s.map.set('vtcode-desktop:theme', value);
    expect(readThemeChoice(s)).toBe('system');
  });

  it('treats unusable storage as system', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
    };
    expect(readThemeChoice(broken)).toBe('system');
  });

  it('sets data-theme for a fixed choice and removes it for system', () => {
    const root = { dataset: {} as Record<string, string> } as unknown as HTMLElement;
    applyThemeChoice(root, 'light');
    expect(root.dataset.theme).toBe('light');
    applyThemeChoice(root, 'system');
    expect(root.dataset.theme).toBeUndefined();
  });

  it('resolves system from the OS and fixed choices as they are', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });
});
