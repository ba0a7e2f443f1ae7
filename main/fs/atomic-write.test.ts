import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write';

describe('writeFileAtomic', () => {
  it('replaces the content and leaves no temp file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atomic-'));
    const file = join(dir, 'a.json');
    await writeFile(file, 'old');
    await writeFileAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('creates missing parent folders', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atomic-'));
    const file = join(dir, 'x', 'y', 'b.txt');
    await writeFileAtomic(file, 'hi');
    expect(await readFile(file, 'utf8')).toBe('hi');
  });

  it('keeps the old file and cleans up when the target cannot be replaced', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atomic-'));
    // A directory in the target's place makes rename fail after the temp file was written.
    const target = join(dir, 'taken');
    await writeFile(join(dir, 'keep.txt'), 'keep');
    await import('node:fs/promises').then((fs) =>
      fs.mkdir(join(target, 'child'), { recursive: true }),
    );
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['keep.txt', 'taken']);
  });
});
