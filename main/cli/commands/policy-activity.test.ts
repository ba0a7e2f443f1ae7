import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ActivityRecord } from '../../../shared/domain/activity';
import { ActivityStore, activityDir } from '../../activity/activity-store';
import { SessionSealer } from '../../guard/session-seal';
import { resolveAppPaths } from '../../platform/paths';
import { trustForTests } from '../../workspace/trust-testing';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const ENTRY = join(process.cwd(), 'main', 'cli', 'index.ts');
const AUDIT = {
  enabled: true,
  directory: null,
  logAllowed: true,
  logDenied: true,
  logPrompts: true,
};

function record(id: string, at: string, over: Partial<ActivityRecord> = {}): ActivityRecord {
  return {
    v: 1,
    id,
    at,
    sessionId: 's-cli001',
    turnId: 't-1',
    callId: `c-${id}`,
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

/** A workspace whose log this install wrote (sealed with its key), plus one planted line. */
function workspace(userToml = '') {
  const root = mkdtempSync(join(tmpdir(), 'policy-activity-'));
  const ws = join(root, 'ws');
  mkdirSync(ws);
  const env = { ...process.env, VTCODE_DESKTOP_HOME: join(root, 'app'), HOME: join(root, 'home') };
  trustForTests(env, ws);
  const paths = resolveAppPaths(env);
  mkdirSync(paths.configDir, { recursive: true });
  writeFileSync(join(paths.configDir, 'vtcode.toml'), userToml);
  const audit = /audit_directory/.test(userToml) ? { ...AUDIT, directory: '~/audit' } : AUDIT;
  const store = new ActivityStore(
    ws,
    activityDir(ws, audit, paths.home),
    SessionSealer.forDataDir(paths.dataDir),
    (t) => t,
  );
  store.append(record('a', '2026-10-31T23:00:00.000Z'));
  store.append(record('b', '2026-11-02T10:00:00.000Z', { decision: 'deny', tool: 'write_file' }));
  store.append(record('c', '2026-11-03T10:00:00.000Z', { decision: 'prompt' }));
  store.append(record('d', '2026-11-04T10:00:00.000Z'));
  appendFileSync(
    join(store.dir, '2026-11.jsonl'),
    `${JSON.stringify(record('planted', '2026-11-05T00:00:00.000Z'))}\n`,
  );
  return { ws, env, dir: store.dir };
}

function run(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(TSX, [ENTRY, 'policy', 'activity', ...args], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const lines = r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ActivityRecord & { sealed: boolean });
  return { code: r.status, lines, stderr: r.stderr };
}

describe('policy activity CLI', () => {
  it('prints every record oldest first, each saying whether this app wrote it', () => {
    const { ws, env } = workspace();
    const r = run(['--workspace', ws], env);
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => [l.id, l.sealed])).toEqual([
      ['a', true],
      ['b', true],
      ['c', true],
      ['d', true],
      ['planted', false],
    ]);
    expect(r.lines[1]).toMatchObject({ tool: 'write_file', decision: 'deny', v: 1 });
  });

  it('filters by time, decision and tool, and keeps the newest N', () => {
    const { ws, env } = workspace();
    const ids = (args: string[]) => run(['--workspace', ws, ...args], env).lines.map((l) => l.id);
    expect(ids(['--since', '2026-11-03'])).toEqual(['c', 'd', 'planted']);
    expect(ids(['--decision', 'deny', '--tool', 'write_file'])).toEqual(['b']);
    expect(ids(['--limit', '2', '--decision', 'allow', '--since', '2026-10-01T00:00Z'])).toEqual([
      'd',
      'planted',
    ]);
  });

  it('reads the log where the user file’s audit_directory puts it', () => {
    const { ws, env, dir } = workspace('[permissions]\naudit_directory = "~/audit"\n');
    expect(dir).toContain(join('home', 'audit'));
    expect(run(['--workspace', ws, '--limit', '1'], env).lines.map((l) => l.id)).toEqual([
      'planted',
    ]);
  });

  it.each([
    [['--since', 'last tuesday']],
    [['--since', '2026-13-45']],
    [['--decision', 'maybe']],
    [['--limit', '0']],
    [['--limit', 'ten']],
    [['--frobnicate']],
    [['stray']],
  ])('bad usage %j exits 2', (args) => {
    const { ws, env } = workspace();
    const r = run(['--workspace', ws, ...args], env);
    expect(r.code).toBe(2);
    expect(r.lines).toEqual([]);
  });
});
