import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Decision, PathOp } from '../../shared/domain/policy';
import type { PolicyEngine } from './engine';
import { isInside } from './path-policy';
import { engineFromToml, tempDir } from './test-helpers';

let engine: PolicyEngine;
let root: string;
let ws: string;
let home: string;

beforeAll(async () => {
  root = tempDir('policy-paths-');
  ws = join(root, 'ws');
  home = join(root, 'home');
  mkdirSync(join(ws, 'src', 'deep'), { recursive: true });
  mkdirSync(join(root, 'ws-evil'));
  mkdirSync(join(root, 'outside'));
  mkdirSync(join(home, '.ssh'), { recursive: true });
  mkdirSync(join(home, '.config', 'vtcode-desktop'), { recursive: true });
  writeFileSync(join(ws, 'src', 'a.ts'), '');
  writeFileSync(join(root, 'outside', 'secret.txt'), '');
  writeFileSync(join(home, '.ssh', 'id_rsa'), '');
  symlinkSync(join(root, 'outside'), join(ws, 'link-out'));
  symlinkSync(join(root, 'outside', 'secret.txt'), join(ws, 'file-link-out'));
  symlinkSync(join(ws, 'src'), join(ws, 'link-in'));
  symlinkSync(join(root, 'outside', 'not-yet.txt'), join(ws, 'dangling-out'));
  symlinkSync(join(ws, 'src', 'new.txt'), join(ws, 'dangling-in'));
  symlinkSync(join(root, 'outside', 'nodir'), join(ws, 'dangling-dir'));
  symlinkSync(join(home, '.ssh'), join(ws, 'keys'));
  symlinkSync('../outside', join(ws, 'relative-out'));
  symlinkSync(join(ws, 'loop-b'), join(ws, 'loop-a'));
  symlinkSync(join(ws, 'loop-a'), join(ws, 'loop-b'));
  symlinkSync(join(root, 'outside'), join(ws, 'src', 'deep', 'up'));
  const toml = `[tools.policies]\nread_file = "allow"\nwrite_file = "allow"\n[sandbox.sensitive_paths]\nadditional = ["secrets/"]\n`;
  engine = await engineFromToml(toml, ws, home, [join(home, '.config', 'vtcode-desktop')]);
});

type Case = readonly [path: () => string, op: PathOp, expected: Decision];

const CASES: readonly Case[] = [
  [() => 'src/a.ts', 'read', 'allow'],
  [() => 'src/a.ts', 'write', 'allow'],
  [() => 'src/new-file.ts', 'write', 'allow'],
  [() => 'src/not/yet/made.ts', 'write', 'allow'],
  [() => './src/../src/a.ts', 'read', 'allow'],
  [() => join(ws, 'src', 'a.ts'), 'read', 'allow'],
  [() => ws, 'read', 'allow'],
  [() => '.', 'read', 'allow'],
  [() => '../outside/secret.txt', 'read', 'deny'],
  [() => 'src/../../outside/secret.txt', 'read', 'deny'],
  [() => '..', 'read', 'deny'],
  [() => join(root, 'ws-evil', 'x'), 'write', 'deny'],
  [() => '../ws-evil/x', 'write', 'deny'],
  [() => `${ws}-evil`, 'read', 'deny'],
  [() => '/etc/passwd', 'read', 'deny'],
  [() => '/', 'read', 'deny'],
  [() => 'link-out/secret.txt', 'read', 'deny'],
  [() => 'link-out/new.txt', 'write', 'deny'],
  [() => 'file-link-out', 'read', 'deny'],
  [() => 'link-in/a.ts', 'read', 'allow'],
  [() => 'dangling-out', 'write', 'deny'],
  [() => 'dangling-in', 'write', 'allow'],
  [() => 'dangling-dir/x.txt', 'write', 'deny'],
  [() => 'relative-out/secret.txt', 'read', 'deny'],
  [() => 'keys/id_rsa', 'read', 'deny'],
  [() => 'link-in/../link-out/secret.txt', 'read', 'deny'],
  [() => 'src/deep/up/../secret.txt', 'read', 'deny'],
  [() => 'src/deep/up/secret.txt', 'read', 'deny'],
  [() => 'loop-a/x', 'read', 'deny'],
  [() => '~/.ssh/id_rsa', 'read', 'deny'],
  [() => join(home, '.ssh', 'id_rsa'), 'read', 'deny'],
  [() => join(home, '.config', 'vtcode-desktop', 'vtcode.toml'), 'write', 'deny'],
  [() => 'secrets/token', 'read', 'deny'],
  [() => 'vtcode.toml', 'read', 'allow'],
  [() => 'vtcode.toml', 'write', 'deny'],
  [() => '.vtcode/tool-policy.json', 'write', 'deny'],
  [() => 'src/a.ts\0.png', 'read', 'deny'],
  [() => '', 'read', 'deny'],
  [() => 'x'.repeat(5000), 'read', 'deny'],
];

describe('path confinement', () => {
  it.each(CASES.map(([p, op, expected], i) => [i, p, op, expected] as const))(
    'case %i',
    (_i, path, op, expected) => {
      const d = engine.decidePath(path(), op);
      expect(d.decision, `${path()} (${op}): ${d.reason}`).toBe(expected);
      expect(d.reason).not.toBe('');
    },
  );

  it('explains symlink escapes with the resolved path', () => {
    const d = engine.decidePath('link-out/secret.txt', 'read');
    expect(d.resolved).toBe(join(root, 'outside', 'secret.txt'));
    expect(d.reason).toContain('symlink');
  });

  it('names the sensitive entry', () => {
    const d = engine.decidePath('keys/id_rsa', 'read');
    expect(d.rule).toMatchObject({ kind: 'sensitive_path', entry: '~/.ssh' });
  });

  it('treats sibling-prefix folders as outside', () => {
    expect(isInside('/ws-evil', '/ws')).toBe(false);
    expect(isInside('/ws/x', '/ws')).toBe(true);
    expect(isInside('/ws', '/ws')).toBe(true);
    expect(isInside('/anything', '/')).toBe(true);
  });

  it('applies the write tool policy on top of confinement', async () => {
    const strict = await engineFromToml('[tools.policies]\nwrite_file = "prompt"\n', ws, home);
    expect(strict.decidePath('src/a.ts', 'write').decision).toBe('prompt');
    expect(strict.decidePath('src/a.ts', 'read').decision).toBe('allow');
    expect(strict.decidePath('../x', 'write').decision).toBe('deny');
  });
});

describe('tool decisions', () => {
  it('maps older tool names onto the app tools', async () => {
    const e = await engineFromToml(
      '[tools]\ndefault_policy = "deny"\n[tools.policies]\nrun_pty_cmd = "prompt"\ngrep_file = "allow"\nweb_fetch = "deny"\n',
      ws,
      home,
    );
    expect(e.decideTool('exec_command')).toMatchObject({
      decision: 'prompt',
      canonicalTool: 'exec_command',
    });
    expect(e.decideTool('run_pty_cmd').decision).toBe('prompt');
    expect(e.decideTool('code_search').decision).toBe('allow');
    expect(e.decideTool('web_fetch').decision).toBe('deny');
    expect(e.decideTool('mcp__github__create_issue')).toMatchObject({
      decision: 'deny',
      rule: { kind: 'default_policy' },
    });
    expect(e.decideTool('apply_patch').reason).toContain('default_policy');
  });

  it('lets the shell tool policy deny every command', async () => {
    const e = await engineFromToml('[tools.policies]\nexec_command = "deny"\n', ws, home);
    expect(e.decideCommand('ls').decision).toBe('deny');
  });

  it('allows unmatched commands only when human_in_the_loop is off and the shell tool is allowed', async () => {
    const e = await engineFromToml(
      '[security]\nhuman_in_the_loop = false\n[tools.policies]\nexec_command = "allow"\n',
      ws,
      home,
    );
    expect(e.decideCommand('make build').decision).toBe('allow');
    expect(e.decideCommand('eval ls').decision).toBe('prompt');
  });
});
