import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, readdir, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
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
import { exportFileName, sessionToMarkdown } from './markdown';
import { DRAFT_TITLE, titleFromPrompt } from './session-title';
import { withCurrentToolNames } from '../tools/registry';

/** An empty session folder older than this is removed when the list is read (a crash's leftover). */
const EMPTY_SESSION_GRACE_MS = 10 * 60_000;

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

  /**
   * A new session in memory only: nothing is written until its first message (`persist`), so a
   * session nobody wrote in never shows in the list. `title` is a given title (kept as the user's);
   * without one the first message names the session.
   */
  draft(init: {
    title?: string | null;
    provider: string | null;
    model: string | null;
  }): SessionSummary {
    const now = new Date();
    const given = init.title?.replace(/[\r\n]+/g, ' ').trim();
    return {
      id: `s-${now.getTime().toString(36)}-${randomBytes(4).toString('hex')}`,
      title: given ? clipTitle(this.redact(given), 200) : DRAFT_TITLE,
      workspace: this.workspace,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      provider: init.provider,
      model: init.model,
      turns: 0,
      ...(given ? { titleSource: 'user' as const } : {}),
    };
  }

  /**
   * Write a drafted session for its first message and open its log: a title not given is taken
   * from `firstPrompt` (redacted, one line). `countTurn` counts that message's turn in the same
   * write (what noteTurn would write next), so a first turn costs one synced write, not two.
   */
  async persist(
    draft: SessionSummary,
    firstPrompt: string,
    options: { readonly countTurn?: boolean } = {},
  ): Promise<{ summary: SessionSummary; log: SessionLog }> {
    assertNoLinks(this.workspace, this.dir);
    await mkdir(this.dir, { recursive: true });
    assertNoLinks(this.workspace, this.dir);
    // Transcripts are private to the user: keep them out of the repository by default.
    await writeFile(join(this.dir, '.gitignore'), '*\n', { flag: 'wx' }).catch(() => undefined);
    const titled: SessionSummary =
      draft.titleSource === 'user'
        ? draft
        : { ...draft, title: titleFromPrompt(firstPrompt, this.redact), titleSource: 'prompt' };
    const summary: SessionSummary = options.countTurn
      ? { ...titled, turns: titled.turns + 1, updatedAt: new Date().toISOString() }
      : titled;
    await mkdir(this.pathOf(summary.id), { recursive: true, mode: 0o700 });
    await this.writeMeta(summary);
    return { summary, log: this.logOf(summary.id) };
  }

  /** Draft and write a session at once with a given title (tools and tests that log directly). */
  async create(init: {
    title: string;
    provider: string | null;
    model: string | null;
  }): Promise<{ summary: SessionSummary; log: SessionLog }> {
    return this.persist(this.draft(init), init.title);
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

  /**
   * Count a turn starting: meta.json as it is on disk now (a rename made meanwhile stays), one more
   * turn, updated now. Never fails a turn: on a write error the summary is returned as counted.
   */
  async noteTurn(known: SessionSummary): Promise<SessionSummary> {
    let current = known;
    try {
      current = sessionSummarySchema.parse(
        JSON.parse(await readFile(join(this.pathOf(known.id), 'meta.json'), 'utf8')),
      );
    } catch {
      // Missing or damaged: what the running session knows is the best there is.
    }
    const next = { ...current, turns: current.turns + 1, updatedAt: new Date().toISOString() };
    await this.writeMeta(next).catch(() => undefined);
    return next;
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

  /**
   * Every session with something in it, newest first; unreadable ones are skipped. Empty ones
   * (written by older versions for every "New session" click, or left by a crash) are not listed,
   * and their folders go once they are old enough not to be another process's session starting.
   */
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
        const dir = this.pathOf(name);
        const summary = sessionSummarySchema.parse(
          JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')),
        );
        if (await this.isEmpty(dir, summary)) {
          if (Date.now() - Date.parse(summary.createdAt) > EMPTY_SESSION_GRACE_MS)
            await removeEmptySession(dir);
          continue;
        }
        out.push(await this.retitleLegacy(summary));
      } catch {
        // A half-created or damaged session: open() can still recover it from its events.
      }
    }
    return out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  /** No event was ever written (the log is missing or has no bytes) and no turn counted. */
  private async isEmpty(dir: string, summary: SessionSummary): Promise<boolean> {
    if (summary.turns > 0) return false;
    try {
      return (await lstat(join(dir, 'events.jsonl'))).size === 0;
    } catch (error) {
      return (error as { code?: string }).code === 'ENOENT';
    }
  }

  /**
   * Sessions started from the button before titles were derived kept "New session": name them
   * after their first message (only from lines this app sealed) and remember it in meta.json.
   */
  private async retitleLegacy(summary: SessionSummary): Promise<SessionSummary> {
    if (summary.titleSource !== undefined || summary.title !== DRAFT_TITLE) return summary;
    const { events, unsealed } = await this.open(summary.id);
    const first = events.find((e, i) => e.type === 'turn-started' && !unsealed.has(i));
    if (first?.type !== 'turn-started') return summary;
    const next: SessionSummary = {
      ...summary,
      title: titleFromPrompt(first.prompt, this.redact),
      titleSource: 'prompt',
    };
    await this.writeMeta(next).catch(() => undefined);
    return next;
  }

  async rename(id: string, title: string): Promise<SessionSummary> {
    const clean = clipTitle(title.replace(/[\r\n]+/g, ' ').trim(), 200);
    if (!clean) throw new Error('the title is empty');
    const { summary } = await this.open(id);
    const next: SessionSummary = {
      ...summary,
      title: this.redact(clean),
      titleSource: 'user',
      updatedAt: new Date().toISOString(),
    };
    await this.writeMeta(next);
    return next;
  }

  async delete(id: string): Promise<void> {
    const dir = this.pathOf(id);
    await this.open(id);
    await rm(dir, { recursive: true, force: true });
  }

  /** The session as Markdown, and a file name for it made from its title. */
  async exportMarkdown(id: string): Promise<{ markdown: string; fileName: string }> {
    const { summary, events } = await this.open(id);
    return {
      markdown: sessionToMarkdown(summary, events),
      fileName: exportFileName(summary.title),
    };
  }
}

/** Remove an empty session's two files and its folder; anything else in it keeps the folder. */
async function removeEmptySession(dir: string): Promise<void> {
  await unlink(join(dir, 'events.jsonl')).catch(() => undefined);
  await unlink(join(dir, 'meta.json')).catch(() => undefined);
  await rmdir(dir).catch(() => undefined);
}
