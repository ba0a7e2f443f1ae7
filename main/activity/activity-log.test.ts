import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ActivityRecord } from '../../shared/domain/activity';
import { listActivityRequestSchema } from '../../shared/domain/activity-query';
import type { AuditSettings } from '../config/effective';
import { SessionSealer } from '../guard/session-seal';
import { tempDir } from '../policy/test-helpers';
import { ActivityLog } from './activity-log';
import { ActivityReader } from './activity-reader';
import { ActivityStore } from './activity-store';

const ON: AuditSettings = {
  enabled: true,
  directory: null,
  logAllowed: true,
  logDenied: true,
  logPrompts: true,
};
const sealer = SessionSealer.withKey(Buffer.alloc(32, 5));
const rule = (entry: string, kind: 'allow_glob' | 'deny_glob' = 'allow_glob') => ({
  kind,
  entry,
  section: 'commands',
  source: { layer: 'workspace' as const, file: '/ws/vtcode.toml' },
});

let seq = 0;
function record(over: Partial<ActivityRecord> = {}): ActivityRecord {
  seq++;
  return {
    v: 1,
    id: `r-${seq}`,
    at: new Date(Date.UTC(2026, 10, 1, 0, 0, seq)).toISOString(),
    sessionId: 's-aaaaaa',
    turnId: 't-1',
    callId: `c-${seq}`,
    kind: 'call',
    tool: 'exec_command',
    subject: 'git status',
    subjects: [{ kind: 'command', command: 'git status' }],
    policy: { decision: 'allow', reason: 'allowed', rule: rule('git *') },
    decision: 'allow',
    by: { kind: 'rule', rule: rule('git *') },
    reason: 'allowed',
    parts: [],
    paths: [],
    ...over,
  };
}

function setup(audit: () => AuditSettings = () => ON) {
  const ws = tempDir('activity-log-');
  const log = new ActivityLog({
    workspace: ws,
    audit,
    home: ws,
    sealer,
    redact: (t) => t,
    onError: (m, e) => {
      throw new Error(`${m}: ${String(e)}`);
    },
  });
  const query = (request: Record<string, unknown> = {}) =>
    log.query(listActivityRequestSchema.parse(request));
  return { ws, log, query };
}

afterEach(() => vi.restoreAllMocks());

describe('activity queries', () => {
  it('pages newest first with a cursor, and counts what matches', async () => {
    const { log, query } = setup();
    for (let i = 0; i < 5; i++) log.record(record({ id: `p-${i}` }));
    log.record(record({ id: 'd-1', decision: 'deny', policy: { ...record().policy } }));
    const first = await query({ limit: 4 });
    expect(first.records.map((r) => r.record.id)).toEqual(['d-1', 'p-4', 'p-3', 'p-2']);
    expect([first.total, first.more]).toEqual([6, true]);
    expect(first.counts).toEqual({ allow: 5, prompt: 0, deny: 1 });
    const next = await query({ limit: 4, before: 'p-2' });
    expect(next.records.map((r) => r.record.id)).toEqual(['p-1', 'p-0']);
    expect(next.more).toBe(false);
    expect(first.logging).toEqual({ enabled: true, allowed: true, denied: true, prompts: true });
  });

  it('filters by decision, tool, rule, session, who decided, text and time', async () => {
    const { log, query } = setup();
    log.record(record({ id: 'a' }));
    log.record(
      record({
        id: 'b',
        decision: 'deny',
        subject: 'rm -rf build',
        by: { kind: 'rule', rule: rule('rm *', 'deny_glob') },
        policy: { decision: 'deny', reason: 'denied', rule: rule('rm *', 'deny_glob') },
      }),
    );
    log.record(
      record({ id: 'c', kind: 'approval', by: { kind: 'user' }, answer: 'approved-once' }),
    );
    log.record(record({ id: 'd', tool: 'write_file', sessionId: 's-bbbbbb', subject: 'write x' }));
    log.record(record({ id: 'e', by: { kind: 'mode', mode: 'plan' }, decision: 'deny' }));
    const ids = async (f: Record<string, unknown>) =>
      (await query(f)).records.map((r) => r.record.id);
    expect(await ids({ decision: 'deny' })).toEqual(['e', 'b']);
    expect(await ids({ tool: 'write_file' })).toEqual(['d']);
    expect(await ids({ rule: 'RM *' })).toEqual(['b']);
    expect(await ids({ rule: 'vtcode.toml', decision: 'deny' })).toEqual(['e', 'b']);
    expect(await ids({ sessionId: 's-bbbbbb' })).toEqual(['d']);
    expect(await ids({ by: 'user' })).toEqual(['c']);
    expect(await ids({ by: 'mode' })).toEqual(['e']);
    expect(await ids({ text: 'BUILD' })).toEqual(['b']);
    const at = record().at;
    log.record(record({ id: 'late' }));
    expect(await ids({ since: at })).toEqual(['late']);
  });

  it('shows unsealed lines but never counts them', async () => {
    const { log, query } = setup();
    log.record(record({ id: 'mine' }));
    const file = join(log.store().dir, '2026-11.jsonl');
    appendFileSync(
      file,
      `${JSON.stringify(record({ id: 'planted', decision: 'deny' }))}\nnot json\n`,
    );
    const page = await query();
    expect(page.records.map((r) => [r.record.id, r.sealed])).toEqual([
      ['planted', false],
      ['mine', true],
    ]);
    expect(page.counts).toEqual({ allow: 1, prompt: 0, deny: 0 });
    expect(page.warnings).toEqual(['2026-11.jsonl line 3: not valid JSON; ignored']);
  });

  it('re-reads only what changed: a grown month from where it stopped, an edited one whole', async () => {
    const { log, query } = setup();
    for (let i = 0; i < 3; i++) log.record(record());
    log.record(record({ at: '2026-12-02T00:00:00.000Z' }));
    const parse = vi.spyOn(ActivityStore.prototype, 'parseLine');
    expect((await query()).total).toBe(4);
    expect(parse).toHaveBeenCalledTimes(4);
    parse.mockClear();
    await query({ decision: 'deny' });
    expect(parse).toHaveBeenCalledTimes(0);
    log.record(record());
    expect((await query()).total).toBe(5);
    expect(parse).toHaveBeenCalledTimes(1);
    parse.mockClear();
    // An edit in the middle: the month is parsed again, and the edited line reads as unsealed.
    const file = join(log.store().dir, '2026-11.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"git status"', '"git statuz"'));
    const page = await query();
    expect(parse).toHaveBeenCalledTimes(4);
    expect(page.records.filter((r) => !r.sealed)).toHaveLength(1);
  });

  it('drops the cache once nobody has asked for a while', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { log } = setup();
      log.record(record());
      const reader = new ActivityReader(log.store(), 1000);
      await reader.all();
      expect(reader.cachedMonths).toBe(1);
      vi.advanceTimersByTime(999);
      expect(reader.cachedMonths).toBe(1);
      vi.advanceTimersByTime(1);
      expect(reader.cachedMonths).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a line being written is read but not kept in the cache', async () => {
    const { log, query } = setup();
    log.record(record({ id: 'whole' }));
    const file = join(log.store().dir, '2026-11.jsonl');
    appendFileSync(file, '{"v":1,"id":"half');
    expect((await query()).warnings).toHaveLength(1);
    appendFileSync(file, '"}\n');
    log.record(record({ id: 'after' }));
    const page = await query();
    expect(page.records.map((r) => r.record.id)).toEqual(['after', 'whole']);
    expect(page.warnings).toHaveLength(1);
  });

  it('follows the audit directory the user file names, read at each use', async () => {
    const elsewhere = tempDir('activity-audit-');
    let audit = ON;
    const { ws, log, query } = setup(() => audit);
    log.record(record({ id: 'beside' }));
    audit = { ...ON, directory: elsewhere };
    log.record(record({ id: 'moved' }));
    expect(log.store().dir.startsWith(elsewhere)).toBe(true);
    expect((await query()).records.map((r) => r.record.id)).toEqual(['moved']);
    audit = ON;
    expect(log.store().dir).toBe(join(ws, '.vtcode', 'activity'));
    expect((await query()).records.map((r) => r.record.id)).toEqual(['beside']);
  });
});

describe('the query request', () => {
  it.each([
    [{ limit: 0 }, 'limit'],
    [{ limit: 501 }, 'limit'],
    [{ limit: 2.5 }, 'limit'],
    [{ decision: 'maybe' }, 'decision'],
    [{ by: 'robot' }, 'by'],
    [{ since: 'yesterday' }, 'since'],
    [{ text: 'a\u0000b' }, 'text'],
    [{ text: 'x'.repeat(501) }, 'text'],
    [{ tool: '' }, 'tool'],
    [{ extra: true }, ''],
  ])('refuses %j', (request, key) => {
    const parsed = listActivityRequestSchema.safeParse(request);
    expect(parsed.success).toBe(false);
    if (key) expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(key);
  });

  it('defaults the page to 200', () => {
    expect(listActivityRequestSchema.parse({}).limit).toBe(200);
  });
});
