import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enableAppCompileCache } from './compile-cache';

describe('enableAppCompileCache', () => {
  it('keeps the cache in a private folder of the app data folder', () => {
    const home = mkdtempSync(join(tmpdir(), 'cc-'));
    enableAppCompileCache({ VTCODE_DESKTOP_HOME: home });
    const dir = join(home, 'data', 'compile-cache');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('is off when asked, and never throws on a folder it cannot make', () => {
    const home = mkdtempSync(join(tmpdir(), 'cc-'));
    enableAppCompileCache({ VTCODE_DESKTOP_HOME: home, VTCODE_DESKTOP_NO_COMPILE_CACHE: '1' });
    expect(existsSync(join(home, 'data', 'compile-cache'))).toBe(false);
    // A home that is a file: the folder cannot be made.
    const file = join(home, 'a-file');
    writeFileSync(file, '');
    expect(() => enableAppCompileCache({ VTCODE_DESKTOP_HOME: file })).not.toThrow();
  });
});
