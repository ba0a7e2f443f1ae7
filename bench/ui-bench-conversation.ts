// Conversation figures for bench/ui-bench.ts: a 200,000-token streamed answer, and opening a
// 5,000-message session. Both drive the built app against the scripted provider.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentEvent } from '../shared/domain/agent';
import { SessionStore } from '../main/agent/sessions/session-store';
import { startScriptedProvider } from '../main/agent/testing/scripted-provider';
import { makeSandboxDirs, startHost } from '../e2e/host';
import type { openApp as OpenApp } from './ui-bench';
import { startProfile } from './ui-profile';

/** `--profile`: print where the renderer's time went while a figure was taken. */
const PROFILE = process.argv.includes('--profile');

const KEY = { OPENAI_API_KEY: 'sk-bench-0123456789abcdefghijklmnop' };
const CONFIG = '[agent]\nprovider = "openai"\ndefault_model = "gpt-bench"\n';

/** Words that read like prose, ~4 characters a token. */
function prose(tokens: number): string {
  const words = [
    'the',
    'agent',
    'reads',
    'files,',
    'runs',
    'tests',
    'and',
    'explains',
    'each',
    'step.',
  ];
  const out: string[] = [];
  for (let i = 0; i < tokens; i++) {
    out.push(words[i % words.length] ?? '');
    if (i % 120 === 119) out.push('\n\n');
  }
  return out.join(' ');
}

async function streamFigures(openApp: typeof OpenApp, tokens: number): Promise<void> {
  const text = `${prose(tokens)}\n\nEND-OF-ANSWER`;
  const fixture = {
    kind: 'stream' as const,
    parts: [{ type: 'text' as const, text }],
    chunkSize: 200,
    chunkDelayMs: 2,
  };
  const provider = await startScriptedProvider({
    responses: [fixture, fixture],
    whenExhausted: 'repeat-last',
  });
  try {
    // The provider's send time: a plain client reading the same script to the end.
    const sendStart = performance.now();
    const res = await fetch(`${provider.url}/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${KEY.OPENAI_API_KEY}`,
      },
      body: JSON.stringify({
        model: 'gpt-bench',
        stream: true,
        messages: [{ role: 'user', content: 'x' }],
      }),
    });
    await res.text();
    const sendSeconds = (performance.now() - sendStart) / 1000;

    const dirs = await makeSandboxDirs();
    await writeFile(join(dirs.workspace, 'vtcode.toml'), CONFIG);
    const host = await startHost({ dirs, extraEnv: KEY });
    const { page, close } = await openApp(host);
    try {
      await page.getByLabel('Base URL').fill(provider.url);
      // Runs in the page (a string, so the DOM types stay out of this Node file).
      await page.evaluate(`
        window.__longest = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) { window.__longest = Math.max(window.__longest, e.duration); (window.__tasks ||= []).push([Math.round(e.startTime), Math.round(e.duration)]); }
        }).observe({ type: 'longtask', buffered: false });
      `);
      await page.getByRole('textbox', { name: 'Message' }).fill('Explain the project at length.');
      const profiled = PROFILE ? await startProfile(page) : null;
      const start = performance.now();
      await page.getByRole('textbox', { name: 'Message' }).press('Enter');
      // A cheap check every 50 ms: Playwright's text locators would re-read the whole answer.
      await page.waitForFunction(
        () => {
          // Runs in the page; typed by hand so this Node file needs no DOM types.
          type El = { lastElementChild: { textContent: string | null } | null };
          const doc = (
            globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<El> } }
          ).document;
          const all = doc.querySelectorAll('.markdown');
          const last = all[all.length - 1];
          return Boolean(last?.lastElementChild?.textContent?.includes('END-OF-ANSWER'));
        },
        undefined,
        { polling: 50, timeout: 600_000 },
      );
      const renderSeconds = (performance.now() - start) / 1000;
      if (profiled) console.log(await profiled());
      if (process.env.UI_BENCH_DEBUG)
        console.log(
          'long tasks [start, ms]:',
          JSON.stringify(await page.evaluate('[performance.now(), window.__tasks]')),
        );
      const longest = Number(await page.evaluate('window.__longest'));
      const over = ((renderSeconds / sendSeconds - 1) * 100).toFixed(0);
      console.log(
        `stream: ${tokens.toLocaleString('en-US')}-token answer rendered in ${renderSeconds.toFixed(2)} s; the provider sends it in ${sendSeconds.toFixed(2)} s (${over}% over; target within 10%)`,
      );
      console.log(
        longest > 0
          ? `stream: longest main-thread task during it ${longest.toFixed(0)} ms (target under 50 ms)`
          : 'stream: no main-thread task over 50 ms during it (the Long Tasks API reports only those; target under 50 ms)',
      );
    } finally {
      await close();
      await host.stop();
    }
  } finally {
    await provider.close();
  }
}

async function sessionFigures(openApp: typeof OpenApp, messages: number): Promise<void> {
  const dirs = await makeSandboxDirs();
  await writeFile(join(dirs.workspace, 'vtcode.toml'), CONFIG);
  const store = new SessionStore(dirs.workspace, (t) => t);
  const { summary, log } = await store.create({
    title: 'Long session',
    provider: 'openai',
    model: 'gpt-bench',
  });
  log.close();
  const lines: string[] = [];
  const at = new Date().toISOString();
  for (let turn = 0; turn < messages / 2; turn++) {
    const turnId = `t-bench-${turn}`;
    const events: AgentEvent[] = [
      {
        type: 'turn-started',
        turnId,
        at,
        prompt: `Question ${turn}: what does module ${turn} do?`,
        provider: 'openai',
        model: 'gpt-bench',
      },
      {
        type: 'text-delta',
        turnId,
        at,
        step: 0,
        text: `Module ${turn} **parses** input and \`returns\` a result.\n\n${prose(60)}${turn === messages / 2 - 1 ? ' LAST-MESSAGE' : ''}`,
      },
      {
        type: 'turn-finished',
        turnId,
        at,
        outcome: 'completed',
        usage: {
          inputTokens: 100,
          outputTokens: 80,
          cachedInputTokens: 0,
          reasoningTokens: 0,
          costUsd: null,
        },
        durationMs: 900,
        message: null,
      },
    ];
    for (const e of events) lines.push(JSON.stringify(e));
  }
  const dir = join(dirs.workspace, '.vtcode', 'sessions', summary.id);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'events.jsonl'), `${lines.join('\n')}\n`);
  await store.writeMeta({ ...summary, turns: messages / 2 });

  const host = await startHost({ dirs, extraEnv: KEY });
  const { page, close } = await openApp(host);
  try {
    const row = page
      .getByRole('list', { name: 'Sessions of this workspace' })
      .getByRole('button', { name: /Long session/ });
    await row.waitFor();
    const profiled = PROFILE ? await startProfile(page) : null;
    const start = performance.now();
    await row.click();
    await page
      .getByRole('main', { name: 'Conversation' })
      .getByText('LAST-MESSAGE')
      .waitFor({ timeout: 120_000 });
    const ms = performance.now() - start;
    if (profiled) console.log(await profiled());
    console.log(
      `session: opened a ${messages.toLocaleString('en-US')}-message session in ${ms.toFixed(0)} ms (target under 500 ms)`,
    );
  } finally {
    await close();
    await host.stop();
  }
}

/** Run the conversation figures (`only` picks one). */
export async function conversationBench(
  openApp: typeof OpenApp,
  only: string | null,
): Promise<void> {
  if (!only || only === 'stream') await streamFigures(openApp, 200_000);
  if (!only || only === 'session') await sessionFigures(openApp, 5000);
}
