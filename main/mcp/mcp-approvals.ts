import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { McpProviderConfig } from '../config/mcp-settings';
import { writeFileAtomic } from '../fs/atomic-write';

/*
 * Servers a workspace file declares run only after the user approved their exact command line
 * (VT Code asks the same for workspace hooks). The approval is kept in the app's data folder,
 * never in the workspace, as a digest of the workspace, the server's name and everything that
 * decides what runs: program, arguments, folder, variables, network and writable folders (or
 * URL), and the content of the files among them that lie in the workspace (the server's own
 * script, what lies beside it in its own folder, a program found on the PATH the file sets).
 * Change any of it and the server waits for a new approval.
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

/** The most of one file hashed into an approval (a larger one is hashed by its size and times). */
const MAX_HASHED = 16 * 1024 * 1024;
/** The most files of a script's own folder taken into an approval. */
const MAX_FOLDER_FILES = 2000;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.vtcode', '__pycache__', '.venv']);

// A file's hash, kept while its inode, size and times stay (ctime cannot be set back by a program).
const hashes = new Map<string, { readonly key: string; readonly hash: string }>();

async function fileHash(path: string): Promise<string | null> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return null;
  }
  if (!info.isFile()) return null;
  const key = `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
  const known = hashes.get(path);
  if (known?.key === key) return known.hash;
  const hash =
    info.size > MAX_HASHED
      ? `size ${key}`
      : createHash('sha256')
          .update(await readFile(path))
          .digest('hex');
  if (hashes.size > 10_000) hashes.clear();
  hashes.set(path, { key, hash });
  return hash;
}

/** Words of the line that may name a file: each argument, and the value of `--option=value`. */
function fileWords(p: McpProviderConfig, base: string): string[] {
  const words: string[] = [];
  for (const word of [p.command ?? '', ...p.args]) {
    if (word.length === 0 || word.length > 4096) continue;
    if (!word.startsWith('-')) words.push(word);
    else if (word.includes('=')) words.push(word.slice(word.indexOf('=') + 1));
  }
  // A program named without a folder is looked up on the PATH the file gives it, if any.
  const program = p.command ?? '';
  if (program !== '' && !program.includes('/') && p.env.PATH)
    for (const dir of p.env.PATH.split(':')) if (dir) words.push(join(resolve(base, dir), program));
  return words;
}

/** Regular files under a folder (not its dependency or VCS folders), at most `MAX_FOLDER_FILES`. */
async function folderFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, depth: number): Promise<void> => {
    if (depth > 8 || out.length >= MAX_FOLDER_FILES) return;
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= MAX_FOLDER_FILES) return;
      if (e.isDirectory() && !SKIPPED_FOLDERS.has(e.name)) await walk(join(d, e.name), depth + 1);
      else if (e.isFile()) out.push(join(d, e.name));
    }
  };
  await walk(dir, 0);
  return out;
}

/**
 * What the files the line names inside the workspace hold now, and, for a script in a folder of
 * its own (not the workspace's root), every file beside and below it (what it imports): a
 * repository (or the agent) that changes the server's code is asked about again, as a changed
 * line would be.
 */
async function filesOf(workspace: string, p: McpProviderConfig): Promise<string[]> {
  if (p.command === null) return [];
  const base = p.cwd === null ? workspace : resolve(workspace, p.cwd);
  const inside = (path: string): string | null => {
    const rel = relative(workspace, path);
    return rel.startsWith('..') || isAbsolute(rel) ? null : rel;
  };
  const named = new Set<string>();
  const folders = new Set<string>();
  for (const word of fileWords(p, base)) {
    const path = resolve(base, word);
    if (inside(path) === null || (await fileHash(path)) === null) continue;
    named.add(path);
    if (inside(dirname(path)) !== '') folders.add(dirname(path));
  }
  for (const folder of folders) for (const f of await folderFiles(folder)) named.add(f);
  const out: string[] = [];
  for (const path of [...named].sort()) {
    const hash = await fileHash(path);
    if (hash !== null) out.push(`${inside(path)}=${hash}`);
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
