import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentEvent, SessionSummary } from '../../../shared/domain/agent';
import type {
  SessionMatch,
  SessionSearchHit,
  SessionSearchResult,
} from '../../../shared/domain/agent-bridge';
import type { OpenedSession, SessionStore } from './session-store';

/** One searchable piece of a session: what was said or run, and by whom. */
export interface SearchText {
  readonly where: SessionMatch['where'];
  /** The tool's name for tool text; empty otherwise. */
  readonly label: string;
  readonly text: string;
}

/** The most text kept from one tool result or argument (head only; enough to find it by). */
const MAX_PIECE = 20_000;
const SNIPPET_BEFORE = 40;
const SNIPPET_AFTER = 90;
/** Snippets shown per session; further matches are only counted. */
const SNIPPETS_PER_SESSION = 3;

function stringsOf(value: unknown, out: string[], depth = 0): void {
  if (depth > 4 || out.length > 50) return;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out, depth + 1);
  else if (value && typeof value === 'object')
    for (const v of Object.values(value)) stringsOf(v, out, depth + 1);
}

/**
 * The searchable text of a session's events: prompts, answers, tool arguments (commands, paths)
 * and results. Lines this app did not seal are left out: a planted line never makes a session
 * match (guard/session-seal.ts).
 */
export function searchTextsOf(opened: Pick<OpenedSession, 'events' | 'unsealed'>): SearchText[] {
  const out: SearchText[] = [];
  let answer = '';
  const endAnswer = (): void => {
    if (answer.trim()) out.push({ where: 'assistant', label: '', text: answer });
    answer = '';
  };
  opened.events.forEach((e: AgentEvent, i) => {
    if (opened.unsealed.has(i)) return;
    if (e.type === 'text-delta') {
      answer += e.text;
      return;
    }
    if (e.type === 'retry' && e.discardPartial) answer = '';
    if (e.type === 'reasoning-delta' || e.type === 'usage' || e.type === 'retry') return;
    endAnswer();
    if (e.type === 'turn-started') out.push({ where: 'user', label: '', text: e.prompt });
    if (e.type === 'tool-call-started') {
      const args: string[] = [];
      stringsOf(e.args, args);
      const text = args.join('\n').slice(0, MAX_PIECE);
      if (text) out.push({ where: 'tool', label: e.tool, text });
    }
    if (e.type === 'tool-call-finished')
      out.push({ where: 'tool', label: e.tool, text: e.result.slice(0, MAX_PIECE) });
  });
  endAnswer();
  return out;
}

/** A case-insensitive matcher for a literal phrase (any Unicode case, no regex syntax). */
export function phraseMatcher(query: string): RegExp {
  const phrase = query.trim().replace(/\s+/g, ' ');
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
  return new RegExp(escaped, 'giu');
}

/** The text around a match, on one line, cut at spaces where it can be. */
export function snippetAt(
  text: string,
  index: number,
  length: number,
): Pick<SessionMatch, 'before' | 'match' | 'after'> {
  const flat = (s: string) => s.replace(/\s+/g, ' ');
  let start = Math.max(0, index - SNIPPET_BEFORE);
  if (start > 0) {
    const space = text.indexOf(' ', start);
    if (space !== -1 && space < index) start = space + 1;
  }
  let end = Math.min(text.length, index + length + SNIPPET_AFTER);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > index + length) end = space;
  }
  return {
    before: `${start > 0 ? '…' : ''}${flat(text.slice(start, index)).trimStart()}`,
    match: flat(text.slice(index, index + length)),
    after: `${flat(text.slice(index + length, end)).trimEnd()}${end < text.length ? '…' : ''}`,
  };
}

/** Where `pattern` occurs in a session: its title and texts, at most a few snippets. */
export function matchSession(
  summary: SessionSummary,
  texts: readonly SearchText[],
  pattern: RegExp,
): SessionSearchHit | null {
  const matches: SessionMatch[] = [];
  let more = 0;
  const pieces: SearchText[] = [{ where: 'title', label: '', text: summary.title }, ...texts];
  for (const piece of pieces) {
    pattern.lastIndex = 0;
    const found = pattern.exec(piece.text);
    if (!found) continue;
    if (matches.length < SNIPPETS_PER_SESSION)
      matches.push({
        where: piece.where,
        label: piece.label,
        ...snippetAt(piece.text, found.index, found[0].length),
      });
    else more += 1;
  }
  return matches.length > 0 ? { session: summary, matches, more } : null;
}

interface Cached {
  /** The log's size and modification time when read: a change reads it again. */
  readonly stamp: string;
  readonly texts: readonly SearchText[];
}

/**
 * Full-text search over one workspace's sessions. Each log is read through the store's verified
 * reader once and its text kept until the log changes, so a keystroke costs a stat per session
 * and a scan of text in memory.
 */
export class SessionSearch {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly store: SessionStore) {}

  /**
   * Sessions whose title or text contains `query` (any case), newest first, at most `limit`.
   * `stale()` is asked between sessions: a search overtaken by a newer one stops there.
   */
  async search(
    query: string,
    options: { limit: number; stale?: () => boolean },
  ): Promise<SessionSearchResult> {
    const pattern = phraseMatcher(query);
    const hits: SessionSearchHit[] = [];
    const list = await this.store.list();
    const live = new Set(list.map((s) => s.id));
    for (const id of this.cache.keys()) if (!live.has(id)) this.cache.delete(id);
    let unreadable = 0;
    for (const summary of list) {
      if (options.stale?.()) return { query, hits, truncated: false, unreadable, superseded: true };
      let texts: readonly SearchText[];
      try {
        texts = await this.textsOf(summary.id);
      } catch {
        unreadable += 1;
        continue;
      }
      const hit = matchSession(summary, texts, pattern);
      if (!hit) continue;
      if (hits.length === options.limit)
        return { query, hits, truncated: true, unreadable, superseded: false };
      hits.push(hit);
    }
    return { query, hits, truncated: false, unreadable, superseded: false };
  }

  private async textsOf(id: string): Promise<readonly SearchText[]> {
    const info = await lstat(join(this.store.dir, id, 'events.jsonl')).catch(() => null);
    const stamp = info ? `${info.size}:${info.mtimeMs}` : 'none';
    const cached = this.cache.get(id);
    if (cached?.stamp === stamp) return cached.texts;
    const texts = searchTextsOf(await this.store.open(id));
    this.cache.set(id, { stamp, texts });
    return texts;
  }
}
