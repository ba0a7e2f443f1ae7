import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { trustForTests } from '../../workspace/trust-testing';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const ENTRY = join(process.cwd(), 'main', 'cli', 'index.ts');

function workspace(toml: string | null): { ws: string; env: NodeJS.ProcessEnv } {
  const root = mkdtempSync(join(tmpdir(), 'policy-cli-'));
  const ws = join(root, 'ws');
  mkdirSync(ws);
  if (toml !== null) writeFileSync(join(ws, 'vtcode.toml'), toml);
  const env = { ...process.env, VTCODE_DESKTOP_HOME: join(root, 'app'), HOME: join(root, 'home') };
  trustForTests(env, ws);
  return { ws, env };
}

function run(args: string[], env: NodeJS.ProcessEnv, input?: string) {
  const r = spawnSync(TSX, [ENTRY, 'policy', ...args], {
    env,
    input: input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const TOML = '[commands]\nallow_list = ["git status", "ls"]\ndeny_glob = ["rm *"]\n';

describe('policy check CLI', () => {
  it('prints one JSON line for a single command', () => {
    const { ws, env } = workspace(TOML);
    const r = run(['check', '--workspace', ws, '--', 'git status && rm -rf x'], env);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0] ?? '') as {
      decision: string;
      parts: { decision: string }[];
      reason: string;
    };
    expect(out.decision).toBe('deny');
    expect(out.parts.map((p) => p.decision)).toEqual(['allow', 'deny']);
    expect(out.reason).toContain('deny_glob `rm *`');
  });

  it('decides a batch in order and survives bad lines', () => {
    const { ws, env } = workspace(TOML);
    const input = [
      '{"command":"ls"}',
      'not json',
      '{"command":"npm install"}',
      '[1,2]',
      '{"path":"src/x.ts","op":"write"}',
      '{"path":"../../etc/passwd","op":"read"}',
      '{"path":"a","op":"delete"}',
      '{"command":42}',
      '',
      '{"command":"rm x"}',
    ].join('\n');
    const r = run(['check', '--workspace', ws, '--batch'], env, `${input}\n`);
    expect(r.code).toBe(0);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { decision?: string; error?: string });
    expect(out.map((o) => o.decision ?? 'error')).toEqual([
      'allow',
      'error',
      'prompt',
      'error',
      'prompt',
      'deny',
      'error',
      'error',
      'error',
      'deny',
    ]);
    expect(out[1]?.error).toContain('not JSON');
  });

  it('uses --config instead of the workspace file', () => {
    const { ws, env } = workspace(TOML);
    const other = join(ws, 'other.toml');
    writeFileSync(other, '[commands]\nallow_list = ["rm"]\n');
    const r = run(['check', '--workspace', ws, '--config', other, '--', 'rm x'], env);
    expect(JSON.parse(r.stdout) as { decision: string }).toMatchObject({ decision: 'allow' });
  });

  it('reports a malformed config with file and line, exit 1', () => {
    const { ws, env } = workspace('[commands]\nallow_list = ["ls"\n');
    const r = run(['check', '--workspace', ws, '--', 'ls'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(ws, 'vtcode.toml'));
    expect(r.stderr).toMatch(/line \d/);
  });

  it('rejects bad usage with exit 2', () => {
    const { ws, env } = workspace(null);
    expect(run(['check', '--', 'ls'], env).code).toBe(2);
    expect(run(['check', '--workspace', join(ws, 'missing'), '--', 'ls'], env).code).toBe(2);
    expect(run(['check', '--workspace', ws], env).code).toBe(2);
    expect(run(['frobnicate'], env).code).toBe(2);
  });
});
