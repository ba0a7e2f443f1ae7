import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceWriteDenies } from './write-denies';

describe('workspaceWriteDenies', () => {
  it('names start-up files, the app policy, and the hooks and config of every repository', async () => {
    const ws = await mkdtemp(join(tmpdir(), 'denies-'));
    await mkdir(join(ws, '.git', 'hooks'), { recursive: true });
    await mkdir(join(ws, 'vendor', 'lib', '.git'), { recursive: true });
    await mkdir(join(ws, 'a', 'b', 'c', 'd', '.git'), { recursive: true });
    await mkdir(join(ws, 'node_modules', 'pkg', '.git'), { recursive: true });
    await mkdir(join(ws, 'worktree'), { recursive: true });
    await writeFile(join(ws, 'worktree', '.git'), 'gitdir: /elsewhere\n');
    const denies = workspaceWriteDenies(ws);
    expect(denies).toEqual(
      expect.arrayContaining([
        join(ws, '.bashrc'),
        join(ws, '.envrc'),
        join(ws, 'vtcode.toml'),
        join(ws, '.vtcode'),
        join(ws, '.git', 'hooks'),
        join(ws, '.git', 'config'),
        join(ws, 'vendor', 'lib', '.git', 'hooks'),
      ]),
    );
    // Deeper than the runtime looks, inside node_modules, and worktree links are not scanned.
    expect(denies.some((d) => d.includes(join('a', 'b', 'c', 'd')))).toBe(false);
    expect(denies.some((d) => d.includes('node_modules'))).toBe(false);
    expect(denies.some((d) => d.includes('worktree'))).toBe(false);
  });

  it('protects no git paths where there is no repository (git init must work)', async () => {
    const ws = await mkdtemp(join(tmpdir(), 'denies-'));
    expect(workspaceWriteDenies(ws).some((d) => d.includes('.git/'))).toBe(false);
  });

  it('denies an absent parent folder whole, and the listed sub-folders when it exists', async () => {
    const ws = await mkdtemp(join(tmpdir(), 'denies-'));
    expect(workspaceWriteDenies(ws)).toContain(join(ws, '.claude'));
    await mkdir(join(ws, '.claude'));
    const denies = workspaceWriteDenies(ws);
    expect(denies).not.toContain(join(ws, '.claude'));
    expect(denies).toEqual(
      expect.arrayContaining([join(ws, '.claude', 'commands'), join(ws, '.claude', 'agents')]),
    );
  });
});
