import { describe, expect, it } from 'vitest';
import { interruptTargets, parseStat, runProcesses, type ProcessInfo } from './process-tree';

const p = (pid: number, ppid: number, comm: string, sid = 1, pgid = sid): ProcessInfo => ({
  pid,
  ppid,
  pgid,
  sid,
  comm,
});

describe('parseStat', () => {
  it('reads a name holding spaces and parentheses', () => {
    expect(parseStat('42 (a) b (c)) S 7 42 40 0 -1')).toEqual({
      pid: 42,
      ppid: 7,
      pgid: 42,
      sid: 40,
      comm: 'a) b (c)',
    });
  });

  it.each(['', 'garbage', '1 (x'])('rejects %j', (text) => {
    expect(parseStat(text)).toBeNull();
  });
});

describe('runProcesses', () => {
  it('finds descendants and re-parented members of the session, nothing else', () => {
    const all = [
      p(1, 0, 'init', 1),
      p(100, 1, 'bwrap', 100),
      p(101, 100, 'bwrap', 101),
      p(102, 101, 'bash', 101),
      p(103, 1, 'sleep', 100), // background job whose parent exited
      p(200, 1, 'other', 200),
    ];
    expect(
      runProcesses(100, all)
        .map((x) => x.pid)
        .sort(),
    ).toEqual([100, 101, 102, 103]);
  });
});

describe('interruptTargets', () => {
  it('skips the sandbox machinery and the shells holding it up', () => {
    const all = [
      p(10, 1, 'bwrap'),
      p(11, 10, 'bwrap'),
      p(12, 11, 'bash'), // wrapper shell: parent of socat and apply-seccomp
      p(13, 12, 'socat'),
      p(14, 12, 'apply-seccomp'),
      p(15, 14, 'apply-seccomp'),
      p(16, 15, 'bash'),
      p(17, 16, 'sleep'),
    ];
    expect(interruptTargets(all).map((x) => x.pid)).toEqual([16, 17]);
  });

  it('targets everything of an unsandboxed run', () => {
    const all = [p(10, 1, 'bash'), p(11, 10, 'sleep')];
    expect(interruptTargets(all).map((x) => x.pid)).toEqual([10, 11]);
  });
});
