import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { McpProviderConfig } from '../config/mcp-settings';
import { writeFileAtomic } from '../fs/atomic-write';

/*
 * Servers a workspace file declares run only after the user approved their exact command line
 * (VT Code asks the same for workspace hooks). The approval is kept in the app's data folder,
 * never in the workspace, as a digest of the workspace, the server's name and everything that
 * decides what runs: program, arguments, folder, variables, network and writable folders (or
 * URL), and the content of the files among them that lie in the workspace (the server's own
 * script). Change any of it and the server waits for a new approval.
 */

/** Characters a person cannot see as they are: controls, format (bidi, zero-width), unassigned. */
const HIDDEN = /\p{C}/u;

/** A hidden character written out, as bash's $'...' would (`\n`, `\u202e`). */
function escaped(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\t') return '\\t';
  const code = c.codePointAt(0) ?? 0;
  return code > 0xffff
    ? `\\U${code.toString(16).padStart(8, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A value as one visible word: plain, 'quoted', or $'escaped' when it holds hidden characters. */
const quote = (v: string): string => {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(v)) return v;
  if (!HIDDEN.test(v)) return `'${v.replace(/'/g, `'\\''`)}'`;
  return `$'${v.replace(/[\\']/g, '\\$&').replace(/\p{C}/gu, escaped)}'`;
};

/** The exact line a person approves for a server: what runs, where, with what. */
export function commandLine(p: McpProviderConfig): string {
  const lines: string[] = [];
  if (p.command !== null) {
    lines.push([p.command, ...p.args].map(quote).join(' '));
    if (p.cwd !== null) lines.push(`in ${quote(p.cwd)}`);
    for (const [k, v] of Object.entries(p.env).sort(([a], [b]) => a.localeCompare(b)))
      lines.push(`env ${k}=${quote(v)}`);
    lines.push(p.network ? 'network: under the network policy' : 'network: none');
    lines.push(
      p.writable.length > 0 ? `writes: ${p.writable.map(quote).join(' ')}` : 'writes: none',
    );
  } else {
    lines.push(`url ${quote(p.url ?? '')}`);
    for (const [k, v] of Object.entries(p.headers).sort(([a], [b]) => a.localeCompare(b)))
      lines.push(`header ${quote(k)}: ${quote(v)}`);
  }
  return lines.join('\n');
}

/** The most of one file hashed into an approval (a larger one is hashed by its size and time). */
const MAX_HASHED = 16 * 1024 * 1024;

/**
 * What the files the line names inside the workspace hold now: a repository (or the agent) that
 * changes the server's own script is asked about again, as a changed line would be.
 */
async function filesOf(workspace: string, p: McpProviderConfig): Promise<string[]> {
  if (p.command === null) return [];
  const base = p.cwd === null ? workspace : resolve(workspace, p.cwd);
  const out: string[] = [];
  for (const word of [p.command, ...p.args]) {
    if (word.startsWith('-') || word.length > 4096) continue;
    const path = resolve(base, word);
    const rel = relative(workspace, path);
    if (rel.startsWith('..') || isAbsolute(rel)) continue;
    try {
      const info = await stat(path);
      if (!info.isFile()) continue;
      const seen =
        info.size > MAX_HASHED
          ? `${info.size}:${info.mtimeMs}`
          : createHash('sha256')
              .update(await readFile(path))
              .digest('hex');
      out.push(`${rel}=${seen}`);
    } catch {
      // Not a file (a word, a program on PATH): the line itself covers it.
    }
  }
  return out;
}

async function digest(workspace: string, p: McpProviderConfig): Promise<string> {
  return createHash('sha256')
    .update(JSON.stringify([workspace, p.name, commandLine(p), await filesOf(workspace, p)]))
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
    return (await this.load()).has(await digest(workspace, p));
  }

  /** Approve a server's line as it is now. */
  async approve(workspace: string, p: McpProviderConfig): Promise<void> {
    const set = await this.load();
    set.add(await digest(workspace, p));
    const data: ApprovalFile = { version: 1, approved: [...set] };
    await writeFileAtomic(this.file, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  }
}
