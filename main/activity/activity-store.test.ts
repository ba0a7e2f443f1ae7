import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ActivityRecord } from '../../shared/domain/activity';
import type { AuditSettings } from '../config/effective';
import { SessionSealer } from '../guard/session-seal';
import { ActivityStore, activityDir, auditWants } from './activity-store';

const AUDIT: AuditSettings = {
  enabled: true,
  directory: null,
  logAllowed: true,
  logDenied: true,
  logPrompts: true,
};
const sealer = SessionSealer.withKey(Buffer.alloc(32, 7));

function record(over: Partial<ActivityRecord> = {}): ActivityRecord {
  return {
    v: 1,
    id: `r-${Math.random().toString(36).slice(2)}`,
    at: '2026-11-30T10:00:00.000Z',
    sessionId: 's-1',
    turnId: 't-1',
    callId: 'c-1',
    kind: 'call',
    tool: 'exec_command',
    subject: 'git status',
    subjects: [{ kind: 'command', command: 'git status' }],
    policy: { decision: 'allow', reason: 'allowed', rule: null },
    decision: 'allow',
    by: { kind: 'user' },
    reason: 'allowed',
    parts: [],
    paths: [],
    ...over,
  };
}

function store(redact = (t: string) => t) {
  const ws = mkdtempSync(join(tmpdir(), 'activity-'));
  return { ws, store: new ActivityStore(ws, activityDir(ws, AUDIT, '/home/x'), sealer, redact) };
}

describe('activity store', () => {
  it('appends sealed, redacted lines beside the sessions and reads them back in order', async () => {
    const { ws, store: s } = store((t) => t.replaceAll('sk-secret', '[redacted]'));
    s.append(record({ id: 'a', subject: 'curl -H sk-secret x' }));
    s.append(record({ id: 'b', at: '2026-12-01T00:00:00.000Z' }));
    expect(s.dir).toBe(join(ws, '.vtcode', 'activity'));
    const raw = readFileSync(join(s.dir, '2026-11.jsonl'), 'utf8');
    expect(raw).not.toContain('sk-secret');
    const { records, warnings } = await s.readAll();
    expect(warnings).toEqual([]);
    expect(records.map((r) => [r.record.id, r.sealed])).toEqual([
      ['a', true],
      ['b', true],
    ]);
    expect(records[0]?.record.subject).toBe('curl -H [redacted] x');
  });

  it('reads forged, edited, replayed and foreign lines as unsealed, and skips junk with a warning', async () => {
    const { ws, store: s } = store();
    s.append(record({ id: 'good' }));
    const file = join(s.dir, '2026-11.jsonl');
    const text = readFileSync(file, 'utf8');
    const edited = text.replace('"allow"', '"deny"');
    const other = new ActivityStore(
      ws,
      s.dir,
      SessionSealer.withKey(Buffer.alloc(32, 9)),
      (t) => t,
    );
    other.append(record({ id: 'other-key' }));
    writeFileSync(file, `${text}${edited}not json\n${JSON.stringify(record({ id: 'plain' }))}\n`, {
      flag: 'a',
    });
    const { records, warnings } = await s.readAll();
    expect(records.map((r) => [r.record.id, r.sealed])).toEqual([
      ['good', true],
      ['other-key', false],
      ['good', false],
      ['good', false],
      ['plain', false],
    ]);
    expect(warnings).toHaveLength(1);
  });

  it('never writes or reads through a symlink a repository planted', async () => {
    const { ws, store: s } = store();
    const outside = mkdtempSync(join(tmpdir(), 'outside-'));
    mkdirSync(join(ws, '.vtcode'));
    symlinkSync(outside, join(ws, '.vtcode', 'activity'));
    expect(() => s.append(record())).toThrow(/symlink/);
    await expect(s.readAll()).rejects.toThrow(/symlink/);
  });

  it('filters by since, by month and by time', async () => {
    const { store: s } = store();
    s.append(record({ id: 'old', at: '2026-10-01T00:00:00.000Z' }));
    s.append(record({ id: 'mid', at: '2026-11-15T00:00:00.000Z' }));
    s.append(record({ id: 'new', at: '2026-11-20T00:00:00.000Z' }));
    const { records } = await s.readAll({ since: new Date('2026-11-16T00:00:00.000Z') });
    expect(records.map((r) => r.record.id)).toEqual(['new']);
  });

  it('puts the log under audit_directory, one folder per workspace', () => {
    const dir = activityDir('/work/proj', { ...AUDIT, directory: '~/audit' }, '/home/u');
    expect(dir).toMatch(/^\/home\/u\/audit\/proj-[0-9a-f]{12}$/);
    expect(activityDir('/work/proj', AUDIT, '/home/u')).toBe('/work/proj/.vtcode/activity');
  });

  it('honours the audit switches', () => {
    const allow = record();
    const deny = record({ decision: 'deny' });
    const ask = record({ decision: 'prompt' });
    const answer = record({ kind: 'approval', answer: 'denied', decision: 'deny' });
    expect(auditWants({ ...AUDIT, enabled: false }, deny)).toBe(false);
    expect(auditWants({ ...AUDIT, logAllowed: false }, allow)).toBe(false);
    expect(auditWants({ ...AUDIT, logAllowed: false }, deny)).toBe(true);
    expect(auditWants({ ...AUDIT, logDenied: false }, deny)).toBe(false);
    expect(auditWants({ ...AUDIT, logPrompts: false }, ask)).toBe(false);
    expect(auditWants({ ...AUDIT, logPrompts: false }, answer)).toBe(false);
    expect(auditWants(AUDIT, answer)).toBe(true);
  });
});
