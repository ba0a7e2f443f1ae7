import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The layer boundaries of STYLE.md, checked over every import form (static, dynamic, require,
 * export-from) so that a rule cannot be dodged by a syntax the lint rule does not look at.
 */
const ROOT = resolve(import.meta.dirname, '..');
const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]|require\s*\(\s*['"]([^'"]+)['"]|import\s+['"]([^'"]+)['"]/g;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && /\.(ts|tsx)$/.test(d.name))
    .map((d) => relative(ROOT, join(d.parentPath, d.name)));
}

function importsOf(file: string): { spec: string; target: string | null }[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => {
    const spec = m[1] ?? m[2] ?? m[3] ?? m[4] ?? '';
    const target = spec.startsWith('.') ? relative(ROOT, resolve(ROOT, file, '..', spec)) : null;
    return { spec, target };
  });
}

const layerOf = (path: string) => path.split(sep)[0];
const ELECTRON_ALLOWED = (file: string) =>
  file === join('main', 'index.ts') ||
  file.startsWith(join('main', 'windows') + sep) ||
  /^main[\\/]ipc[\\/]electron-/.test(file) ||
  file.startsWith('preload' + sep);

function violations(
  dir: string,
  forbiddenLayers: string[],
  extra: (spec: string, file: string) => boolean = () => false,
) {
  const found: string[] = [];
  for (const file of sources(dir)) {
    for (const { spec, target } of importsOf(file)) {
      if (target && forbiddenLayers.includes(layerOf(target) ?? ''))
        found.push(`${file} -> ${spec}`);
      if (spec === 'electron' && !ELECTRON_ALLOWED(file)) found.push(`${file} -> electron`);
      if (extra(spec, file)) found.push(`${file} -> ${spec}`);
    }
  }
  return found;
}

describe('layer boundaries', () => {
  it('shared/ imports nothing of ours and no Node built-ins', () => {
    expect(
      violations('shared', ['main', 'renderer', 'preload'], (spec) => spec.startsWith('node:')),
    ).toEqual([]);
  });

  it('renderer/ never imports main/, preload/ or Node', () => {
    expect(violations('renderer', ['main', 'preload'], (spec) => spec.startsWith('node:'))).toEqual(
      [],
    );
  });

  it('preload/ never imports main/ or renderer/', () => {
    expect(violations('preload', ['main', 'renderer'])).toEqual([]);
  });

  it('main/ services never import electron (only index.ts, windows/, ipc/electron-*)', () => {
    expect(violations('main', ['renderer', 'preload'])).toEqual([]);
  });

  it('the checker itself sees all import forms', () => {
    const text = `import a from '../main/x';\nexport { b } from "../main/y";\nconst c = await import('../main/z');\nrequire('electron');\nimport '../main/side';`;
    const specs = [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]);
    expect(specs).toEqual(['../main/x', '../main/y', '../main/z', 'electron', '../main/side']);
  });
});
