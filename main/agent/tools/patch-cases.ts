import { parsePatch, type PatchChunk } from './patch-format';

/*
 * Shared by patch-format.test.ts and patch-worker.test.ts: the sync matcher and the worker must
 * give the same answers.
 */

/** The hunks of `*** Update File: a` followed by `body`. */
export function updateChunks(body: string): readonly PatchChunk[] {
  const [op] = parsePatch(`*** Begin Patch\n*** Update File: a\n${body}\n*** End Patch`);
  if (op?.type !== 'update') throw new Error('expected an update');
  return op.chunks;
}

/**
 * [name, file before, hunks of `*** Update File: a`, file after]: what a hunk matches, which
 * fallback wins (exact, then trailing-whitespace-, then whitespace-insensitive), where the search
 * starts. Written against the original scan-every-position matcher, which passed them all.
 */
export const MATCHING_CASES: ReadonlyArray<readonly [string, string, string, string]> = [
  [
    'an exact match wins over an earlier whitespace-insensitive one',
    '  a\nb\na\nb\n',
    '@@\n a\n-b\n+c',
    '  a\nb\na\nc\n',
  ],
  [
    'whitespace-insensitive context keeps the file spelling',
    '    if (x) {\n        y();\n    }\n',
    '@@\n if (x) {\n-y();\n+z();\n }',
    '    if (x) {\nz();\n    }\n',
  ],
  [
    'the @@ line falls back to a whitespace-insensitive match',
    'f() {\n  return 1;\n}\n  g() {\n  return 1;\n}\n',
    '@@ g() {\n-  return 1;\n+  return 2;',
    'f() {\n  return 1;\n}\n  g() {\n  return 2;\n}\n',
  ],
  [
    'hunks are searched forward from the previous one',
    'x\nx\nx\n',
    '@@\n-x\n+y\n@@\n-x\n+y',
    'y\ny\nx\n',
  ],
  [
    'End of File matches only the last lines',
    'a\nb\na\nb\n',
    '@@\n-a\n b\n*** End of File',
    'a\nb\nb\n',
  ],
  [
    'End of File may match lines a previous hunk changed',
    'a\nb\n',
    '@@\n-a\n+A\n@@\n A\n-b\n+B\n*** End of File',
    'A\nB\n',
  ],
  ['an insertion without context is appended', 'a\nb\n', '@@\n+z', 'a\nb\nz\n'],
  ['an insertion with an @@ line goes after it', 'a\nb\nc\n', '@@ b\n+z', 'a\nb\nz\nc\n'],
  ['an empty file takes an insertion', '', '@@\n+z', 'z\n'],
  ['a file without a final newline gets one', 'a\nb', '@@\n a\n-b\n+c', 'a\nc\n'],
  [
    'CRLF context matches ignoring the trailing \\r and keeps it',
    'a\r\nb\r\n',
    '@@\n a\n-b\n+c',
    'a\r\nc\n',
  ],
  [
    'a run of repeated lines matches at its first full occurrence',
    'x\nx\nx\ny\nx\nx\nx\nx\nz\n',
    '@@\n x\n x\n x\n-x\n+w\n z',
    'x\nx\nx\ny\nx\nx\nx\nw\nz\n',
  ],
  [
    'a blank context line matches a whitespace-only line',
    'a\n   \nb\n',
    '@@\n a\n \n-b\n+c',
    'a\n   \nc\n',
  ],
  [
    'a trailing-whitespace match wins over an earlier whitespace-insensitive one',
    '  a\nb\na  \nb\n',
    '@@\n a\n-b\n+c',
    '  a\nb\na  \nc\n',
  ],
  [
    'repeated fuzzy context lines take the spelling of the last one matched',
    '  }\n    }\nx\n',
    '@@\n }\n }\n-x\n+y',
    '    }\n    }\ny\n',
  ],
];

/** [name, file before, hunks, the PatchError message]. */
export const FAILING_CASES: ReadonlyArray<readonly [string, string, string, RegExp]> = [
  [
    'a hunk before the previous one',
    'x\ny\n',
    '@@\n-y\n+z\n@@\n-x\n+w',
    /^hunk 2 in a does not match the file \(looking for "x"\); read the file and make the context lines exact$/,
  ],
  [
    'End of File when the lines are earlier',
    'a\nb\nc\n',
    '@@\n-a\n+A\n*** End of File',
    /^hunk 1 in a does not match the file \(looking for "a"\)/,
  ],
  [
    'a missing @@ line',
    'a\n',
    '@@ nope\n-a\n+b',
    /^hunk 1 in a: the @@ line "nope" was not found$/,
  ],
  [
    'a hunk longer than the file',
    'a\n',
    '@@\n a\n-b\n+c',
    /^hunk 1 in a does not match the file \(looking for "a"\)/,
  ],
  ['the first non-blank line is named', 'a\n', '@@\n \n-missing\n+x', /looking for "missing"/],
];

export interface LargeCase {
  readonly before: string;
  readonly chunks: readonly PatchChunk[];
  readonly after: string;
}

/**
 * A file of about `lines` lines of small, near-identical functions and `hunks` hunks spread over
 * it: some with an @@ line, some with re-indented context (the whitespace-insensitive fallback),
 * the last one at *** End of File.
 */
export function largeCase(lines: number, hunks: number): LargeCase {
  const blocks = Math.max(hunks, Math.floor(lines / 8));
  const before: string[] = [];
  const after: string[] = [];
  const chunks: PatchChunk[] = [];
  const step = Math.floor(blocks / hunks);
  for (let b = 0; b < blocks; b++) {
    const body = [`  const v = ${b};`, '  if (v > 0) {', '    return v;', '  }', '  return 0;'];
    const block = [`function f${b}() {`, ...body, '}', ''];
    before.push(...block);
    const k = Math.floor(b / step);
    if (b % step !== step - 1 || k >= hunks - 1) {
      after.push(...block);
      continue;
    }
    // Context from the hunk, spelled as the file spells it; the changed line as the hunk has it.
    const fuzzy = k % 3 === 1;
    const context = fuzzy ? body.slice(0, 2).map((l) => l.trim()) : body.slice(0, 2);
    const changed = fuzzy ? 'return v + 1;' : '    return v + 1;';
    chunks.push({
      anchor: k % 2 === 0 ? `function f${b}() {` : null,
      oldLines: [...context, fuzzy ? 'return v;' : '    return v;'],
      newLines: [...context, changed],
      endOfFile: false,
    });
    after.push(block[0] ?? '', ...body.slice(0, 2), changed, ...body.slice(3), '}', '');
  }
  before.push('// end');
  after.push('// END');
  chunks.push({
    anchor: null,
    oldLines: ['', '// end'],
    newLines: ['', '// END'],
    endOfFile: true,
  });
  return { before: `${before.join('\n')}\n`, chunks, after: `${after.join('\n')}\n` };
}
