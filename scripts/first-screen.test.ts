import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * What the first screen loads (issue 18): the modules index.html's script reaches through static
 * imports. Dynamic import() and type-only imports load nothing then. A package listed here costs
 * the first screen tens of milliseconds; load it where it is used (a lazy component, an action).
 */
const ROOT = resolve(import.meta.dirname, '..');
const ENTRY = join(ROOT, 'renderer', 'main.tsx');
const NOT_ON_FIRST_SCREEN: Readonly<Record<string, string>> = {
  zod: 'schemas: forms check drafts in lazily loaded modules; the envelope check is by hand',
  'zod/mini': 'its core is shared with the lazy chunks’ zod, so it brings most of zod',
  diff: 'diffs show in approvals and tool cards, which load after the first screen',
  '@tanstack/react-virtual': 'the message list loads after the first screen',
  '@xterm/xterm': 'the terminal view loads when the Terminal tab is first shown',
  'react-markdown': 'answers are rendered once a workspace is open',
};

/** Static, value-level import specifiers of one file. */
export function staticImports(source: string, fileName = 'x.tsx'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false);
  const specs: string[] = [];
  for (const node of file.statements) {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) specs.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier !== undefined &&
      !node.isTypeOnly
    ) {
      specs.push((node.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return specs;
}

function resolveLocal(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

/** Every package the entry reaches by static imports, with the chain that reaches it. */
function firstScreenPackages(entry: string): Map<string, string[]> {
  const packages = new Map<string, string[]>();
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const here = [...chain, relative(ROOT, file)];
    for (const spec of staticImports(readFileSync(file, 'utf8'), file)) {
      if (spec.startsWith('.')) {
        if (spec.endsWith('.css')) continue;
        const target = resolveLocal(file, spec);
        if (!target) throw new Error(`${relative(ROOT, file)}: cannot resolve ${spec}`);
        walk(target, here);
      } else if (!packages.has(spec)) {
        packages.set(spec, here);
      }
    }
  };
  walk(entry, []);
  return packages;
}

describe('the first screen', () => {
  const packages = firstScreenPackages(ENTRY);

  it('loads react and the store (the walk sees the app)', () => {
    expect([...packages.keys()]).toEqual(expect.arrayContaining(['react', 'react-dom/client']));
    expect(packages.has('zustand')).toBe(true);
  });

  it.each(Object.entries(NOT_ON_FIRST_SCREEN))('does not load %s (%s)', (name) => {
    const chain = packages.get(name);
    expect(chain ? `${chain.join(' -> ')} -> ${name}` : null).toBeNull();
  });

  it('sees value imports and skips type-only and dynamic ones', () => {
    const text = [
      "import { a, type B } from 'one';",
      "import type { C } from 'two';",
      "import { type D } from 'three';",
      "import 'four.css';",
      "export { e } from 'five';",
      "export type { F } from 'six';",
      "const g = () => import('seven');",
      "import * as h from 'eight';",
    ].join('\n');
    expect(staticImports(text)).toEqual(['one', 'four.css', 'five', 'eight']);
  });
});
