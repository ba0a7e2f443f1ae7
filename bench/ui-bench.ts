// UI benchmark: drives the built app (browser mode) in Debian's Chromium and prints figures.
// Run: npx electron-vite build && npx tsx bench/ui-bench.ts [--only terminal|stream|session] [--profile]
// Prints numbers; never fails on timing.
import { existsSync } from 'node:fs';
import { chromium, type Page } from 'playwright';
import { startHost, type RunningHost } from '../e2e/host';
import { conversationBench } from './ui-bench-conversation';

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
  await page.goto(host.url);
  await page.getByLabel('Folder path').fill(host.workspace);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await page.getByLabel('Current workspace').getByText(host.workspace).waitFor();
  return { page, close: () => browser.close() };
}

/** Terminal throughput: bytes from a command into xterm.js until its last line is on screen. */
async function terminalBench(megabytes: number): Promise<void> {
  const host = await startHost();
  const { page, close } = await openApp(host);
  try {
    await page.getByRole('tab', { name: 'Terminal' }).click();
    const terminal = page.getByRole('tabpanel', { name: 'Terminal' });
    const lines = Math.round((megabytes * 1_000_000) / 100);
    // 100-byte lines of printable text, then a marker that can only appear once all came through.
    const command = `yes 'the quick brown fox jumps over the lazy dog, and keeps on jumping over the lazy dog again......' | head -n ${lines}; echo END-OF-BENCH`;
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
      `terminal: ${(bytes / 1e6).toFixed(0)} MB into xterm.js in ${seconds.toFixed(2)} s = ${(bytes / 1e6 / seconds).toFixed(1)} MB/s (target > 50 MB/s); the run's exit reached the page after ${exited.toFixed(2)} s; the command itself ran ${runDuration ?? '?'}`,
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
