import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { CommandPart } from '../../shared/domain/policy';
import {
  interpretation,
  tableFiles,
  type InterpretedFile,
  type Interpretation,
} from './interpreted-files';
import { commandViews } from './normalise';
import { splitEntryWords } from './rules';

/** Larger files are compared by their stat record, not their content. */
const MAX_HASHED_BYTES = 16 * 1024 * 1024;
/** File times can be coarser than the clock: a file this close to the start counts as changed. */
const CLOCK_SLACK_MS = 2000;
const DIR_CHANGERS = new Set(['cd', 'pushd', 'popd', 'chdir']);
const MOVING_WRAPPERS = new Set(['env', 'sudo', 'doas']);

/** A file change a tool made in this session (checkpoints), oldest first. */
export interface SessionChange {
  readonly path: string;
  readonly before: string | null;
}

/** What asking about a command needs to know about the files its programs interpret. */
export interface InterpretedCheck {
  /** Why the call must be asked about (a file changed, or its files cannot be found), or null. */
  readonly reason: string | null;
  /** The files to take as the new baseline when the user approves the call. */
  readonly watched: readonly string[];
}

function realOrSelf(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** stat, following symlinks; null when there is nothing (or nothing reachable) at the path. */
function statOrNull(path: string): Stats | null {
  try {
    return statSync(path, { throwIfNoEntry: false }) ?? null;
  } catch {
    // ENOTDIR (`.git` is a file in a worktree), EACCES, ELOOP: nothing the program could read.
    return null;
  }
}

/** `FOO=1 env -C sub npm test`: a wrapper option that may change the directory or the files. */
function wrapperMoves(text: string): boolean {
  const words = splitEntryWords(text);
  while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] ?? '')) words.shift();
  const views = commandViews(
    words.map((w) => ({ text: w, value: w, dynamic: false, glob: false })),
  );
  return views.some((v, i) => {
    if (v.wrapper === null || !MOVING_WRAPPERS.has(v.wrapper)) return false;
    const own = v.argv.slice(1, v.argv.length - (views[i + 1]?.argv.length ?? 0));
    return own.some((w) => w.startsWith('-'));
  });
}

/**
 * Content hashes of the files programs interpret (package.json, Makefile ...), taken when a
 * session starts and moved forward when the user approves a run. A command whose files differ
 * from their baseline is asked about again, whoever changed them: the check reads the files.
 */
export class FileBaseline {
  /** The workspace, symlinks resolved. */
  readonly root: string;
  private readonly known = new Map<string, string | null>();
  private readonly stamps = new Map<string, { readonly stamp: string; readonly hash: string }>();
  private readonly since: number;

  constructor(
    workspace: string,
    private readonly changes: () => readonly SessionChange[] = () => [],
    now: number = Date.now(),
  ) {
    this.root = realOrSelf(resolve(workspace));
    this.since = now - CLOCK_SLACK_MS;
    for (const path of this.expand(this.root, tableFiles())) this.known.set(path, this.hash(path));
  }

  /**
   * Check the parts of one command line run in `dir` (null: a directory the policy could not
   * resolve). Denied parts are skipped; they do not run.
   */
  check(parts: readonly CommandPart[], dir: string | null): InterpretedCheck {
    const moved = dir === null || parts.some((p) => DIR_CHANGERS.has(p.argv[0] ?? ''));
    const reasons: string[] = [];
    const watched = new Set<string>();
    for (const part of parts) {
      if (part.decision === 'deny' || part.argv.length === 0) continue;
      const how: Interpretation = interpretation(part.argv);
      if (how.kind === 'none') continue;
      if (how.kind === 'unknown') {
        reasons.push(how.reason);
        continue;
      }
      if (dir === null || moved || wrapperMoves(part.text)) {
        reasons.push(
          `\`${part.command}\` runs after a change of directory, so the policy cannot tell which ${how.files[0]?.file ?? 'files'} it reads`,
        );
        continue;
      }
      const changed: { path: string; file: InterpretedFile }[] = [];
      const look = (path: string, file: InterpretedFile): void => {
        if (watched.has(path) || !this.inside(path)) return;
        watched.add(path);
        if (this.changed(path)) changed.push({ path, file });
      };
      for (const file of how.files)
        for (const path of this.expand(dir, [file.file])) look(path, file);
      // Files of the same names the session's tools wrote deeper down (packages/a/package.json).
      for (const c of this.changes()) {
        const file = how.files.find((f) => f.anywhere === true && basename(c.path) === f.file);
        if (file) look(c.path, file);
      }
      if (changed.length > 0) reasons.push(this.describe(changed));
    }
    return { reason: reasons.length > 0 ? reasons.join('; ') : null, watched: [...watched] };
  }

  /** The user approved a run: what the files hold now is the new baseline. */
  approve(paths: readonly string[]): void {
    for (const path of paths) this.known.set(path, this.hash(path));
  }

  private describe(changed: readonly { path: string; file: InterpretedFile }[]): string {
    const [first] = changed;
    if (!first) return '';
    const name = relative(this.root, first.path);
    const more = changed.length - 1;
    return more === 0
      ? `${name} changed since it was last approved (${first.file.why})`
      : `${name} and ${more} more file${more === 1 ? '' : 's'} changed since they were last approved (${first.file.why})`;
  }

  private inside(path: string): boolean {
    const rel = relative(this.root, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  }

  /** Whether `path` differs from its baseline; the baseline is set the first time a path is seen. */
  private changed(path: string): boolean {
    const now = this.hash(path);
    if (this.known.has(path)) return this.known.get(path) !== now;
    const first = this.changes().find((c) => c.path === path);
    if (first) {
      // The session's tools wrote it: its baseline is what it held before the first write.
      const before = first.before === null ? null : sha256(first.before);
      this.known.set(path, before);
      return before !== now;
    }
    const st = statOrNull(path);
    // Not written by a tool, and untouched since before the session started: that is its baseline.
    if (now === null || (st && Math.max(st.mtimeMs, st.ctimeMs) < this.since)) {
      this.known.set(path, now);
      return false;
    }
    return true;
  }

  /** Absolute paths for relative names (`*` within the last name is matched against the folder). */
  private expand(dir: string, files: readonly string[]): string[] {
    const out: string[] = [];
    for (const file of files) {
      const path = resolve(dir, file);
      const name = basename(file);
      if (!name.includes('*')) {
        out.push(path);
        continue;
      }
      const re = new RegExp(`^${name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      try {
        for (const entry of readdirSync(dirname(path)))
          if (re.test(entry)) out.push(join(dirname(path), entry));
      } catch {
        // No such folder: nothing to watch there.
      }
    }
    return out;
  }

  /** A fingerprint of the file's content: null when absent, cached while its stat is unchanged. */
  private hash(path: string): string | null {
    const st = statOrNull(path);
    if (!st) return null;
    const stamp = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
    if (!st.isFile()) return `not a file ${stamp}`;
    if (st.size > MAX_HASHED_BYTES) return `large file ${stamp}`;
    const cached = this.stamps.get(path);
    if (cached?.stamp === stamp) return cached.hash;
    let hash: string;
    try {
      hash = sha256(readFileSync(path));
    } catch {
      return `unreadable ${stamp}`;
    }
    this.stamps.set(path, { stamp, hash });
    return hash;
  }
}
