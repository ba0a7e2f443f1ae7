import { describe, expect, it } from 'vitest';
import { protectedHint, readOnlyHint, refusedPaths } from './shell-tool';

describe('blocked commands explain themselves', () => {
  it('finds the paths a failed write names', () => {
    const text = [
      "touch: cannot touch '.git/config': Read-only file system",
      'bash: line 3: .vscode/tasks.json: Read-only file system',
      "cp: cannot create regular file '/etc/x': Permission denied",
      'all fine here',
    ].join('\n');
    expect(refusedPaths(text)).toEqual(['.git/config', '/etc/x', '.vscode/tasks.json']);
  });

  it('says why a protected path stayed read-only', () => {
    const hint = protectedHint(
      'workspace_write',
      "touch: cannot touch '.git/config': Read-only file system",
      (p) => ({ decision: 'deny', reason: `${p} is git's config` }),
    );
    expect(hint).toBe(
      "\n[sandbox] blocked: .git/config: .git/config is git's config. It stays read-only to commands.",
    );
    expect(
      protectedHint('read_only', 'x: Read-only file system', () => ({
        decision: 'deny',
        reason: 'r',
      })),
    ).toBe('');
  });

  it('says how to let commands write when the sandbox is read-only', () => {
    expect(readOnlyHint('read_only', 'unasked', 'x: Read-only file system', 0)).toMatch(
      /open read-only \(not trusted\).*trust the folder/,
    );
    expect(readOnlyHint('read_only', 'trusted', 'x: Read-only file system', 0)).toMatch(
      /default_policy = "workspace_write" in your user vtcode.toml/,
    );
    expect(readOnlyHint('workspace_write', 'trusted', 'x: Read-only file system', 1)).toBe('');
  });
});
