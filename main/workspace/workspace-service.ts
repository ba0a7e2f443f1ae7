import { constants } from 'node:fs';
import { access, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, parse, resolve } from 'node:path';
import type {
  DirectoryListing,
  RecentWorkspace,
  Workspace,
  WorkspaceTrust,
} from '../../shared/domain/workspace';
import { BridgeError } from '../../shared/ipc/errors';
import type { Logger } from '../log/logger';
import { RecentStore } from './recent-store';
import type { TrustStore } from './trust-store';

const MAX_LISTING = 500;

/** Opening folders as workspaces, the recent list, and a folder browser that works in any host. */
export class WorkspaceService {
  private readonly recent: RecentStore;

  constructor(
    private readonly options: {
      configDir: string;
      home: string;
      logger: Logger;
      /** Which folders a person trusted (shared with the policy and the agent). */
      trust: TrustStore;
    },
  ) {
    this.recent = new RecentStore(
      join(options.configDir, 'recent-workspaces.json'),
      options.logger,
    );
  }

  /** Expand `~`, make absolute and canonical (symlinks followed), and check it is a usable folder. */
  async resolveFolder(input: string): Promise<string> {
    const expanded =
      input === '~' || input.startsWith('~/') ? join(this.options.home, input.slice(1)) : input;
    const absolute = isAbsolute(expanded) ? expanded : resolve(this.options.home, expanded);
    let canonical: string;
    try {
      canonical = await realpath(absolute);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        throw new BridgeError('not-found', `No such folder: ${absolute}`);
      }
      if (code === 'EACCES') throw new BridgeError('forbidden', `Permission denied: ${absolute}`);
      throw error;
    }
    const info = await stat(canonical);
    if (!info.isDirectory())
      throw new BridgeError('invalid-argument', `Not a folder: ${canonical}`);
    return canonical;
  }

  /** Open a folder as a workspace and put it at the top of the recent list. */
  async open(input: string): Promise<Workspace> {
    const path = await this.resolveFolder(input);
    if (parse(path).root === path) {
      throw new BridgeError(
        'invalid-argument',
        `Refusing to open the filesystem root (${path}) as a workspace: choose a project folder.`,
      );
    }
    try {
      await access(path, constants.R_OK | constants.X_OK);
    } catch {
      throw new BridgeError('forbidden', `The folder is not readable: ${path}`);
    }
    const openedAt = new Date().toISOString();
    const name = basename(path);
    await this.recent.touch({ path, name, openedAt });
    this.options.logger.info('workspace opened', { path });
    return {
      path,
      name,
      openedAt,
      hasConfig: await exists(join(path, 'vtcode.toml')),
      isGitRepo: await exists(join(path, '.git')),
      trust: this.options.trust.get(path),
    };
  }

  /** Record a person's trust choice for an open workspace's folder and return it as it is now. */
  async setTrust(workspace: Workspace, trust: WorkspaceTrust): Promise<Workspace> {
    await this.options.trust.set(workspace.path, trust);
    this.options.logger.info('workspace trust set', { path: workspace.path, trust });
    return { ...workspace, trust: this.options.trust.get(workspace.path) };
  }

  /** Recent workspaces, most recent first, each marked with whether it still exists. */
  async listRecent(): Promise<RecentWorkspace[]> {
    const entries = await this.recent.list();
    return Promise.all(entries.map(async (e) => ({ ...e, exists: await isDirectory(e.path) })));
  }

  /** Remove one entry from the recent list. */
  async forgetRecent(path: string): Promise<RecentWorkspace[]> {
    await this.recent.forget(path);
    return this.listRecent();
  }

  /** The sub-folders of a folder (the home folder by default), for the in-app folder browser. */
  async listDirectory(input: string | undefined): Promise<DirectoryListing> {
    const path = await this.resolveFolder(input ?? this.options.home);
    let dirents;
    try {
      dirents = await readdir(path, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') {
        throw new BridgeError('forbidden', `Permission denied: ${path}`);
      }
      throw error;
    }
    const folders = dirents
      .filter((d) => d.isDirectory() || d.isSymbolicLink())
      .map((d) => d.name)
      .sort((a, b) => a.localeCompare(b));
    const entries = [];
    for (const name of folders) {
      if (entries.length >= MAX_LISTING) break;
      const full = join(path, name);
      if (await isDirectory(full)) entries.push({ name, path: full, isDirectory: true });
    }
    const parent = dirname(path);
    return {
      path,
      parent: parent === path ? null : parent,
      entries,
      truncated: folders.length > entries.length && entries.length >= MAX_LISTING,
    };
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
