import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { lstatSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { SessionSealer } from '../../guard/session-seal';
import {
  sessionIdSchema,
  sessionSummarySchema,
  type AgentEvent,
  type SessionSummary,
} from '../../../shared/domain/agent';
import { writeFileAtomic } from '../../fs/atomic-write';
import { SessionLog, readSessionLog } from './session-log';
import { sessionToMarkdown } from './markdown';
import { withCurrentToolNames } from '../tools/registry';

/** A session asked for does not exist or its id is malformed. */
export class SessionNotFoundError extends Error {}

export interface OpenedSession {
  readonly summary: SessionSummary;
  readonly events: AgentEvent[];
  readonly warnings: string[];
  /** Indexes of events this app did not write (no valid seal): shown, never acted on. */
  readonly unsealed: ReadonlySet<number>;
}

/** A session folder that is, or passes through, a symlink: never read or written. */
function assertNoLinks(workspace: string, dir: string): void {
  let current = workspace;
  for (const part of relative(workspace, dir).split(sep)) {
    current = join(current, part);
    let info;
    try {
      info = lstatSync(current);
    } catch {
      return;
    }
    if (info.isSymbolicLink())
      throw new SessionNotFoundError(
        `${current} is a symlink; sessions are never read through one`,
      );
  }
}

/** At most `max` characters; a cut title ends in "…" so the list never hides that it was cut. */
function clipTitle(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/**
 * Sessions of one workspace under `<workspace>/.vtcode/sessions/<id>/` as VT Code keeps them:
 * `events.jsonl` (append-only) and `meta.json` (title, times; replaced atomically).
 */
export class SessionStore {
  readonly dir: string;

  constructor(
    readonly workspace: string,
    private readonly redact: (text: string) => string,
    /** Seals what this app writes; without one nothing read back is acted on. */
    private readonly sealer: SessionSealer | null = null,
  ) {
    this.dir = join(workspace, '.vtcode', 'sessions');
  }

  private pathOf(id: string): string {
    if (!sessionIdSchema.safeParse(id).success)
      throw new SessionNotFoundError(`not a session id: ${id}`);
    const dir = join(this.dir, id);
    assertNoLinks(this.workspace, dir);
    return dir;
  }

  private logOf(id: string): SessionLog {
    const scope = `${this.workspace}\0${id}`;
    const sealer = this.sealer;
    return new SessionLog(
      join(this.pathOf(id), 'events.jsonl'),
      this.redact,
      sealer ? (json) => sealer.seal(scope, json) : undefined,
    );
  }

  /** Create a session and open its log for appending. */
  async create(init: {
    title: string;
    provider: string | null;
    model: string | null;
  }): Promise<{ summary: SessionSummary; log: SessionLog }> {
    assertNoLinks(this.workspace, this.dir);
    await mkdir(this.dir, { recursive: true });
    assertNoLinks(this.workspace, this.dir);
    // Transcripts are private to the user: keep them out of the repository by default.
    await writeFile(join(this.dir, '.gitignore'), '*\n', { flag: 'wx' }).catch(() => undefined);
    const now = new Date();
    const id = `s-${now.getTime().toString(36)}-${randomBytes(4).toString('hex')}`;
    const summary: SessionSummary = {
      id,
      title: clipTitle(this.redact(init.title), 200) || 'Untitled session',
      workspace: this.workspace,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      provider: init.provider,
      model: init.model,
      turns: 0,
    };
    await mkdir(this.pathOf(id), { recursive: true, mode: 0o700 });
    await this.writeMeta(summary);
    return { summary, log: this.logOf(id) };
  }

  /**
   * Open an existing session's log for appending more turns; `opened` is the session as the caller
   * just read it (a resume shows and continues it from one read of the log).
   */
  async append(
    id: string,
    opened?: OpenedSession,
  ): Promise<{ opened: OpenedSession; log: SessionLog }> {
    const read = opened ?? (await this.open(id));
    return {
      opened: read,
      log: this.logOf(id),
    };
  }

  async writeMeta(summary: SessionSummary): Promise<void> {
    await writeFileAtomic(
      join(this.pathOf(summary.id), 'meta.json'),
      `${JSON.stringify(summary, null, 2)}\n`,
    );
  }

  async open(id: string): Promise<OpenedSession> {
    const dir = this.pathOf(id);
    const scope = `${this.workspace}\0${id}`;
    const sealer = this.sealer;
    const read = await readSessionLog(
      join(dir, 'events.jsonl'),
      sealer ? (line) => sealer.open(scope, line) : undefined,
    );
    const { warnings, unsealed } = read;
    // Read with today's tool names (after the seal check): the screen, an export and the
    // resumed provider conversation all say exec_command for a call logged as run_pty_cmd.
    const events = read.events.map(withCurrentToolNames);
    if (unsealed.size > 0)
      warnings.push(
        `${unsealed.size} entr${unsealed.size === 1 ? 'y was' : 'ies were'} not written by this app on this machine (no valid seal): shown, never acted on (no history restored from them, no revert)`,
      );
    let summary: SessionSummary;
    try {
      summary = sessionSummarySchema.parse(
        JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')),
      );
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT' && events.length === 0)
        throw new SessionNotFoundError(`no session ${id} in ${this.workspace}`);
      warnings.push('meta.json is missing or damaged; rebuilt from the events');
      const first = events[0];
      summary = {
        id,
        title: first?.type === 'turn-started' ? clipTitle(first.prompt, 80) : 'Recovered session',
        workspace: this.workspace,
        createdAt: first?.at ?? new Date(0).toISOString(),
        updatedAt: events[events.length - 1]?.at ?? new Date(0).toISOString(),
        provider: null,
        model: null,
        turns: 0,
      };
    }
    const turns = events.filter((e) => e.type === 'turn-started').length;
    const last = events[events.length - 1];
    return {
      summary: { ...summary, turns, updatedAt: last?.at ?? summary.updatedAt },
      events,
      warnings,
      unsealed,
    };
  }

  /** Every session of the workspace, newest first; unreadable ones are skipped. */
  async list(): Promise<SessionSummary[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const out: SessionSummary[] = [];
    for (const name of names) {
      if (!sessionIdSchema.safeParse(name).success) continue;
      try {
        out.push(
          sessionSummarySchema.parse(
            JSON.parse(await readFile(join(this.dir, name, 'meta.json'), 'utf8')),
          ),
        );
      } catch {
        // A half-created or damaged session: open() can still recover it from its events.
      }
    }
    return out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  async rename(id: string, title: string): Promise<SessionSummary> {
    const clean = clipTitle(title.replace(/[\r\n]+/g, ' ').trim(), 200);
    if (!clean) throw new Error('the title is empty');
    const { summary } = await this.open(id);
    const next = { ...summary, title: this.redact(clean), updatedAt: new Date().toISOString() };
    await this.writeMeta(next);
    return next;
  }

  async delete(id: string): Promise<void> {
    const dir = this.pathOf(id);
    await this.open(id);
    await rm(dir, { recursive: true, force: true });
  }

  async exportMarkdown(id: string): Promise<string> {
    const { summary, events } = await this.open(id);
    return sessionToMarkdown(summary, events);
  }
}
