import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdsGitEntry, scanWorkspace } from './layout';

const temp = (): string => realpathSync(mkdtempSync(join(tmpdir(), 'layout-')));

/** The check as it was: the folder's listing holds an entry named .git. */
const listed = (dir: string): boolean => {
  try {
    return readdirSync(dir).includes('.git');
  } catch {
    return false;
  }
};

describe('holdsGitEntry (the parent-repository check, one lstat instead of a listing)', () => {
  const cases: [string, (dir: string) => void, boolean][] = [
    ['a .git folder', (d) => mkdirSync(join(d, '.git')), true],
    [
      'a .git file (a worktree pointer)',
      (d) => writeFileSync(join(d, '.git'), 'gitdir: x\n'),
      true,
    ],
    ['a .git link to a folder', (d) => symlinkSync(join(d, 'real'), join(d, '.git')), true],
    ['a dangling .git link', (d) => symlinkSync(join(d, 'nowhere'), join(d, '.git')), true],
    ['no .git', () => undefined, false],
    [
      '.gitignore and .github only',
      (d) => (writeFileSync(join(d, '.gitignore'), ''), mkdirSync(join(d, '.github'))),
      false,
    ],
    [
      'a .git inside a subfolder only',
      (d) => mkdirSync(join(d, 'sub', '.git'), { recursive: true }),
      false,
    ],
  ];
  it.each(cases)('%s: %s', (_name, make, expected) => {
    const dir = temp();
    mkdirSync(join(dir, 'real'));
    make(dir);
    expect(holdsGitEntry(dir)).toBe(expected);
    expect(holdsGitEntry(dir)).toBe(listed(dir));
  });

  it('a folder that does not exist, or a file, holds none', () => {
    const dir = temp();
    writeFileSync(join(dir, 'file'), '');
    expect(holdsGitEntry(join(dir, 'missing'))).toBe(false);
    expect(holdsGitEntry(join(dir, 'file'))).toBe(false);
  });
});

describe('scanWorkspace: insideParentRepo', () => {
  it('is true when any folder above the workspace holds a .git, however far up', () => {
    const parent = temp();
    mkdirSync(join(parent, '.git'));
    const ws = join(parent, 'a', 'b', 'ws');
    mkdirSync(ws, { recursive: true });
    expect(scanWorkspace(ws, false).insideParentRepo).toBe(true);
  });

  it('is true for a .git file above (a linked worktree)', () => {
    const parent = temp();
    writeFileSync(join(parent, '.git'), 'gitdir: /elsewhere\n');
    const ws = join(parent, 'ws');
    mkdirSync(ws);
    expect(scanWorkspace(ws, false).insideParentRepo).toBe(true);
  });

  it("is false when only the workspace's own .git exists", () => {
    const parent = temp();
    const ws = join(parent, 'ws');
    mkdirSync(join(ws, '.git'), { recursive: true });
    // The temp folder's ancestors (/tmp, /) hold no .git on a test machine.
    expect(scanWorkspace(ws, false).insideParentRepo).toBe(false);
  });
});
