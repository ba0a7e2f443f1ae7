import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ActivitySubject } from '../../shared/domain/activity';
import { recordedCall } from '../activity/activity-fixtures';
import { ActivityStore, activityDir } from '../activity/activity-store';
import { backtest } from '../activity/backtest';
import { readReplayLog } from '../activity/replay-log';
import { guardedReadText } from '../guard/safe-fs';
import { SessionSealer } from '../guard/session-seal';
import { engineFromToml, tempDir } from './test-helpers';

/*
 * A replay-only engine remembers file lookups (backtest, what-if); every other engine looks at
 * the disk when it decides, so a symlink planted between two decisions is seen by the second.
 */

const POLICY = `
[commands]
allow_list = ["cat", "ls", "echo", "git status"]
deny_glob = ["rm -rf *"]
[tools.policies]
read_file = "allow"
write_file = "allow"
edit_file = "allow"
`;

function workspace() {
  const root = tempDir('replay-only-');
  const ws = join(root, 'ws');
  const home = join(root, 'home');
  mkdirSync(join(ws, 'src', 'dir'), { recursive: true });
  mkdirSync(join(ws, '.git', 'hooks'), { recursive: true });
  mkdirSync(join(root, 'outside'));
  mkdirSync(join(home, '.ssh'), { recursive: true });
  writeFileSync(join(ws, 'src', 'dir', 'a.ts'), 'export {};\n');
  writeFileSync(join(ws, '.env'), 'TOKEN=x\n');
  writeFileSync(join(root, 'outside', 'a.ts'), 'outside\n');
  symlinkSync(join(root, 'outside'), join(ws, 'link-out'));
  symlinkSync(join(ws, 'src'), join(ws, 'link-in'));
  symlinkSync(join(home, '.ssh'), join(ws, 'keys'));
  return { root, ws, home };
}

/** Swap the folder `src/dir` for a symlink to the same-named folder outside the workspace. */
function plantLink(root: string, ws: string): void {
  renameSync(join(ws, 'src', 'dir'), join(root, 'moved-away'));
  symlinkSync(join(root, 'outside'), join(ws, 'src', 'dir'));
}

describe('live engine: the file system is looked at on every decision', () => {
  it('denies a write through a folder that became a symlink out of the workspace', async () => {
    const { root, ws, home } = workspace();
    const engine = await engineFromToml(POLICY, ws, home);
    expect(engine.guard.replayOnly).toBe(false);
    expect(engine.decidePath('src/dir/a.ts', 'write').decision).toBe('allow');
    expect(engine.decidePath('src/dir/a.ts', 'read').decision).toBe('allow');
    plantLink(root, ws);
    const write = engine.decidePath('src/dir/a.ts', 'write');
    expect(write.decision).toBe('deny');
    expect(write.reason).toContain('outside the workspace');
    expect(engine.decidePath('src/dir/a.ts', 'read').decision).toBe('deny');
  });

  it('does not allow a command writing through the new symlink', async () => {
    const { root, ws, home } = workspace();
    const engine = await engineFromToml(POLICY, ws, home);
    expect(engine.decideCommand('echo hi > src/dir/a.ts').decision).toBe('allow');
    plantLink(root, ws);
    expect(engine.decideCommand('echo hi > src/dir/a.ts').decision).not.toBe('allow');
  });

  it('a replay-only engine keeps its first look for its lifetime (why it replays only)', async () => {
    const { root, ws, home } = workspace();
    const engine = await engineFromToml(POLICY, ws, home, [], {}, { replayOnly: true });
    expect(engine.guard.replayOnly).toBe(true);
    expect(engine.decidePath('src/dir/a.ts', 'write').decision).toBe('allow');
    plantLink(root, ws);
    expect(engine.decidePath('src/dir/a.ts', 'write').decision).toBe('allow');
    // A new engine (a new replay) sees the disk as it is now.
    const fresh = await engineFromToml(POLICY, ws, home, [], {}, { replayOnly: true });
    expect(fresh.decidePath('src/dir/a.ts', 'write').decision).toBe('deny');
  });

  it('a replay-only model is refused where a decision permits a side effect', async () => {
    const { ws, home } = workspace();
    const replay = await engineFromToml(POLICY, ws, home, [], {}, { replayOnly: true });
    await expect(guardedReadText(replay.guard, 'src/dir/a.ts', 1024)).rejects.toThrow(
      /replay-only/,
    );
    const live = await engineFromToml(POLICY, ws, home);
    await expect(guardedReadText(live.guard, 'src/dir/a.ts', 1024)).resolves.toEqual({
      text: 'export {};\n',
      truncated: false,
    });
  });
});

const QUESTIONS: readonly { tool: string; subjects: ActivitySubject[] }[] = [
  ...[
    'git status',
    'cat src/dir/a.ts',
    'cat link-out/a.ts',
    'cat link-in/dir/a.ts',
    'cat keys/id_rsa',
    'cat ~/.ssh/id_rsa',
    'cat .env',
    'ls src/*/a.ts',
    'ls link-*/*',
    'echo hi > src/dir/new.ts',
    'echo hi > link-out/a.ts',
    'echo x > .git/hooks/pre-commit',
    'echo x > .vscode/tasks.json',
    'rm -rf src',
    'cat ../outside/a.ts',
    'cat src/dir/missing/deeper.ts',
    'npm install left-pad',
  ].map((command) => ({
    tool: 'exec_command',
    subjects: [{ kind: 'command' as const, command }],
  })),
  ...(
    [
      ['read_file', 'src/dir/a.ts', 'read'],
      ['read_file', 'link-out/a.ts', 'read'],
      ['read_file', 'link-in/dir/a.ts', 'read'],
      ['read_file', 'keys/id_rsa', 'read'],
      ['read_file', '.env', 'read'],
      ['write_file', '.env', 'write'],
      ['write_file', 'src/dir/b.ts', 'write'],
      ['write_file', 'link-out/a.ts', 'write'],
      ['edit_file', '.git/hooks/post-checkout', 'write'],
      ['edit_file', '.git/config', 'write'],
      ['write_file', 'src/HEAD', 'write'],
      ['read_file', '../outside/a.ts', 'read'],
      ['read_file', '~/.ssh/config', 'read'],
      ['write_file', 'vtcode.toml', 'write'],
    ] as const
  ).map(([tool, path, op]) => ({ tool, subjects: [{ kind: 'path' as const, path, op }] })),
];

describe('replay-only engine', () => {
  it('decides every question of a fixture as the live engine does, asked twice', async () => {
    const { ws, home } = workspace();
    const live = await engineFromToml(POLICY, ws, home);
    const replay = await engineFromToml(POLICY, ws, home, [], {}, { replayOnly: true });
    for (let round = 0; round < 2; round++)
      for (const q of QUESTIONS)
        for (const s of q.subjects) {
          if (s.kind === 'command')
            expect(replay.decideCommand(s.command), s.command).toEqual(
              live.decideCommand(s.command),
            );
          else if (s.kind === 'path')
            expect(replay.decidePath(s.path, s.op), `${q.tool} ${s.path}`).toEqual(
              live.decidePath(s.path, s.op),
            );
        }
  });

  it('backtests a recorded log to the same result as the live engine', async () => {
    const { ws, home } = workspace();
    const store = new ActivityStore(
      ws,
      activityDir(
        ws,
        { enabled: true, directory: null, logAllowed: true, logDenied: true, logPrompts: true },
        home,
      ),
      SessionSealer.withKey(Buffer.alloc(32, 9)),
      (t) => t,
    );
    const old = await engineFromToml('[commands]\nallow_list = ["ls"]\n', ws, home);
    QUESTIONS.forEach((q, i) => {
      const at = new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString();
      store.append(recordedCall(old, { id: `r${i}`, at, ...q }));
    });
    const log = await readReplayLog(store);
    const live = await backtest(await engineFromToml(POLICY, ws, home), log);
    const replay = await backtest(
      await engineFromToml(POLICY, ws, home, [], {}, { replayOnly: true }),
      log,
    );
    expect(live.changed.length).toBeGreaterThan(5);
    expect(replay.checked).toBe(live.checked);
    expect(replay.changed).toEqual(live.changed);
  });
});
