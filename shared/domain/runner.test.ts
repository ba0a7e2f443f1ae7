import { describe, expect, it } from 'vitest';
import { runIdSchema, runRequestSchema } from './runner';

describe('runRequestSchema', () => {
  it('accepts a plain command', () => {
    expect(runRequestSchema.parse({ command: 'npm test' })).toEqual({ command: 'npm test' });
  });

  it.each([
    [{}, 'command'],
    [{ command: '' }, 'empty'],
    [{ command: '   ' }, 'empty'],
    [{ command: 'a\0b' }, 'NUL'],
    [{ command: 'x'.repeat(70_000) }, 'longer'],
    [{ command: 'ls', cwd: 'a\0' }, 'NUL'],
    [{ command: 'ls', timeoutSeconds: -1 }, ''],
    [{ command: 'ls', cols: 0 }, ''],
    [{ command: 'ls', unsandboxed: false }, ''],
    [{ command: 'ls', env: { A: 1 } }, ''],
    [null, ''],
    ['ls', ''],
  ])('rejects %j', (input, message) => {
    const result = runRequestSchema.safeParse(input);
    expect(result.success).toBe(false);
    if (!result.success && message) expect(JSON.stringify(result.error.issues)).toContain(message);
  });
});

describe('runIdSchema', () => {
  it.each(['run-1', 'run-0f3c-aa'])('accepts %s', (id) => {
    expect(runIdSchema.safeParse(id).success).toBe(true);
  });
  it.each(['', 'run-', '../etc', 'run-A B', 'x'.repeat(80)])('rejects %j', (id) => {
    expect(runIdSchema.safeParse(id).success).toBe(false);
  });
});
