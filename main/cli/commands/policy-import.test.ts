import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { trustForTests } from '../../workspace/trust-testing';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const ENTRY = join(process.cwd(), 'main', 'cli', 'index.ts');

function setup(toml: string | null) {
  const root = mkdtempSync(join(tmpdir(), 'policy-import-cli-'));
  const home = join(root, 'home');
  const ws = join(root, 'ws');
  mkdirSync(ws);
  mkdirSync(join(home, '.codex', 'rules'), { recursive: true });
  if (toml !== null) writeFileSync(join(ws, 'vtcode.toml'), toml);
  const env = { ...process.env, VTCODE_DESKTOP_HOME: join(root, 'app'), HOME: home };
  trustForTests(env, ws);
  return { root, home, ws, env };
}

function run(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(TSX, [ENTRY, 'policy', 'import', ...args], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lines = (out: string) =>
  out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const CLAUDE = JSON.stringify({
  permissions: {
    allow: ['Bash(npm run test:*)', 'Bash', 'Read(//etc/**)'],
    deny: ['Read(.env)'],
  },
});

describe('policy import CLI', () => {
  it('prints one JSON line per source rule and writes nothing without --write', () => {
    const s = setup('[permissions]\ndeny = ["read(.env)"]\n');
    const file = join(s.root, 'settings.json');
    writeFileSync(file, CLAUDE);
    const r = run(['--from', 'claude', file, '--workspace', s.ws], s.env);
    expect(r.code).toBe(0);
    const rows = lines(r.stdout);
    expect(rows.map((x) => [x.source, x.status])).toEqual([
      ['Bash(npm run test:*)', 'new'],
      ['Bash', 'new'],
      ['Read(//etc/**)', 'not-mapped'],
      ['Read(.env)', 'duplicate'],
    ]);
    expect(rows[1]?.warning).toMatch(/runs any command/);
    expect(rows[2]?.why).toMatch(/outside the workspace/);
    expect(readFileSync(join(s.ws, 'vtcode.toml'), 'utf8')).toBe(
      '[permissions]\ndeny = ["read(.env)"]\n',
    );
  });

  it('writes the new rules with --write, leaving flagged ones out unless asked', () => {
    const s = setup(null);
    const file = join(s.root, 'settings.json');
    writeFileSync(file, CLAUDE);
    const r = run(['--from', 'claude', file, '--workspace', s.ws, '--write'], s.env);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out.at(-1)).toEqual({
      written: join(s.ws, 'vtcode.toml'),
      added: 3,
      rows: 2,
      skipped: ['Bash'],
    });
    expect(parse(readFileSync(join(s.ws, 'vtcode.toml'), 'utf8'))).toEqual({
      permissions: {
        allow: ['exec_command(npm run test)', 'exec_command(npm run test *)'],
        deny: ['read(.env)'],
      },
    });
    const again = run(
      ['--from', 'claude', file, '--workspace', s.ws, '--write', '--include-flagged'],
      s.env,
    );
    expect(lines(again.stdout).at(-1)).toMatchObject({ added: 1, rows: 1, skipped: [] });
  });

  it('imports Codex rules into the user file, or finds them itself', () => {
    const s = setup(null);
    writeFileSync(
      join(s.home, '.codex', 'rules', 'default.rules'),
      '# mine\nprefix_rule(pattern = ["gh", "pr", "view"], decision = "prompt")\nhost_executable(name = "git")\n',
    );
    const r = run(['--from', 'codex', '--workspace', s.ws, '--write', '--target', 'user'], s.env);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out.slice(0, 2).map((x) => [x.where, x.status])).toEqual([
      ['line 2', 'new'],
      ['line 3', 'not-mapped'],
    ]);
    const userFile = join(s.root, 'app', 'config', 'vtcode.toml');
    expect(out.at(-1)).toMatchObject({ written: userFile, added: 2 });
    expect(parse(readFileSync(userFile, 'utf8'))).toEqual({
      permissions: { ask: ['exec_command(gh pr view)', 'exec_command(gh pr view *)'] },
    });
  });

  it.each([
    [['--workspace', 'WS'], /--from must be claude or codex/],
    [['--from', 'cursor', '--workspace', 'WS'], /--from must be claude or codex/],
    [['--from', 'claude', '--workspace', 'WS', '--target', 'system'], /--target must be/],
    [['--from', 'claude', 'a', 'b', '--workspace', 'WS'], /at most one FILE/],
    [['--from', 'claude'], /--workspace DIR is required/],
    [['--from', 'claude', '--workspace', 'WS', '--bogus'], /bogus/],
  ])('refuses %j', (args, message) => {
    const s = setup(null);
    const r = run(
      args.map((a) => (a === 'WS' ? s.ws : a)),
      s.env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('fails on a file it cannot read, saying why', () => {
    const s = setup(null);
    const big = join(s.root, 'big.json');
    writeFileSync(big, 'x'.repeat(1024 * 1024 + 1));
    const r = run(['--from', 'claude', big, '--workspace', s.ws], s.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/larger than 1 MB/);
    const missing = run(
      ['--from', 'claude', join(s.root, 'nope.json'), '--workspace', s.ws],
      s.env,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/missing/);
  });
});
