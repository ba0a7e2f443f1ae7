import { readFile, rename } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomic-write';
import type { Logger } from '../log/logger';

const MAX_RECENT = 20;

const recentFileSchema = z.object({
  version: z.literal(1),
  workspaces: z.array(z.object({ path: z.string(), name: z.string(), openedAt: z.string() })),
});

export type RecentEntry = z.infer<typeof recentFileSchema>['workspaces'][number];

/**
 * The recent-workspaces list, kept as JSON in the app's config folder. A file that cannot be read
 * is moved aside (never deleted) and the list starts empty, so a bad file cannot stop the app.
 */
export class RecentStore {
  private entries: RecentEntry[] | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly logger: Logger,
  ) {}

  /** Entries, most recent first. */
  async list(): Promise<readonly RecentEntry[]> {
    return this.load();
  }

  /** Put a workspace at the top of the list. */
  async touch(entry: RecentEntry): Promise<readonly RecentEntry[]> {
    const current = await this.load();
    this.entries = [entry, ...current.filter((e) => e.path !== entry.path)].slice(0, MAX_RECENT);
    await this.save();
    return this.entries;
  }

  /** Drop a workspace from the list (the folder itself is not touched). */
  async forget(path: string): Promise<readonly RecentEntry[]> {
    const current = await this.load();
    this.entries = current.filter((e) => e.path !== path);
    await this.save();
    return this.entries;
  }

  private async load(): Promise<RecentEntry[]> {
    if (this.entries) return this.entries;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.logger.warn('could not read the recent-workspaces file', { file: this.file, error });
      }
      this.entries = [];
      return this.entries;
    }
    try {
      this.entries = recentFileSchema.parse(JSON.parse(text)).workspaces.slice(0, MAX_RECENT);
    } catch (error) {
      const aside = `${this.file}.corrupt-${Date.now()}`;
      await rename(this.file, aside).catch(() => undefined);
      this.logger.warn('the recent-workspaces file was not valid; moved it aside', {
        aside,
        error,
      });
      this.entries = [];
    }
    return this.entries;
  }

  private async save(): Promise<void> {
    const snapshot = JSON.stringify({ version: 1, workspaces: this.entries ?? [] }, null, 2);
    // Serialise writes so two quick opens cannot interleave their renames.
    this.writing = this.writing.then(() => writeFileAtomic(this.file, `${snapshot}\n`));
    await this.writing;
  }
}
