import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../shared/domain/agent';
import { SessionSealer } from '../../guard/session-seal';
import { SessionSearch, phraseMatcher, snippetAt } from './session-search';
import { SessionStore } from './session-store';

const at = new Date().toISOString();
const base = { turnId: 't1', at };
const sealer = SessionSealer.withKey(Buffer.alloc(32, 3));

let ws: string;
let store: SessionStore;
beforeEach(async () => {
  ws = await mkdtemp(join(tmpdir(), 'session-search-'));
  store = new SessionStore(ws, (t) => t, sealer);
});
afterEach(() => rm(ws, { recursive: true, force: true }));

/** A session written as the app writes one: its first prompt, then `events`. */
async function session(prompt: string, events: AgentEvent[], title?: string): Promise<string> {
  const { summary, log } = await store.persist(
    store.draft({ title: title ?? null, provider: 'openai', model: 'm' }),
    prompt,
  );
  log.append({ type: 'turn-started', ...base, prompt, provider: 'openai', model: 'm' });
  for (const e of events) log.append(e);
  log.close();
  return summary.id;
}
const say = (text: string): AgentEvent => ({ type: 'text-delta', ...base, step: 0, text });
const ran = (command: string, result: string): AgentEvent[] => [
  {
    type: 'tool-call-started',
    ...base,
    step: 0,
    callId: 'c1',
    tool: 'run_pty_cmd',
    args: { command },
  },
  {
    type: 'tool-call-finished',
    ...base,
    callId: 'c1',
    tool: 'run_pty_cmd',
    status: 'ok',
    durationMs: 5,
    result,
  },
];

describe('session search', () => {
  it('finds a word in answers, prompts, commands and outputs, any case, with a snippet', async () => {
    const answer = await session('Fix the build', [say('The '), say('Zebra parser is broken.')]);
    const command = await session('Run the linter', ran('npx eslint zebra.ts', 'exit code 0'));
    const output = await session('Check it', ran('ls', 'exit code 0\nZEBRA.md'));
    await session('Unrelated', [say('Nothing to see.')]);
    const result = await new SessionSearch(store).search('zebra', { limit: 10 });
    expect(result.truncated).toBe(false);
    const byId = new Map(result.hits.map((h) => [h.session.id, h]));
    expect([...byId.keys()].sort()).toEqual([answer, command, output].sort());
    expect(byId.get(answer)?.matches).toEqual([
      {
        where: 'assistant',
        label: '',
        before: 'The ',
        match: 'Zebra',
        after: ' parser is broken.',
      },
    ]);
    expect(byId.get(command)?.matches[0]).toMatchObject({
      where: 'tool',
      label: 'exec_command',
      before: 'npx eslint ',
      match: 'zebra',
    });
    expect(byId.get(output)?.matches[0]).toMatchObject({ where: 'tool', match: 'ZEBRA' });
  });

  it('matches the title too, and counts matches beyond the shown ones', async () => {
    const id = await session(
      'Cache the results',
      [say('cache one'), ...ran('cache two', 'cache three'), say('cache four')],
      'Cache',
    );
    const [hit] = (await new SessionSearch(store).search('CACHE', { limit: 10 })).hits;
    expect(hit?.session.id).toBe(id);
    expect(hit?.matches.map((m) => m.where)).toEqual(['title', 'user', 'assistant']);
    expect(hit?.more).toBe(3);
  });

  it('never matches on a line this app did not seal', async () => {
    const id = await session('Plain work', [say('ordinary answer')]);
    const planted: AgentEvent = { type: 'text-delta', ...base, step: 1, text: 'secret-marker' };
    await appendFile(join(store.dir, id, 'events.jsonl'), `${JSON.stringify(planted)}\n`);
    const search = new SessionSearch(store);
    expect((await search.search('secret-marker', { limit: 10 })).hits).toEqual([]);
    expect((await search.search('ordinary', { limit: 10 })).hits).toHaveLength(1);
  });

  it('reads a log again when it grows, and caps the sessions returned', async () => {
    const search = new SessionSearch(store);
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await session(`Task ${i}`, [say('common word')]));
    expect((await search.search('later word', { limit: 10 })).hits).toEqual([]);
    const log = store.append(ids[0]!);
    const { log: writer } = await log;
    writer.append(say('a later word'));
    writer.close();
    expect(
      (await search.search('later word', { limit: 10 })).hits.map((h) => h.session.id),
    ).toEqual([ids[0]]);
    const capped = await search.search('common', { limit: 2 });
    expect(capped.hits).toHaveLength(2);
    expect(capped.truncated).toBe(true);
  });

  it('stops when a newer search overtakes it', async () => {
    for (let i = 0; i < 3; i++) await session(`Task ${i}`, [say('word')]);
    let asked = 0;
    const result = await new SessionSearch(store).search('word', {
      limit: 10,
      stale: () => ++asked > 1,
    });
    expect(result.superseded).toBe(true);
    expect(result.hits.length).toBeLessThan(3);
  });

  it('treats the query as text, spaces matching any run of white space', () => {
    expect(phraseMatcher('a.b (c)').test('x a.b (c) y')).toBe(true);
    expect(phraseMatcher('a.b').test('axb')).toBe(false);
    expect(phraseMatcher('two  words').test('two\n  words')).toBe(true);
  });

  it('cuts a snippet at spaces and marks the cuts', () => {
    const text = `${'lorem '.repeat(20)}NEEDLE${' ipsum'.repeat(30)}`;
    const s = snippetAt(text, text.indexOf('NEEDLE'), 6);
    expect(s.match).toBe('NEEDLE');
    expect(s.before.startsWith('…')).toBe(true);
    expect(s.before.endsWith('lorem ')).toBe(true);
    expect(s.after.endsWith('…')).toBe(true);
    expect(s.after).not.toMatch(/ips…$|\s…$/);
    expect(snippetAt('line one\nNEEDLE\nline', 9, 6)).toEqual({
      before: 'line one ',
      match: 'NEEDLE',
      after: ' line',
    });
  });
});
