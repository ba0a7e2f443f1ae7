import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentEvent, SessionSummary } from '../../../shared/domain/agent';
import { SessionSealer } from '../../guard/session-seal';
import { DRAFT_TITLE } from './session-title';
import { SessionStore } from './session-store';

const redact = (text: string) => text.replace(/sk-[A-Za-z0-9-]{8,}/g, '[REDACTED]');
const at = new Date().toISOString();
const started = (prompt: string): AgentEvent => ({
  type: 'turn-started',
  turnId: 't1',
  at,
  prompt,
  provider: 'openai',
  model: 'm',
});

let ws: string;
let store: SessionStore;
beforeEach(async () => {
  ws = await mkdtemp(join(tmpdir(), 'session-store-'));
  store = new SessionStore(ws, redact, SessionSealer.withKey(Buffer.alloc(32, 7)));
});
afterEach(() => rm(ws, { recursive: true, force: true }));

/** A session folder as an older version wrote it for a New session click. */
async function legacy(id: string, summary: Partial<SessionSummary>, log: string | null) {
  const dir = join(store.dir, id);
  await mkdir(dir, { recursive: true });
  const meta = {
    id,
    title: DRAFT_TITLE,
    workspace: ws,
    createdAt: at,
    updatedAt: at,
    provider: null,
    model: null,
    turns: 0,
    ...summary,
  };
  await writeFile(join(dir, 'meta.json'), JSON.stringify(meta));
  if (log !== null) await writeFile(join(dir, 'events.jsonl'), log);
  return dir;
}

describe('session store: drafts, titles and empty sessions', () => {
  it('a draft is nothing on disk; its first message writes it and names it, redacted', async () => {
    const draft = store.draft({ provider: 'openai', model: 'm' });
    expect(draft.title).toBe(DRAFT_TITLE);
    expect(await readdir(ws)).toEqual([]);
    expect(await store.list()).toEqual([]);
    const { summary, log } = await store.persist(
      draft,
      'Deploy with sk-live-0123456789abcdef\nnow',
    );
    log.append(started('Deploy with sk-live-0123456789abcdef'));
    log.close();
    expect(summary).toMatchObject({ title: 'Deploy with [REDACTED]', titleSource: 'prompt' });
    expect((await store.list()).map((s) => s.title)).toEqual(['Deploy with [REDACTED]']);
    const meta = await readFile(join(store.dir, summary.id, 'meta.json'), 'utf8');
    expect(meta).not.toContain('sk-live');
  });

  it('a first message can count its turn in the same write, as noteTurn would have', async () => {
    const draft = store.draft({ provider: 'openai', model: 'm' });
    const { summary, log } = await store.persist(draft, 'Fix the build', { countTurn: true });
    log.append(started('Fix the build'));
    log.close();
    expect(summary).toMatchObject({ title: 'Fix the build', turns: 1 });
    const onDisk: unknown = JSON.parse(
      await readFile(join(store.dir, summary.id, 'meta.json'), 'utf8'),
    );
    expect(onDisk).toMatchObject({ title: 'Fix the build', turns: 1 });
    // Without it, the count is noteTurn's: the same file after both.
    const { summary: other, log: otherLog } = await store.persist(
      store.draft({ provider: 'openai', model: 'm' }),
      'Fix the build',
    );
    otherLog.close();
    expect(other.turns).toBe(0);
    expect((await store.noteTurn(other)).turns).toBe(1);
  });

  it('a given title is kept as the user’s; a rename is never replaced by a later turn', async () => {
    const { summary, log } = await store.persist(
      store.draft({ title: 'Mine', provider: null, model: null }),
      'other words',
    );
    log.append(started('other words'));
    log.close();
    expect(summary).toMatchObject({ title: 'Mine', titleSource: 'user' });
    const renamed = await store.rename(summary.id, 'Renamed by me');
    expect(renamed.titleSource).toBe('user');
    // A running session still holds the summary it had before the rename.
    const counted = await store.noteTurn(summary);
    expect(counted).toMatchObject({ title: 'Renamed by me', turns: renamed.turns + 1 });
    expect((await store.list())[0]?.title).toBe('Renamed by me');
  });

  it('does not list empty sessions, removes old empty folders, and keeps anything with content', async () => {
    const old = new Date(Date.now() - 3600_000).toISOString();
    await legacy('s-emptyold-1', { createdAt: old }, '');
    await legacy('s-nolog-old-1', { createdAt: old }, null);
    await legacy('s-emptynew-1', {}, '');
    const extra = await legacy('s-extra-file-1', { createdAt: old }, '');
    await writeFile(join(extra, 'notes.txt'), 'mine');
    await legacy('s-counted-1', { createdAt: old, turns: 1 }, null);
    const sealer = SessionSealer.withKey(Buffer.alloc(32, 7));
    const line = sealer.seal(`${ws}\0s-content-1`, JSON.stringify(started('Make the tests pass')));
    await legacy('s-content-1', { createdAt: old }, `${line}\n`);

    const listed = (await store.list()).map((s) => s.id).sort();
    expect(listed).toEqual(['s-content-1', 's-counted-1']);
    const left = await readdir(store.dir);
    expect(left).not.toContain('s-emptyold-1');
    expect(left).not.toContain('s-nolog-old-1');
    // Too young to be a leftover (another process may be writing its first line), or holding
    // something the app did not write there: kept on disk, just not listed.
    expect(left).toContain('s-emptynew-1');
    expect(left).toContain('s-extra-file-1');
    expect(await readFile(join(extra, 'notes.txt'), 'utf8')).toBe('mine');
    expect(left).toContain('s-counted-1');
    expect(left).toContain('s-content-1');
  });

  it('names an older "New session" after its first sealed message, once', async () => {
    const sealer = SessionSealer.withKey(Buffer.alloc(32, 7));
    const planted = JSON.stringify(started('planted title'));
    const real = sealer.seal(`${ws}\0s-legacy-1`, JSON.stringify(started('Upgrade the parser')));
    const dir = await legacy('s-legacy-1', { turns: 2 }, `${planted}\n${real}\n`);
    expect((await store.list())[0]).toMatchObject({
      title: 'Upgrade the parser',
      titleSource: 'prompt',
    });
    const meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as SessionSummary;
    expect(meta.title).toBe('Upgrade the parser');
    // A user who named a session "New session" keeps it.
    await store.rename('s-legacy-1', DRAFT_TITLE);
    expect((await store.list())[0]?.title).toBe(DRAFT_TITLE);
  });

  it('exports with a file name made from the title', async () => {
    const { summary, log } = await store.persist(
      store.draft({ provider: null, model: null }),
      'Fix: the «build» / CI',
    );
    log.append(started('Fix: the «build» / CI'));
    log.close();
    expect((await store.exportMarkdown(summary.id)).fileName).toBe('Fix-the-build-CI.md');
  });
});
