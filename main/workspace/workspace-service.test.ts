import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger';
import { TrustStore } from './trust-store';
import { WorkspaceService } from './workspace-service';

let root: string;
let service: WorkspaceService;
const logger = createLogger({ level: 'error' });

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ws-'));
  await mkdir(join(root, 'home', 'projects', 'app', '.git'), { recursive: true });
  await writeFile(join(root, 'home', 'projects', 'app', 'vtcode.toml'), '[tools]\n');
  await mkdir(join(root, 'home', 'projects', 'other'));
  await writeFile(join(root, 'home', 'notes.txt'), 'not a folder');
  service = new WorkspaceService({
    configDir: join(root, 'config'),
    home: join(root, 'home'),
    logger,
    trust: new TrustStore(join(root, 'data', 'trusted-folders.json')),
  });
});

describe('WorkspaceService.open', () => {
  it('opens a folder, detects config and git, and records it as recent', async () => {
    const ws = await service.open(join(root, 'home', 'projects', 'app'));
    expect(ws).toMatchObject({ name: 'app', hasConfig: true, isGitRepo: true });
    const recent = await service.listRecent();
    expect(recent.map((r) => r.name)).toEqual(['app']);
    const saved = JSON.parse(
      await readFile(join(root, 'config', 'recent-workspaces.json'), 'utf8'),
    ) as unknown;
    expect(saved).toMatchObject({ version: 1, workspaces: [{ name: 'app' }] });
  });

  it('expands ~ and resolves relative paths against home', async () => {
    expect((await service.open('~/projects/other')).name).toBe('other');
    expect((await service.open('projects/app')).name).toBe('app');
  });

  it('canonicalises symlinks so one folder is one workspace', async () => {
    await symlink(join(root, 'home', 'projects', 'app'), join(root, 'home', 'link'));
    const ws = await service.open(join(root, 'home', 'link'));
    expect(ws.path).toBe(join(root, 'home', 'projects', 'app'));
  });

  it.each([
    ['a missing folder', 'home/nope', /No such folder/],
    ['a file', 'home/notes.txt', /Not a folder/],
  ])('refuses %s with a clear error', async (_label, rel, message) => {
    await expect(service.open(join(root, rel))).rejects.toThrow(message);
  });

  it('refuses the filesystem root', async () => {
    await expect(service.open('/')).rejects.toThrow(/filesystem root/);
  });

  it('keeps the most recent first without duplicates, and forgets entries', async () => {
    await service.open(join(root, 'home', 'projects', 'app'));
    await service.open(join(root, 'home', 'projects', 'other'));
    await service.open(join(root, 'home', 'projects', 'app'));
    expect((await service.listRecent()).map((r) => r.name)).toEqual(['app', 'other']);
    const after = await service.forgetRecent(join(root, 'home', 'projects', 'app'));
    expect(after.map((r) => r.name)).toEqual(['other']);
  });
});

describe('recent list file', () => {
  it('moves a corrupt file aside and starts empty', async () => {
    await mkdir(join(root, 'config'), { recursive: true });
    await writeFile(
      join(root, 'config', 'recent-workspaces.json'),
      '{"version": 1, "workspaces": [',
    );
    expect(await service.listRecent()).toEqual([]);
    const files = await readdir(join(root, 'config'));
    expect(files.some((f) => f.startsWith('recent-workspaces.json.corrupt-'))).toBe(true);
  });

  it('marks entries whose folder is gone', async () => {
    const gone = join(root, 'home', 'projects', 'gone');
    await mkdir(gone);
    await service.open(gone);
    await import('node:fs/promises').then((fs) => fs.rm(gone, { recursive: true }));
    expect((await service.listRecent())[0]).toMatchObject({ name: 'gone', exists: false });
  });
});

describe('WorkspaceService.listDirectory', () => {
  it('lists sub-folders of home by default, with the parent', async () => {
    const listing = await service.listDirectory(undefined);
    expect(listing.path).toBe(join(root, 'home'));
    expect(listing.entries.map((e) => e.name)).toEqual(['projects']);
    expect(listing.parent).toBe(root);
  });

  it('has no parent at the filesystem root', async () => {
    expect((await service.listDirectory('/')).parent).toBeNull();
  });

  it('refuses a file', async () => {
    await expect(service.listDirectory(join(root, 'home', 'notes.txt'))).rejects.toThrow(
      /Not a folder/,
    );
  });
});
