import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hooksPathOf, includePathsOf } from './layout';
import { classifyWrite } from './protected';
import { holdsToken } from './sandbox-rules';
import { isEnvFileName } from './sensitive';
import { SessionSealer } from './session-seal';
import { dangerousGitConfig } from './tamper';

const parts = (p: string): string[] => p.split('/');
const classify = (p: string, folded = false) =>
  classifyWrite(parts(p), folded, [], () => true)?.level ?? 'allow';

describe('protected writes (one table for tools and sandbox)', () => {
  it.each([
    ['src/a.ts', 'allow'],
    ['.git/objects/ab/cd', 'allow'],
    ['.git/refs/heads/main', 'allow'],
    ['.git/index', 'allow'],
    ['.git/config', 'deny'],
    ['.git/hooks/pre-commit', 'deny'],
    ['.git/commondir', 'deny'],
    ['.git/worktrees/wt/gitdir', 'deny'],
    ['.git/worktrees/wt/HEAD', 'allow'],
    ['.git/modules/lib/config', 'deny'],
    ['.git/modules/lib/modules/inner/hooks/x', 'deny'],
    ['.git/modules/lib/objects/ab', 'allow'],
    ['vendor/x/.git/config', 'deny'],
    ['sub/.git', 'deny'],
    ['vtcode.toml', 'deny'],
    ['VTCODE.toml', 'deny'],
    ['.VTCODE/sessions/x', 'deny'],
    ['docs/vtcode.toml', 'allow'],
    ['.vscode/tasks.json', 'prompt'],
    ['pkg/.envrc', 'prompt'],
    ['.claude/settings.local.json', 'prompt'],
    ['.claude/notes.md', 'allow'],
    ['.husky/pre-commit', 'prompt'],
  ])('%s -> %s', (path, level) => {
    expect(classify(path)).toBe(level);
  });

  it('compares every name case-insensitively where the file system does', () => {
    expect(classify('.GIT/CONFIG')).toBe('allow');
    expect(classify('.GIT/CONFIG', true)).toBe('deny');
    expect(classify('.VSCode/tasks.json', true)).toBe('prompt');
  });
});

describe('git config reading', () => {
  it('finds hooksPath, include paths and keys that run programs', () => {
    const text = `[core]\n\thooksPath = .husky/_\n[include]\n\tpath = ../team.gitconfig\n[includeIf "gitdir:~/w/"]\n\tpath = w.gitconfig\n[alias]\n\tst = status\n\tx = !rm -rf /\n[diff "bin"]\n\ttextconv = hexdump\n[user]\n\tname = a\n`;
    expect(hooksPathOf(text)).toBe('.husky/_');
    expect(includePathsOf(text)).toEqual(['../team.gitconfig', 'w.gitconfig']);
    expect(dangerousGitConfig(text)).toEqual([
      'core.hookspath',
      'include.path',
      'includeif.path',
      'alias.x',
      'diff.textconv',
    ]);
    expect(dangerousGitConfig('[core]\n\tbare = false\n[remote "origin"]\n\turl = x\n')).toEqual(
      [],
    );
  });
});

describe('.env files', () => {
  it.each([
    ['.env', true],
    ['.env.local', true],
    ['.ENV.production', true],
    ['.env.example', false],
    ['.env.sample', false],
    ['env', false],
    ['.envrc', true],
    ['.env-staging', true],
    ['.env_prod.example', false],
  ])('%s -> %s', (name, secret) => expect(isEnvFileName(name)).toBe(secret));
});

describe('session seals', () => {
  const sealer = SessionSealer.withKey(randomBytes(32));
  const line = JSON.stringify({ type: 'x', path: '/a' });
  it('opens what it sealed for the same scope only', () => {
    const sealed = sealer.seal('ws\0s-1', line);
    expect(sealer.open('ws\0s-1', sealed)).toEqual({ json: line, sealed: true });
    expect(sealer.open('ws\0s-2', sealed).sealed).toBe(false);
    expect(SessionSealer.withKey(randomBytes(32)).open('ws\0s-1', sealed).sealed).toBe(false);
  });
  it('an edited line or a missing seal is not sealed', () => {
    const sealed = sealer.seal('s', line);
    expect(sealer.open('s', sealed.replace('/a', '/b')).sealed).toBe(false);
    expect(sealer.open('s', line).sealed).toBe(false);
    expect(sealer.open('s', '').sealed).toBe(false);
  });
});

describe('toolchain configs that hold a token', () => {
  it.each([
    ['[registries.corp]\ntoken = "x"\n', true],
    ['[http]\n\textraHeader = Authorization: Bearer x\n', true],
    ['[url "https://u:p@github.com/"]\n\tinsteadOf = https://github.com/\n', true],
    ['[credential]\n\thelper = store\n', true],
    ['[build]\nrustflags = ["-C", "target-cpu=native"]\n', false],
    ['[user]\n\tname = a\n[alias]\n\tst = status\n', false],
  ])('%j -> %s', (text, secret) => {
    const dir = mkdtempSync(join(tmpdir(), 'tok-'));
    writeFileSync(join(dir, 'config'), text);
    expect(holdsToken(join(dir, 'config'))).toBe(secret);
  });
});
