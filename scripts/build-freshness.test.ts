import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildState } from '../bin/build-freshness.js';

/*
 * The CLI a user runs is the built one; a checkout whose sources changed since the last build is
 * rebuilt first. These are the rules that decide it.
 */

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function file(root: string, path: string, seconds: number): void {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, '');
  utimesSync(full, seconds, seconds);
}

function checkout(): string {
  const root = mkdtempSync(join(tmpdir(), 'freshness-'));
  roots.push(root);
  file(root, 'main/cli/index.ts', 100);
  file(root, 'shared/domain/x.ts', 100);
  file(root, 'renderer/main.tsx', 100);
  file(root, 'package.json', 100);
  return root;
}

describe('build freshness', () => {
  it('is missing before the first build, fresh after it', () => {
    const root = checkout();
    expect(buildState(root)).toBe('missing');
    file(root, 'out/main/cli.js', 200);
    expect(buildState(root)).toBe('missing');
    file(root, 'out/renderer/index.html', 200);
    expect(buildState(root)).toBe('fresh');
  });

  it('is stale when any source, at any depth, is newer than the build', () => {
    const root = checkout();
    file(root, 'out/main/cli.js', 200);
    file(root, 'out/renderer/index.html', 200);
    file(root, 'renderer/features/deep/thing.tsx', 300);
    expect(buildState(root)).toBe('stale');
  });

  it('does not rebuild for a test file', () => {
    const root = checkout();
    file(root, 'out/main/cli.js', 200);
    file(root, 'out/renderer/index.html', 200);
    file(root, 'main/agent/x.test.ts', 300);
    expect(buildState(root)).toBe('fresh');
  });

  it('an installed copy (no sources) is never rebuilt', () => {
    const root = mkdtempSync(join(tmpdir(), 'freshness-'));
    roots.push(root);
    file(root, 'out/main/cli.js', 200);
    file(root, 'out/renderer/index.html', 200);
    expect(buildState(root)).toBe('no-sources');
  });
});
