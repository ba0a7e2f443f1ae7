// UI benchmark: drives the built app (browser mode) in Debian's Chromium and prints figures.
// Run: npx electron-vite build && npx tsx bench/ui-bench.ts [--only terminal|stream|session] [--profile]
// Prints numbers; never fails on timing. The terminal figures: end to end (a real command through
// the sandboxed pty, the host and the WebSocket into xterm.js), its ceiling (the same command in a
// bare pty), and the page side alone (the same lines pushed through the renderer's output pump).
import { existsSync } from 'node:fs';
import { spawn as spawnPty } from 'node-pty';
import { chromium, type Page } from 'playwright';
import { startHost, type RunningHost } from '../e2e/host';
import { conversationBench } from './ui-bench-conversation';

/** What the page-side code below uses of the browser (this file is type-checked without the DOM). */
interface PageGlobals {
  __vtcodeBench?: {
    replayOutput?: (text: string, chunkSize: number) => Promise<void>;
    skipped?: () => number;
  };
  document: { querySelector(selector: string): { textContent: string | null } | null };
  requestAnimationFrame(callback: () => void): number;
}

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p): p is string => Boolean(p && existsSync(p)),
);

export async function openApp(
  host: RunningHost,
): Promise<{ page: Page; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    ...(CHROMIUM ? { executablePath: CHROMIUM } : {}),
    args: ['--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // Asks the renderer for its bench hook (renderer/features/terminal/bench-hook.ts).
  await page.addInitScript(() => {
    (globalThis as unknown as PageGlobals).__vtcodeBench = {};
  });
  await page.goto(host.url);
  await page.getByLabel('Folder path').fill(host.workspace);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await page.getByLabel('Current workspace').getByText(host.workspace).waitFor();
  return { page, close: () => browser.close() };
}

const LINE =
  'the quick brown fox jumps over the lazy dog, and keeps on jumping over the lazy dog again......';

/** The same command in a bare node-pty, output read and dropped: what a pty carries here. */
function ptyCeiling(lines: number): Promise<{ seconds: number; bytes: number }> {
  const start = performance.now();
  let bytes = 0;
  return new Promise((resolve) => {
    const pty = spawnPty('/bin/sh', ['-c', `yes '${LINE}' | head -n ${lines}`], {
      cols: 120,
      rows: 40,
      encoding: null,
    });
    pty.onData((data: string | Buffer) => {
      bytes += data.length;
    });
    pty.onExit(() => resolve({ seconds: (performance.now() - start) / 1000, bytes }));
  });
}

/** Until `marker` is in xterm.js's rows, checked every frame inside the page; returns page time. */
async function timeUntilVisible(page: Page, marker: string): Promise<number> {
  return page.evaluate(async (text) => {
    const page = globalThis as unknown as PageGlobals;
    for (;;) {
      const rows = page.document.querySelector('#run-view .xterm-rows');
      if (rows?.textContent?.includes(text)) return performance.now();
      await new Promise((resolve) => page.requestAnimationFrame(() => resolve(null)));
    }
  }, marker);
}

const mbps = (bytes: number, seconds: number): string =>
  `${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(2)} s = ${(bytes / 1e6 / seconds).toFixed(1)} MB/s`;

/**
 * Terminal throughput: bytes from a command into xterm.js until its last line is on screen (end to
 * end), then the page alone: the same bytes pushed through the renderer's output pump.
 */
async function terminalBench(megabytes: number): Promise<void> {
  const lines = Math.round((megabytes * 1_000_000) / 100);
  const ceiling = await ptyCeiling(lines);
  const host = await startHost();
  const { page, close } = await openApp(host);
  try {
    await page.getByRole('tab', { name: 'Terminal' }).click();
    const terminal = page.getByRole('tabpanel', { name: 'Terminal' });
    // 100-byte lines of printable text, then a marker that can only appear once all came through.
    const command = `yes '${LINE}' | head -n ${lines}; echo END-OF-BENCH`;
    await terminal.getByRole('textbox', { name: 'Command' }).fill(command);
    const start = performance.now();
    await terminal.getByRole('button', { name: 'Run' }).click();
    await terminal
      .getByRole('status', { name: 'Run status' })
      .getByText('Exit 0')
      .waitFor({ timeout: 600_000 });
    const exited = (performance.now() - start) / 1000;
    await terminal
      .locator('.xterm-rows', { hasText: 'END-OF-BENCH' })
      .waitFor({ timeout: 600_000 });
    const seconds = (performance.now() - start) / 1000;
    const bytes = lines * 100;
    const runDuration = await terminal.getByLabel('Duration').textContent();
    console.log(
      `terminal, end to end: ${mbps(bytes, seconds)} from a command into xterm.js, until its last line is on screen (target > 50 MB/s); the run's exit reached the page after ${exited.toFixed(2)} s; the command itself ran ${runDuration ?? '?'}`,
    );
    console.log(
      `  ceiling: the same command in a bare pty (no sandbox, no app, output read and dropped): ${mbps(ceiling.bytes, ceiling.seconds)}; the end-to-end figure cannot pass it`,
    );

    // The page alone: the same lines (as the pty sends them, CR LF) pushed through the pump.
    const pageSide = await page.evaluate(
      async ({ line, count }) => {
        const hook = (globalThis as unknown as PageGlobals).__vtcodeBench;
        if (!hook?.replayOutput || !hook.skipped) return null;
        const text = `${`${line}\r\n`.repeat(count)}END-OF-REPLAY\r\n`;
        const skippedBefore = hook.skipped();
        const start = performance.now();
        await hook.replayOutput(text, 64 * 1024);
        return { start, chars: text.length, skipped: hook.skipped() - skippedBefore };
      },
      { line: LINE, count: lines },
    );
    if (!pageSide) {
      console.log('terminal, page side: not measured (this build has no bench hook)');
      return;
    }
    const visibleAt = await timeUntilVisible(page, 'END-OF-REPLAY');
    const pageSeconds = (visibleAt - pageSide.start) / 1000;
    console.log(
      `terminal, page side: ${mbps(pageSide.chars, pageSeconds)}: the same lines pushed through the renderer's output pump into xterm.js (no host, pty or WebSocket), until the last is on screen; ${pageSide.skipped} characters skipped`,
    );
  } finally {
    await close();
    await host.stop();
  }
}

async function main(): Promise<void> {
  const only = process.argv.includes('--only')
    ? process.argv[process.argv.indexOf('--only') + 1]
    : null;
  console.log(
    `Chromium: ${CHROMIUM ?? 'Playwright default'}; figures from one run on this machine`,
  );
  if (!only || only === 'terminal') await terminalBench(50);
  if (!only || only === 'stream' || only === 'session')
    await conversationBench(openApp, only ?? null);
}

if (process.argv[1]?.endsWith('ui-bench.ts')) await main();
