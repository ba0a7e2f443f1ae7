/*
 * apply_patch hunk matching: 50 hunks against 16k- and 100k-line files, the old scan-every-position
 * matcher beside the indexed one, and what applyChunksAsync costs the main thread (the longest
 * event-loop stall while the worker runs). Medians of three. Prints figures; never fails.
 * Run: npx tsx bench/patch-bench.ts
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { largeCase, type LargeCase } from '../main/agent/tools/patch-cases';
import { PatchError, applyChunks, type PatchChunk } from '../main/agent/tools/patch-format';
import { applyChunksAsync, sharedPatchWorker } from '../main/agent/tools/patch-worker';
import { legacyApplyChunks } from './patch-legacy';

const ROUNDS = 3;

type Apply = (text: string, chunks: readonly PatchChunk[], path: string) => string;

// The result or the PatchError message, so a failing scenario is compared like a passing one.
function attempt(apply: Apply, c: LargeCase): string {
  try {
    return apply(c.before, c.chunks, 'bench.ts');
  } catch (error) {
    if (error instanceof PatchError) return `PatchError ${error.message}`;
    throw error;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function timeSync(apply: Apply, c: LargeCase): { ms: number; out: string } {
  const times: number[] = [];
  let out = '';
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    out = attempt(apply, c);
    times.push(performance.now() - start);
  }
  return { ms: median(times), out };
}

async function timeAsync(c: LargeCase): Promise<{ ms: number; stall: number; out: string }> {
  const times: number[] = [];
  const stalls: number[] = [];
  let out = '';
  for (let r = 0; r < ROUNDS; r++) {
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const start = performance.now();
    try {
      out = await applyChunksAsync(c.before, c.chunks, 'bench.ts');
    } catch (error) {
      if (!(error instanceof PatchError)) throw error;
      out = `PatchError ${error.message}`;
    }
    times.push(performance.now() - start);
    delay.disable();
    stalls.push(delay.max / 1e6);
  }
  return { ms: median(times), stall: median(stalls), out };
}

// Every hunk's context spelled with spaces where the file has tabs: each hunk needs the
// whitespace-insensitive fallback, after the exact and trailing-whitespace passes found nothing.
function reindented(c: LargeCase): LargeCase {
  const tabs = (text: string): string =>
    text.replace(/^( {2})+/gm, (s) => '\t'.repeat(s.length / 2));
  return { ...c, before: tabs(c.before), after: tabs(c.after) };
}

// The 50th hunk looks for a line the file does not have: every pass scans to the end.
function mismatched(c: LargeCase): LargeCase {
  const chunks = c.chunks.slice(0, -1);
  chunks.push({ anchor: null, oldLines: ['  const v = -1;'], newLines: [], endOfFile: false });
  return { ...c, chunks };
}

// A data file of one repeated row with 50 section markers; each hunk carries 200 rows of context
// before its marker, so the old matcher found 200-line partial matches at every start position.
function repetitive(lines: number): LargeCase {
  const file: string[] = [];
  const after: string[] = [];
  const chunks: PatchChunk[] = [];
  const every = Math.floor(lines / 50);
  const context = Array<string>(200).fill('  0,');
  for (let i = 0; i < lines; i++) {
    const marker = i % every === every - 1;
    const row = marker ? `  // section ${(i + 1) / every}` : '  0,';
    file.push(row);
    after.push(marker ? '  1,' : row);
    if (marker)
      chunks.push({
        anchor: null,
        oldLines: [...context, row],
        newLines: [...context, '  1,'],
        endOfFile: false,
      });
  }
  return { before: `${file.join('\n')}\n`, chunks, after: `${after.join('\n')}\n` };
}

const fmt = (ms: number): string => ms.toFixed(1).padStart(8);
console.log('scenario                     lines    old ms   new ms  async ms  stall ms  same');
for (const lines of [16_000, 100_000]) {
  const base = largeCase(lines, 50);
  const scenarios: Array<[string, LargeCase]> = [
    ['exact context', base],
    ['re-indented context', reindented(base)],
    ['hunk 50 does not match', mismatched(base)],
    ['repeated rows, 200 context', repetitive(lines)],
  ];
  for (const [name, c] of scenarios) {
    const old = timeSync(legacyApplyChunks, c);
    const now = timeSync(applyChunks, c);
    const async = await timeAsync(c);
    const same = old.out === now.out && now.out === async.out ? 'yes' : 'NO';
    console.log(
      `${name.padEnd(26)} ${String(lines).padStart(7)} ${fmt(old.ms)} ${fmt(now.ms)} ${fmt(async.ms)}  ${fmt(async.stall)}  ${same}`,
    );
  }
}
console.log(
  '\nold/new: synchronous, blocking the main thread for the whole time. async: applyChunksAsync wall',
  'time, in the worker (started once, in the first row); stall: the longest the main',
  "thread's event loop waited meanwhile.",
);
await sharedPatchWorker().close();
