import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { McpProviderConfig } from '../config/mcp-settings';
import { writeFileAtomic } from '../fs/atomic-write';

/*
 * Servers a workspace file declares run only after the user approved their exact command line
 * (VT Code asks the same for workspace hooks). The approval is kept in the app's data folder,
 * never in the workspace, as a digest of the workspace, the server's name and everything that
 * decides what runs: program, arguments, folder, variables, network and writable folders (or
 * URL). Change any of it and the server waits for a new approval.
 */

const quote = (v: string): string =>
  /^[A-Za-z0-9_./:@%+=,-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;

/** The exact line a person approves for a server: what runs, where, with what. */
export function commandLine(p: McpProviderConfig): string {
  const lines: string[] = [];
  if (p.command !== null) {
    lines.push([p.command, ...p.args].map(quote).join(' '));
    if (p.cwd !== null) lines.push(`in ${p.cwd}`);
    for (const [k, v] of Object.entries(p.env).sort(([a], [b]) => a.localeCompare(b)))
      lines.push(`env ${k}=${quote(v)}`);
    lines.push(p.network ? 'network: under the network policy' : 'network: none');
    lines.push(
      p.writable.length > 0 ? `writes: ${p.writable.map(quote).join(' ')}` : 'writes: none',
    );
  } else {
    lines.push(`url ${p.url}`);
  }
  return lines.join('\n');
}

function digest(workspace: string, p: McpProviderConfig): string {
  return createHash('sha256')
    .update(JSON.stringify([workspace, p.name, commandLine(p)]))
    .digest('hex');
}

interface ApprovalFile {
  readonly version: 1;
  readonly approved: readonly string[];
}

/** The approvals file of the app's data folder. */
export class McpApprovals {
  private readonly file: string;
  private cache: Set<string> | null = null;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'mcp-approvals.json');
  }

  private async load(): Promise<Set<string>> {
    if (this.cache) return this.cache;
    try {
      const data = JSON.parse(await readFile(this.file, 'utf8')) as Partial<ApprovalFile>;
      this.cache = new Set(
        Array.isArray(data.approved) ? data.approved.filter((d) => typeof d === 'string') : [],
      );
    } catch {
      this.cache = new Set();
    }
    return this.cache;
  }

  async approved(workspace: string, p: McpProviderConfig): Promise<boolean> {
    return (await this.load()).has(digest(workspace, p));
  }

  /** Approve a server's line as it is now. */
  async approve(workspace: string, p: McpProviderConfig): Promise<void> {
    const set = await this.load();
    set.add(digest(workspace, p));
    const data: ApprovalFile = { version: 1, approved: [...set] };
    await writeFileAtomic(this.file, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  }
}
