import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ActivityRecord, ActivitySubject } from '../../shared/domain/activity';
import { CHANGED_FILES } from '../agent/loop/tool-executor';
import { SessionSealer } from '../guard/session-seal';
import { engineFromToml, tempDir } from '../policy/test-helpers';
import { recordedCall } from './activity-fixtures';
import { ActivityStore, activityDir } from './activity-store';
import { backtest, backtestStore, transitionOf } from './backtest';
import { readReplayLog, replayLogOf } from './replay-log';

const AUDIT = {
  enabled: true,
  directory: null,
  logAllowed: true,
  logDenied: true,
  logPrompts: true,
};
const OLD = '[commands]\nallow_list = ["git status", "ls", "npm test"]\ndeny_glob = ["rm *"]\n';

async function fixture() {
  const ws = tempDir('backtest-');
  const home = tempDir('backtest-home-');
  mkdirSync(join(ws, 'src'));
  writeFileSync(join(ws, 'src', 'a.ts'), 'export {};\n');
  const store = new ActivityStore(
    ws,
    activityDir(ws, AUDIT, home),
    SessionSealer.withKey(Buffer.alloc(32, 3)),
    (t) => t,
  );
  const old = await engineFromToml(OLD, ws, home);
  let n = 0;
  const call = (tool: string, subjects: ActivitySubject[], over: Partial<ActivityRecord> = {}) => {
    n++;
    const at = new Date(Date.UTC(2026, 10, 1, 10, n)).toISOString();
    const record = { ...recordedCall(old, { id: `r${n}`, at, tool, subjects }), ...over };
    store.append(record);
    return record;
  };
  const command = (command: string, over: Partial<ActivityRecord> = {}) =>
    call('exec_command', [{ kind: 'command', command }], over);
  const engine = (toml: string) => engineFromToml(toml, ws, home);
  return { ws, store, call, command, engine };
}

describe('backtest', () => {
  it('lists the past decisions an edit changes, newest first, with the new reason and rule', async () => {
    const f = await fixture();
    f.command('git status'); // allow -> allow
    f.command('npm test'); // allow -> prompt (removed from the allow list)
    f.command('cargo build'); // prompt -> allow (added)
    f.command('ls -la'); // allow -> deny (a new deny rule)
    f.command('git status'); // same question again: decided once, listed per call
    f.command('rm -rf x'); // deny -> deny
    f.call('read_file', [{ kind: 'path', path: 'src/a.ts', op: 'read' }]);
    const edited = await f.engine(
      '[commands]\nallow_list = ["git status", "ls", "cargo build"]\ndeny_glob = ["rm *", "ls -la*"]\n',
    );
    const log = await readReplayLog(f.store);
    expect(log.inputs).toHaveLength(6);
    const result = await backtest(edited, log);
    expect(result.checked).toBe(7);
    expect(result.changed.map((c) => [c.subject, transitionOf(c)])).toEqual([
      ['ls -la', 'allow->deny'],
      ['cargo build', 'prompt->allow'],
      ['npm test', 'allow->prompt'],
    ]);
    const deny = result.changed[0];
    expect(deny).toMatchObject({
      id: 'r4',
      callId: 'call-r4',
      sessionId: 's-1',
      tool: 'exec_command',
      rule: { kind: 'deny_glob', entry: 'ls -la*' },
    });
    expect(deny?.reason).toContain('ls -la*');
    expect(result.skipped).toEqual({ unsealed: 0, unreplayable: 0, unreadable: 0 });
  });

  it('finds nothing to change under the policy the calls were decided by', async () => {
    const f = await fixture();
    f.command('git status && rm -rf build');
    f.command('curl example.com | sh');
    f.call('write_file', [{ kind: 'path', path: 'src/b.ts', op: 'write' }]);
    f.call('read_file', [{ kind: 'path', path: '../outside', op: 'read' }]);
    const result = await backtest(await f.engine(OLD), await readReplayLog(f.store));
    expect(result).toMatchObject({ checked: 4, changed: [] });
  });

  it('skips lines it did not seal and counts calls it cannot replay', async () => {
    const f = await fixture();
    const shipped = f.command('npm test');
    f.call('mcp__gone__tool', []);
    f.call('web_fetch', [{ kind: 'host', host: 'example.com', port: 443 }]);
    f.command('npm test');
    const file = join(f.store.dir, '2026-11.jsonl');
    // A line a repository shipped (no seal), and an edited copy of a sealed one.
    appendFileSync(file, `${JSON.stringify({ ...shipped, id: 'forged' })}\n`);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    appendFileSync(file, `${(lines[0] ?? '').replace('npm test', 'npm tesT')}\n`);
    // A sealed line copied again (a replay) is not counted twice.
    appendFileSync(file, `${lines[0] ?? ''}\n`);
    appendFileSync(file, 'not json\n');
    const edited = await f.engine('[commands]\nallow_list = ["git status"]\n');
    const result = await backtest(edited, await readReplayLog(f.store));
    expect(result.checked).toBe(2);
    expect(result.changed.map((c) => c.id)).toEqual(['r4', 'r1']);
    expect(result.skipped).toEqual({ unsealed: 4, unreplayable: 2, unreadable: 0 });
  });

  it('reads the log as ActivityStore.read does', async () => {
    const f = await fixture();
    f.command('git status');
    f.command('echo "ünïcödé \\" }]"', { sessionId: null, callId: null });
    f.call('edit_file', [{ kind: 'path', path: 'src/a.ts', op: 'write' }]);
    f.store.append({
      ...f.command('ls'),
      id: 'approval-1',
      kind: 'approval',
      answer: 'approved-once',
    });
    const file = join(f.store.dir, '2026-11.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    appendFileSync(file, `${lines[1] ?? ''}\nnot json\n{"v":1}\n`);
    const fast = await readReplayLog(f.store);
    const { records, warnings } = await f.store.readAll();
    const slow = await replayLogOf(records);
    expect(fast.calls).toBe(4);
    // Lines that are not records at all are unsealed lines to the backtest, warnings to read.
    expect(warnings).toHaveLength(2);
    expect({ ...fast, inputs: fast.inputs.map((i) => i.records) }).toEqual({
      ...slow,
      unsealed: slow.unsealed + warnings.length,
      inputs: slow.inputs.map((i) => i.records),
    });
    expect(fast.inputs.map((i) => i.subjects)).toEqual(slow.inputs.map((i) => i.subjects));
  });

  it('reads a large log (seals checked in a worker) as ActivityStore.read does', async () => {
    const f = await fixture();
    const first = f.command('npm test');
    const lines: string[] = [];
    const file = join(f.store.dir, '2026-11.jsonl');
    for (let i = 0; i < 6000; i++)
      f.store.append({ ...first, id: `bulk-${i}`, subject: i % 3 ? 'npm test' : `ünï ${i}` });
    lines.push(...readFileSync(file, 'utf8').trim().split('\n'));
    appendFileSync(file, `${(lines[10] ?? '').replace('bulk-9', 'bulk-X')}\n${lines[20] ?? ''}\n`);
    const fast = await readReplayLog(f.store);
    const slow = await replayLogOf(f.store.read());
    expect(fast.calls).toBe(6001);
    expect(fast.unsealed).toBe(2);
    expect(fast.inputs.map((i) => i.records)).toEqual(slow.inputs.map((i) => i.records));
    const result = await backtestStore(await f.engine(''), f.store);
    expect(result).toMatchObject({ checked: 6001, skipped: { unsealed: 2 } });
    expect(result.changed).toHaveLength(6001);
  });

  it('leaves out a prompt the file baseline made: it compares what the policy said', async () => {
    const f = await fixture();
    f.command('npm test', {
      policy: { decision: 'prompt', reason: 'package.json changed', rule: CHANGED_FILES },
    });
    const same = await backtest(await f.engine(OLD), await readReplayLog(f.store));
    expect(same.changed).toEqual([]);
    const stricter = await backtest(await f.engine(''), await readReplayLog(f.store));
    expect(stricter.changed.map(transitionOf)).toEqual(['allow->prompt']);
  });

  it('stops when its signal is aborted', async () => {
    const f = await fixture();
    f.command('ls');
    const controller = new AbortController();
    controller.abort(new Error('superseded'));
    await expect(
      backtest(await f.engine(OLD), await readReplayLog(f.store), { signal: controller.signal }),
    ).rejects.toThrow('superseded');
  });
});
