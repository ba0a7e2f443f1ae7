import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { mkdtemp, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * Every sandboxed run's and server's temp folder lives in one private folder, which every wrap
 * hides (a run sees its own folder only, through its write rule): the system temp folder is
 * readable in the sandbox, and one run's (or server's) temp files are none of another's business.
 */

export class SandboxTemps {
  private made: string | null = null;

  /** The private parent, made on first use (its real path). */
  root(): string {
    this.made ??= realpathSync(mkdtempSync(join(tmpdir(), 'vtcode-sandbox-')));
    return this.made;
  }

  /** A new temp folder for one run or server (its real path). */
  async folder(prefix: string): Promise<string> {
    return realpath(await mkdtemp(join(this.root(), prefix)));
  }

  /** Remove them all (the backend is disposed: nothing runs). */
  dispose(): void {
    if (this.made) rmSync(this.made, { recursive: true, force: true });
    this.made = null;
  }
}
