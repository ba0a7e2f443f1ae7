import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EffectiveEntry } from '../../../shared/domain/policy-explain';
import type { LintFinding } from '../../../shared/domain/policy-lint';
import { ActivityStore, activityDir } from '../../activity/activity-store';
import { defaultConfig } from '../../config/config-loader';
import { SessionSealer } from '../../guard/session-seal';
import { resolveAppPaths } from '../../platform/paths';
import { trustForTests } from '../../workspace/trust-testing';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const ENTRY = join(process.cwd(), 'main', 'cli', 'index.ts');

function workspace(toml: string | null): { ws: string; env: NodeJS.ProcessEnv } {
  const root = mkdtempSync(join(tmpdir(), 'policy-lint-cli-'));
  const ws = join(root, 'ws');
  mkdirSync(ws);
  if (toml !== null) writeFileSync(join(ws, 'vtcode.toml'), toml);
  const env = {
    ...process.env,
    VTCODE_DESKTOP_HOME: join(root, 'app'),
    HOME: join(root, 'home'),
    PATH: '/usr/bin:/bin',
  };
  trustForTests(env, ws);
  return { ws, env };
}

function run(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(TSX, [ENTRY, 'policy', ...args], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const lines = r.stdout.trim() === '' ? [] : r.stdout.trim().split('\n');
  return { code: r.status, lines, stderr: r.stderr };
}

describe('policy lint CLI', () => {
  it('prints one JSON line per finding and exits 1 on an error', () => {
    const { ws, env } = workspace(
      '[commands]\nallow_glob = ["*", "ls*"]\n[tools]\ndefualt_policy = "allow"\n',
    );
    const r = run(['lint', '--workspace', ws], env);
    expect(r.code).toBe(1);
    const findings = r.lines.map((l) => JSON.parse(l) as LintFinding);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      kind: 'runs-anything',
      rule: { list: 'allow_glob', entry: '*', file: join(ws, 'vtcode.toml'), layer: 'workspace' },
      fix: { label: 'remove allow_glob *', target: 'workspace' },
    });
    expect(findings.map((f) => f.kind)).toEqual(
      expect.arrayContaining(['runs-anything', 'unknown-key']),
    );
    expect(findings.find((f) => f.kind === 'unknown-key')?.message).toContain('default_policy');
  });

  it('exits 0 with warnings only, and prints nothing for a clean policy', () => {
    const loose = workspace('[commands]\nallow_glob = ["ls*"]\n');
    const r = run(['lint', '--workspace', loose.ws], loose.env);
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => (JSON.parse(l) as LintFinding).kind)).toEqual(['matches-more']);
    const clean = workspace('[commands]\nallow_list = ["git status"]\ndeny_glob = ["rm *"]\n');
    expect(run(['lint', '--workspace', clean.ws], clean.env)).toMatchObject({ code: 0, lines: [] });
  });

  it('says which allow rules the sealed activity log never saw used', () => {
    const { ws, env } = workspace('[commands]\nallow_list = ["git status", "ls"]\n');
    const paths = resolveAppPaths(env);
    const store = new ActivityStore(
      ws,
      activityDir(ws, defaultConfig().audit, paths.home),
      SessionSealer.forDataDir(paths.dataDir),
      (t) => t,
    );
    const ref = {
      kind: 'allow_list' as const,
      entry: 'git status',
      section: 'commands',
      source: { layer: 'workspace' as const, file: join(ws, 'vtcode.toml') },
    };
    store.append({
      v: 1,
      id: 'r-1',
      at: '2026-11-30T10:00:00.000Z',
      sessionId: 's-1',
      turnId: 't-1',
      callId: 'c-1',
      kind: 'call',
      tool: 'exec_command',
      subject: 'git status',
      subjects: [{ kind: 'command', command: 'git status' }],
      policy: { decision: 'allow', reason: 'allowed', rule: ref },
      decision: 'allow',
      by: { kind: 'rule', rule: ref },
      reason: 'allowed',
      parts: [],
      paths: [],
    });
    const r = run(['lint', '--workspace', ws], env);
    expect(r.code).toBe(0);
    const findings = r.lines.map((l) => JSON.parse(l) as LintFinding);
    expect(findings.map((f) => [f.kind, f.rule?.entry])).toEqual([['never-matched', 'ls']]);
  });

  it('a malformed config: its errors on stderr, exit 1; bad usage: exit 2', () => {
    const broken = workspace('[commands]\nallow_list = ["ls"\n');
    const r = run(['lint', '--workspace', broken.ws], broken.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('vtcode.toml');
    expect(run(['lint'], broken.env).code).toBe(2);
    expect(run(['lint', '--workspace', broken.ws, 'extra'], broken.env).code).toBe(2);
  });
});

describe('policy explain CLI', () => {
  it('prints one JSON line per tool and rule, under the mode asked for', () => {
    const { ws, env } = workspace(
      '[tools.policies]\napply_patch = "allow"\n[commands]\ndeny_glob = ["rm *"]\n',
    );
    const r = run(['explain', '--workspace', ws, '--mode', 'plan'], env);
    expect(r.code).toBe(0);
    const entries = r.lines.map((l) => JSON.parse(l) as EffectiveEntry);
    const byId = new Map(entries.map((e) => [e.id, e]));
    expect(byId.get('tool:apply_patch')).toMatchObject({
      value: 'allow',
      source: { layer: 'workspace', key: 'tools.policies.apply_patch', line: 2 },
      changes: [{ by: 'mode', value: 'deny' }],
    });
    expect(byId.get('setting:mode')).toMatchObject({ value: 'plan', source: { layer: 'mode' } });
    expect(byId.get('list:commands.deny_glob')?.entries).toEqual([
      { entry: 'rm *', source: expect.objectContaining({ layer: 'workspace' }) as unknown },
    ]);
  });

  it('rejects an unknown mode with exit 2', () => {
    const { ws, env } = workspace(null);
    const r = run(['explain', '--workspace', ws, '--mode', 'yolo'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--mode');
  });
});
