/*
 * Backtest over 100,000 recorded decisions: a workspace's activity log holding 100,000 sealed
 * `call` records (a realistic mix: a few thousand distinct commands, paths and tools, the common
 * ones asked often), replayed under an edited policy. Per run, min / median / max of RUNS:
 * - cold: read and check every line of the log (seals, in a worker), deciding each distinct call
 *   under a fresh engine as it is first read, and compare every record (`policy backtest`);
 * - read: reading and checking the log alone;
 * - warm: the log already read (the what-if panel's cache), a fresh engine (each edit is one).
 * Target: cold under one second. Prints figures; never fails.
 * Run: npx tsx bench/backtest-bench.ts
 */
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActivityRecord, ActivitySubject } from '../shared/domain/activity';
import { recordedCall } from '../main/activity/activity-fixtures';
import { ActivityStore, activityDir } from '../main/activity/activity-store';
import { backtest, backtestStore } from '../main/activity/backtest';
import { readReplayLog } from '../main/activity/replay-log';
import { SessionSealer } from '../main/guard/session-seal';
import { engineFromToml, tempDir } from '../main/policy/test-helpers';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);

const OLD = `
[commands]
allow_list = ["git status", "git diff", "git log", "ls", "cat", "echo", "grep", "npm test", "npm run build",
  "cargo check", "cargo test", "pwd", "wc", "head", "tail", "rg", "make", "tsc", "node"]
deny_glob = ["rm -rf *", "curl * | *"]
allow_glob = ["pytest *", "go test *"]
[tools.policies]
read_file = "allow"
list_files = "allow"
code_search = "allow"
`;
// The edit under test: git log and make ask now, npm install is allowed, a few more are denied.
const NEW = `
[commands]
allow_list = ["git status", "git diff", "ls", "cat", "echo", "grep", "npm test", "npm run build",
  "cargo check", "cargo test", "pwd", "wc", "head", "tail", "rg", "tsc", "node", "npm install"]
deny_glob = ["rm -rf *", "curl * | *", "git push*", "node scripts/*"]
allow_glob = ["pytest *", "go test *"]
[tools.policies]
read_file = "allow"
list_files = "allow"
code_search = "allow"
write_file = "deny"
`;

const TEMPLATES = [
  (i: number) => `git log -n ${i} --oneline`,
  (i: number) => `git diff HEAD~${i} -- src/mod${i}.ts`,
  (i: number) => `git status --short src/mod${i}`,
  (i: number) => `cat src/mod${i}.ts | grep export`,
  (i: number) => `rg -n "fn${i}" src | head -${i}`,
  (i: number) => `npm test -- --grep case${i}`,
  (i: number) => `npm install pkg${i}`,
  (i: number) => `make target${i} && echo done`,
  (i: number) => `node scripts/gen${i}.js`,
  (i: number) => `pytest tests/test_${i}.py -k case`,
  (i: number) => `cargo test module${i}`,
  (i: number) => `git push origin feature${i}`,
  (i: number) => `rm -rf build${i}`,
  (i: number) => `ls -la src/dir${i}`,
  (i: number) => `echo "$(wc -l < src/mod${i}.ts)"`,
];

function distinctCalls(): { tool: string; subjects: ActivitySubject[] }[] {
  const calls: { tool: string; subjects: ActivitySubject[] }[] = [];
  for (let i = 0; i < 3000; i++) {
    const command = TEMPLATES[i % TEMPLATES.length]!(Math.floor(i / TEMPLATES.length));
    calls.push({ tool: 'exec_command', subjects: [{ kind: 'command', command }] });
  }
  const pathTools = [
    ['read_file', 'read'],
    ['write_file', 'write'],
    ['edit_file', 'write'],
    ['list_files', 'read'],
  ] as const;
  for (let i = 0; i < 1500; i++) {
    const [tool, op] = pathTools[i % pathTools.length]!;
    const path = i % 50 === 0 ? `../outside${i}.txt` : `src/dir${i % 40}/mod${i}.ts`;
    calls.push({ tool, subjects: [{ kind: 'path', path, op }] });
  }
  for (let i = 0; i < 200; i++)
    calls.push({
      tool: 'code_search',
      subjects: [{ kind: 'path', path: `src/dir${i}`, op: 'read' }],
    });
  return calls;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]): string =>
  `min ${Math.min(...xs).toFixed(0)} / median ${median(xs).toFixed(0)} / max ${Math.max(...xs).toFixed(0)} ms`;

async function main(): Promise<void> {
  const ws = tempDir('backtest-bench-');
  const home = tempDir('backtest-bench-home-');
  for (let d = 0; d < 40; d++) mkdirSync(join(ws, 'src', `dir${d}`), { recursive: true });
  writeFileSync(join(ws, 'src', 'dir1', 'mod1.ts'), 'export {};\n');
  const old = await engineFromToml(OLD, ws, home);
  const audit = {
    enabled: true,
    directory: null,
    logAllowed: true,
    logDenied: true,
    logPrompts: true,
  };
  const store = new ActivityStore(
    ws,
    activityDir(ws, audit, home),
    SessionSealer.withKey(Buffer.alloc(32, 5)),
    (t) => t,
  );

  // Each distinct call decided once by the old policy; the log repeats them, common ones often.
  const calls = distinctCalls();
  const decided = calls.map((c, i) =>
    recordedCall(old, { id: `d${i}`, at: '2026-01-01T00:00:00.000Z', ...c }),
  );
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  let bytes = 0;
  for (let i = 0; i < RECORDS; i++) {
    // Skewed: a quarter of the calls ask the first 100 questions.
    const pick = i % 4 === 0 ? i % 100 : (i * 7919) % decided.length;
    const record: ActivityRecord = {
      ...decided[pick]!,
      id: `r${i}`,
      at: new Date(start + i * 60_000).toISOString(),
      sessionId: `s${Math.floor(i / 200)}`,
      callId: `c${i}`,
    };
    store.append(record);
    bytes += JSON.stringify(record).length + 80;
  }
  // A few lines a repository shipped: read as unsealed, never replayed.
  appendFileSync(
    join(store.dir, '2026-01.jsonl'),
    `${JSON.stringify({ ...decided[0], id: 'x' })}\n`,
  );
  console.log(
    `${RECORDS.toLocaleString('en-US')} sealed call records (${calls.length.toLocaleString('en-US')} distinct calls), ${(bytes / 1e6).toFixed(0)} MB of log; ${RUNS} runs`,
  );

  const cold: number[] = [];
  const read: number[] = [];
  const warm: number[] = [];
  // A fresh engine per run (each edit is one); `read` is reading and checking alone.
  let summary = '';
  const log = await readReplayLog(store);
  for (let run = 0; run < RUNS; run++) {
    // Replay-only engines, as `policy backtest` and the what-if build: file lookups remembered.
    const engine = await engineFromToml(NEW, ws, home, [], {}, { replayOnly: true });
    const t0 = performance.now();
    await readReplayLog(store);
    read.push(performance.now() - t0);
    const t1 = performance.now();
    const result = await backtestStore(engine, store);
    cold.push(performance.now() - t1);
    const warmEngine = await engineFromToml(NEW, ws, home, [], {}, { replayOnly: true });
    const w0 = performance.now();
    await backtest(warmEngine, log);
    warm.push(performance.now() - w0);
    summary = `checked ${result.checked.toLocaleString('en-US')}, changed ${result.changed.length.toLocaleString('en-US')}, skipped ${JSON.stringify(result.skipped)}`;
  }
  const rate = (ms: number): string =>
    `${Math.round(RECORDS / (ms / 1000)).toLocaleString('en-US')} records/s`;
  console.log(summary);
  console.log(`${'read + check the log alone'.padEnd(40)} ${fmt(read)}`);
  console.log(
    `${'cold: read + replay (policy backtest)'.padEnd(40)} ${fmt(cold)}  ${rate(median(cold))}`,
  );
  console.log(
    `${'warm: replay, log cached (what-if)'.padEnd(40)} ${fmt(warm)}  ${rate(median(warm))}`,
  );
  console.log(`target: cold under 1000 ms: ${median(cold) < 1000 ? 'met' : 'NOT met'} (median)`);
  // The log is over 100 MB: it does not stay behind.
  rmSync(ws, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
}

void main();
