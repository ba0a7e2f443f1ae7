import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordedCall } from '../../activity/activity-fixtures';
import { activityStoreFor } from '../../activity/what-if';
import { SessionSealer } from '../../guard/session-seal';
import { resolveAppPaths } from '../../platform/paths';
import { engineFromToml, tempDir } from '../../policy/test-helpers';
import { trustForTests } from '../../workspace/trust-testing';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const ENTRY = join(process.cwd(), 'main', 'cli', 'index.ts');
const OLD = '[commands]\nallow_list = ["git status", "npm test"]\ndeny_glob = ["rm *"]\n';
const AUDIT = {
  enabled: true,
  directory: null,
  logAllowed: true,
  logDenied: true,
  logPrompts: true,
};

/** A workspace whose activity log holds real decisions of the OLD policy, sealed by this install. */
async function workspace(commands: string[]) {
  const root = tempDir('policy-backtest-');
  const ws = join(root, 'ws');
  mkdirSync(ws);
  writeFileSync(join(ws, 'vtcode.toml'), OLD);
  const env = { ...process.env, VTCODE_DESKTOP_HOME: join(root, 'app'), HOME: join(root, 'home') };
  trustForTests(env, ws);
  const paths = resolveAppPaths(env);
  const store = activityStoreFor(ws, AUDIT, paths, SessionSealer.forDataDir(paths.dataDir));
  const engine = await engineFromToml(OLD, ws, paths.home);
  commands.forEach((command, i) =>
    store.append(
      recordedCall(engine, {
        id: `r${i}`,
        at: `2026-11-0${i + 1}T10:00:00.000Z`,
        tool: 'exec_command',
        subjects: [{ kind: 'command', command }],
      }),
    ),
  );
  const config = (toml: string) => {
    const file = join(root, 'new.toml');
    writeFileSync(file, toml);
    return file;
  };
  return { ws, env, store, config };
}

function run(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(TSX, [ENTRY, 'policy', 'backtest', ...args], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const lines = r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: r.status, lines, stderr: r.stderr };
}

describe('policy backtest CLI', () => {
  it('prints each decision the new policy changes, newest first, then a summary', async () => {
    const w = await workspace(['git status', 'npm test', 'cargo build', 'rm -rf x', 'npm test']);
    appendFileSync(join(w.store.dir, '2026-11.jsonl'), '{"v":1,"id":"shipped"}\n');
    const file = w.config('[commands]\nallow_list = ["git status", "cargo build"]\n');
    const r = run(['--workspace', w.ws, '--config', file], w.env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = r.lines.pop();
    expect(r.lines.map((l) => [l.id, l.subject, l.before, l.after])).toEqual([
      ['r4', 'npm test', 'allow', 'prompt'],
      ['r3', 'rm -rf x', 'deny', 'prompt'],
      ['r2', 'cargo build', 'prompt', 'allow'],
      ['r1', 'npm test', 'allow', 'prompt'],
    ]);
    expect(r.lines[2]).toMatchObject({
      tool: 'exec_command',
      callId: 'call-r2',
      rule: { kind: 'allow_list', entry: 'cargo build', source: { layer: 'explicit', file } },
    });
    expect(summary).toMatchObject({
      checked: 5,
      changed: 4,
      transitions: { 'allow->prompt': 2, 'deny->prompt': 1, 'prompt->allow': 1 },
      skipped: { unsealed: 1, unreplayable: 0, unreadable: 0 },
      log: w.store.dir,
    });
    expect(typeof summary?.ms).toBe('number');
  });

  it('prints only the summary when nothing changes, and for a workspace without a log', async () => {
    const w = await workspace(['git status', 'rm -rf x']);
    const same = run(['--workspace', w.ws, '--config', w.config(OLD)], w.env);
    expect(same.lines).toEqual([expect.objectContaining({ checked: 2, changed: 0 })]);
    const empty = await workspace([]);
    const none = run(['--workspace', empty.ws, '--config', empty.config('')], empty.env);
    expect(none.code).toBe(0);
    expect(none.lines).toEqual([expect.objectContaining({ checked: 0, changed: 0 })]);
  });

  it('reports a malformed new policy with file and line, exit 1', async () => {
    const w = await workspace(['ls']);
    const file = w.config('[commands]\nallow_list = ["ls"\n');
    const r = run(['--workspace', w.ws, '--config', file], w.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(file);
  });

  it.each([
    [['--workspace', 'WS'], /--config NEW.toml is required/],
    [['--config', 'NEW'], /--workspace DIR is required/],
    [['--workspace', 'WS', '--config', 'NEW', 'extra'], /unexpected argument/],
    [['--workspace', 'WS', '--config', 'NEW', '--batch'], /Unknown option/],
  ])('rejects bad usage with exit 2: %j', async (args, message) => {
    const w = await workspace([]);
    const file = w.config('');
    const r = run(
      args.map((a) => (a === 'WS' ? w.ws : a === 'NEW' ? file : a)),
      w.env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
