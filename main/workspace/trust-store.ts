import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { workspaceTrustSchema, type WorkspaceTrust } from '../../shared/domain/workspace';
import { writeFileAtomic } from '../fs/atomic-write';

/** The file in the app's data folder (never in a workspace, never readable by sandboxed commands). */
export const TRUST_FILE = 'trusted-folders.json';

const fileSchema = z.object({
  version: z.literal(1),
  folders: z.record(z.string(), z.object({ trust: workspaceTrustSchema, at: z.string() })),
});
type TrustFile = z.infer<typeof fileSchema>;

function realOrResolved(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Which folders a person trusted, by real path. A folder inherits the choice of the nearest folder
 * above it that has one. Read fresh whenever the file changed, so the CLI and the app agree.
 */
export class TrustStore {
  private cache: { stamp: string; data: TrustFile } | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  /** The store of the app whose data folder is `dataDir`. */
  static inDataDir(dataDir: string): TrustStore {
    return new TrustStore(join(dataDir, TRUST_FILE));
  }

  private read(): TrustFile {
    let stamp = 'none';
    try {
      const st = statSync(this.file);
      stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      // No file yet: nothing trusted.
    }
    if (this.cache?.stamp === stamp) return this.cache.data;
    let data: TrustFile = { version: 1, folders: {} };
    if (stamp !== 'none') {
      try {
        const parsed = fileSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
        // A damaged file trusts nothing: every folder opens read-only until chosen again.
        if (parsed.success) data = parsed.data;
      } catch {
        // Same: unreadable means nothing is trusted.
      }
    }
    this.cache = { stamp, data };
    return data;
  }

  /** The choice in force for a folder (its own or the nearest parent's), or null if never made. */
  get(folder: string): WorkspaceTrust | null {
    const folders = this.read().folders;
    for (let dir = realOrResolved(folder); ; dir = dirname(dir)) {
      const entry = folders[dir];
      if (entry) return entry.trust;
      if (dir === dirname(dir)) return null;
    }
  }

  /** Which folder's entry decides `folder` (null when none). */
  decidedBy(folder: string): string | null {
    const folders = this.read().folders;
    for (let dir = realOrResolved(folder); ; dir = dirname(dir)) {
      if (folders[dir]) return dir;
      if (dir === dirname(dir)) return null;
    }
  }

  /** Record a choice for a folder (its real path). */
  async set(folder: string, trust: WorkspaceTrust): Promise<void> {
    const key = realOrResolved(folder);
    await this.update((folders) => ({
      ...folders,
      [key]: { trust, at: new Date().toISOString() },
    }));
  }

  /** Forget a folder's own choice; true when it had one. */
  async remove(folder: string): Promise<boolean> {
    const key = realOrResolved(folder);
    const had = key in this.read().folders;
    await this.update((folders) => {
      const next = { ...folders };
      delete next[key];
      return next;
    });
    return had;
  }

  private update(change: (folders: TrustFile['folders']) => TrustFile['folders']): Promise<void> {
    this.writing = this.writing.then(async () => {
      const data: TrustFile = { version: 1, folders: change(this.read().folders) };
      await writeFileAtomic(this.file, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
      this.cache = null;
    });
    return this.writing;
  }
}
