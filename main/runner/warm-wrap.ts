import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import type { WrappedCommand } from './sandbox';
import type { RunnerSandboxSettings } from './settings';

/*
 * Wrapping a command for the sandbox costs more than running it: the runtime scans for files to
 * protect, resolves every path and looks up the shell (tens of milliseconds of child processes and
 * file-system calls). Everything it produces depends only on the run's rules and on the state of
 * the paths those rules name, not on the command, which reaches the sandbox through the
 * environment (see runner-service.ts). So while the runner is idle it wraps the next run ahead of
 * time, with the same rules as the last one, and a run whose rules and paths are unchanged starts
 * from that.
 *
 * A prepared wrap is only ever used if, when the run starts:
 * - the run's rules (recomputed from the workspace as it is now) equal the prepared ones;
 * - every path the rules name, and every folder above one, has the same type (and symlink target)
 *   as before and after the wrap was made, and so do the entries of the app's own folder, which
 *   the runtime scans itself;
 * - it is younger than `maxAgeMs`.
 * Otherwise it is thrown away and the run is wrapped afresh. A prepared wrap is also thrown away
 * whenever a run ends, before that run is released: the runtime defers removing the mount points
 * bubblewrap left in the workspace while any wrap is outstanding, and an idle one must not keep
 * them there.
 */

/** A run's sandbox rules, without what is particular to one run. Must serialise stably. */
export interface SandboxRules {
  readonly workspace: string;
  readonly shell: string;
  readonly writable: boolean;
  readonly denyWrite: readonly string[];
  readonly denyRead: readonly string[];
  readonly allowRead: readonly string[];
  readonly network: RunnerSandboxSettings['network'];
  /** The revision of the token bindings (masked-tokens.ts); absent when the runner has none. */
  readonly tokens?: string;
}

/** A wrapped invocation waiting for a run: its id and temp folder come with it. */
export interface PreparedRun {
  readonly runId: string;
  readonly runTmp: string | null;
  readonly wrapped: WrappedCommand;
}

export interface WarmWrapsOptions {
  /** Wrap a run for `rules` now (creates the run's temp folder). */
  readonly prepare: (rules: SandboxRules) => Promise<PreparedRun>;
  /** Release a prepared run that will not be used (and remove its temp folder). */
  readonly discard: (prepared: PreparedRun) => Promise<void>;
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

interface Pending {
  readonly key: string;
  readonly rules: SandboxRules;
  readonly at: number;
  /** Null when preparing failed or the paths changed while it ran. */
  readonly prepared: Promise<{ run: PreparedRun; fingerprint: string } | null>;
}

function describePath(path: string): string {
  try {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return `l>${readlinkSync(path)}`;
    if (stat.isDirectory()) return 'd';
    if (stat.isFile()) return 'f';
    return 'o';
  } catch {
    return '-';
  }
}

/**
 * What the runtime's wrap of `rules` depends on in the file system: the type of every path the
 * rules name and of each folder above it, plus the entries of the process's own folder.
 */
export function rulesFingerprint(rules: SandboxRules, cwd: string = process.cwd()): string {
  const paths = new Set<string>();
  for (const path of [rules.workspace, ...rules.denyWrite, ...rules.denyRead, ...rules.allowRead]) {
    for (let p = path; !paths.has(p); p = dirname(p)) {
      paths.add(p);
      if (dirname(p) === p) break;
    }
  }
  const parts = [...paths].sort().map((p) => `${p}\0${describePath(p)}`);
  let entries: string[];
  try {
    entries = readdirSync(cwd, { withFileTypes: true }).map(
      (e) => `${e.name}:${e.isDirectory() ? 'd' : e.isSymbolicLink() ? 'l' : 'f'}`,
    );
  } catch {
    entries = ['unreadable'];
  }
  parts.push(`cwd\0${cwd}\0${entries.sort().join('/')}`);
  return parts.join('\n');
}

export function rulesKey(rules: SandboxRules): string {
  return JSON.stringify(rules);
}

/** At most one run wrapped ahead of time (see the comment at the top of this file). */
export class WarmWraps {
  private pending: Pending | null = null;
  private closed = false;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  /** How many runs started from a prepared wrap, and how many prepared ones were thrown away. */
  readonly stats = { used: 0, discarded: 0 };

  constructor(private readonly options: WarmWrapsOptions) {
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The prepared run for `rules`, if one is waiting and still valid; null otherwise. */
  async take(rules: SandboxRules): Promise<PreparedRun | null> {
    const pending = this.pending;
    if (!pending) return null;
    this.pending = null;
    const ready = await pending.prepared;
    if (!ready) return null;
    const valid =
      pending.key === rulesKey(rules) &&
      this.now() - pending.at <= this.maxAgeMs &&
      rulesFingerprint(rules) === ready.fingerprint;
    if (valid) {
      this.stats.used++;
      return ready.run;
    }
    await this.throwAway(ready.run);
    return null;
  }

  /** Wrap a run for `rules` in the background, unless one is already waiting. */
  prepareNext(rules: SandboxRules): void {
    if (this.closed || this.pending) return;
    const prepared = (async () => {
      const before = rulesFingerprint(rules);
      let run: PreparedRun;
      try {
        run = await this.options.prepare(rules);
      } catch {
        return null; // the run itself will wrap afresh, and report what is wrong
      }
      // Changed while the runtime looked at it: what it saw is not what the fingerprint says.
      if (rulesFingerprint(rules) !== before) {
        await this.throwAway(run);
        return null;
      }
      return { run, fingerprint: before };
    })();
    this.pending = { key: rulesKey(rules), rules, at: this.now(), prepared };
  }

  /** Resolves once the run being prepared (if any) is ready or has failed. */
  async settled(): Promise<void> {
    await this.pending?.prepared;
  }

  /** Throw away whatever is waiting (a run is ending, or the runner is shutting down). */
  async discard(): Promise<void> {
    const pending = this.pending;
    this.pending = null;
    const ready = await pending?.prepared;
    if (ready) await this.throwAway(ready.run);
  }

  /** Discard what is waiting and prepare nothing more. */
  async close(): Promise<void> {
    this.closed = true;
    await this.discard();
  }

  private async throwAway(run: PreparedRun): Promise<void> {
    this.stats.discarded++;
    try {
      await this.options.discard(run);
    } catch {
      // Releasing cannot fail in a way the next run would notice; nothing else to do.
    }
  }
}
