import { describe, expect, it } from 'vitest';
import { parsePermissionRule } from '../../shared/domain/permission-grammar';
import { compilePathRule, type PathRoots } from './path-glob';

const roots: PathRoots = {
  workspace: '/ws-link',
  workspaceReal: '/real/ws',
  home: '/home/me',
  caseInsensitive: false,
};

function matcher(text: string, effect: 'allow' | 'deny' = 'allow', over: Partial<PathRoots> = {}) {
  const parsed = parsePermissionRule(text);
  if (!parsed.ok || parsed.rule.kind !== 'path') throw new Error(`not a path rule: ${text}`);
  return compilePathRule(parsed.rule, { ...roots, ...over }, effect);
}

describe('path rules as gitignore reads them', () => {
  it.each([
    ['read(/docs/**)', '/real/ws/docs/a/b.md', true],
    ['read(/docs/**)', '/ws-link/docs/a.md', true],
    ['read(/docs/**)', '/real/ws/docs', false],
    ['read(/docs)', '/real/ws/docs', true],
    ['read(/docs)', '/real/ws/docs/x/y', true],
    ['read(/docs)', '/real/ws/docsx', false],
    ['read(/docs)', '/real/ws/a/docs', false],
    ['read(docs)', '/real/ws/a/docs/x', true],
    ['read(*.pem)', '/real/ws/keys/deep/x.pem', true],
    ['read(*.pem)', '/real/ws/x.pem.txt', false],
    ['read(src/*.ts)', '/real/ws/src/a.ts', true],
    ['read(src/*.ts)', '/real/ws/src/a/b.ts', false],
    ['read(src/**/test/*.ts)', '/real/ws/src/test/a.ts', true],
    ['read(src/**/test/*.ts)', '/real/ws/src/x/y/test/a.ts', true],
    ['read(src/?.ts)', '/real/ws/src/a.ts', true],
    ['read(src/?.ts)', '/real/ws/src/ab.ts', false],
    ['read(**/secrets/*)', '/real/ws/a/secrets/k', true],
    ['read(~/notes/**)', '/home/me/notes/x', true],
    ['read(~/notes/**)', '/real/ws/notes/x', false],
    ['read(//etc/**)', '/etc/passwd', true],
    ['read(//ws-link/docs/**)', '/real/ws/docs/a.md', true],
    ['read(//real/ws/docs/**)', '/ws-link/docs/a.md', true],
    ['read(/)', '/real/ws/anything', true],
    ['read(/)', '/elsewhere', false],
  ])('%s matches %s: %s', (rule, path, expected) => {
    expect(matcher(rule).matches(path)).toBe(expected);
  });

  it('folds case where the file system does', () => {
    expect(matcher('read(/Docs/**)').matches('/real/ws/docs/a')).toBe(false);
    expect(
      matcher('read(/Docs/**)', 'deny', { caseInsensitive: true }).matches('/real/ws/docs/a'),
    ).toBe(true);
    expect(
      matcher('read(*.PEM)', 'deny', { caseInsensitive: true }).matches('/real/ws/k.pem'),
    ).toBe(true);
  });
});
