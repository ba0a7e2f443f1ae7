/*
 * Runner benchmark: sandbox start overhead and output throughput. Prints figures, never fails.
 * Run with `npx tsx bench/runner-bench.ts`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn as spawnPty } from 'node-pty';
import { resolveAppPaths } from '../main/platform/paths';
import { RunnerService } from '../main/runner/runner-service';
import { withSettings } from '../main/runner/settings';

const RUNS = 30;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function plainSpawn(): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    spawn('/bin/sh', ['-c', 'true'], { stdio: 'ignore' }).on('exit', () =>
      resolve(performance.now() - t0),
    );
  });
}

function plainPty(): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const p = spawnPty('/bin/sh', ['-c', 'true'], { cols: 80, rows: 24 });
    p.onExit(() => resolve(performance.now() - t0));
  });
}

/** What node-pty alone delivers (bytes, no consumer): the ceiling the runner can reach. */
function rawPtyThroughput(total: number): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const p = spawnPty('/bin/sh', ['-c', `head -c ${total} /dev/zero | tr '\\0' a`], {
      cols: 80,
      rows: 24,
      encoding: null,
    });
    p.onExit(() => resolve(total / 1e6 / ((performance.now() - t0) / 1000)));
  });
}

/**
 * The kernel's own limit: a tight blocking read loop on a pty master (Python, no event loop), for
 * the same output. Null where python3 is missing.
 */
function kernelPtyThroughput(total: number): number | null {
  const script = [
    'import os, pty, sys, time',
    'n = int(sys.argv[1])',
    'pid, fd = pty.fork()',
    'if pid == 0:',
    `    os.execv('/bin/sh', ['sh', '-c', "head -c %d /dev/zero | tr '\\\\0' a" % n])`,
    't = time.time(); got = 0',
    'while True:',
    '    try: b = os.read(fd, 65536)',
    '    except OSError: break',
    '    if not b: break',
    '    got += len(b)',
    'os.waitpid(pid, 0)',
    'print(got / 1e6 / (time.time() - t))',
  ].join('\n');
  const result = spawnSync('python3', ['-c', script, String(total)], { encoding: 'utf8' });
  const value = Number(result.stdout.trim());
  return result.status === 0 && Number.isFinite(value) ? value : null;
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'runner-bench-'));
  const appPaths = resolveAppPaths(
    { VTCODE_DESKTOP_HOME: join(root, 'app') },
    process.platform,
    root,
  );
  const service = new RunnerService({ appPaths });
  const settings = withSettings({ pty: { maxScrollbackBytes: 4 * 1024 * 1024 } });
  try {
    const timeRun = async (command: string, s = settings): Promise<number> => {
      const t0 = performance.now();
      const id = await service.start({ request: { command }, workspace: root, settings: s });
      await service.wait(id);
      return performance.now() - t0;
    };
    await timeRun('true'); // starts the proxy and the violation monitor once
    const unsandboxedSettings = withSettings({ mode: 'danger_full_access' }, settings);
    const series = async (run: () => Promise<number>): Promise<number[]> => {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await run());
      return times;
    };
    const pause = (): Promise<void> => new Promise((r) => setTimeout(r, 100));
    const plain = await series(plainSpawn);
    const pty = await series(plainPty);
    const unsandboxed = await series(() => timeRun('true', unsandboxedSettings));
    // Cold: no run wrapped ahead of time (the first command in a workspace, or after a change).
    const cold = await series(async () => {
      await service.warm.discard();
      return timeRun('true');
    });
    // Warm: one command after another, as an agent runs them; the runner wraps the next run
    // while it waits (the pause lets that finish, as the model's next turn would).
    const sandboxed = await series(async () => {
      await pause();
      return timeRun('true');
    });
    const backToBack = await series(() => timeRun('true'));
    const m = (v: number[]): string => `${median(v).toFixed(1)} ms`;
    console.log(`start overhead, median of ${RUNS} runs of \`true\`:`);
    console.log(`  plain child_process.spawn           ${m(plain)}`);
    console.log(`  plain node-pty spawn                ${m(pty)}`);
    console.log(`  runner, unsandboxed (pty + cleanup) ${m(unsandboxed)}`);
    console.log(`  runner, sandboxed, cold wrap        ${m(cold)}`);
    console.log(`  runner, sandboxed, prepared wrap    ${m(sandboxed)}`);
    console.log(`  runner, sandboxed, back to back     ${m(backToBack)} (no pause between runs)`);
    console.log(
      `  sandbox overhead vs plain spawn     ${(median(sandboxed) - median(plain)).toFixed(1)} ms` +
        ` (cold ${(median(cold) - median(plain)).toFixed(1)} ms; prepared wraps used ` +
        `${service.warm.stats.used}, thrown away ${service.warm.stats.discarded})`,
    );

    const total = 300 * 1000 * 1000;
    const ROUNDS = 3;
    // The pty hands over ~4 KiB per read (the kernel's line-discipline buffer), so these figures
    // move with the machine's load: each is the median of a few rounds, alternating, so a busy
    // moment does not land on one side only. The runner's figures can only approach the ceiling.
    const kernel: number[] = [];
    const raw: number[] = [];
    const runner: Record<'sandboxed' | 'unsandboxed', number[]> = {
      sandboxed: [],
      unsandboxed: [],
    };
    let messages = 0;
    let received = 0;
    let rssGrowth = 0;
    const stop = service.subscribe((e) => {
      if (e.type !== 'output') return;
      received += e.event.bytes;
      messages++;
    });
    for (let round = 0; round < ROUNDS; round++) {
      const k = kernelPtyThroughput(total);
      if (k !== null) kernel.push(k);
      raw.push(await rawPtyThroughput(total));
      for (const [label, s] of [
        ['sandboxed', settings],
        ['unsandboxed', withSettings({ mode: 'danger_full_access' }, settings)],
      ] as const) {
        received = 0;
        const rss0 = process.memoryUsage().rss;
        const ms = await timeRun(`head -c ${total} /dev/zero | tr '\\0' a`, s);
        rssGrowth = Math.max(rssGrowth, process.memoryUsage().rss - rss0);
        runner[label].push(received / 1e6 / (ms / 1000));
      }
    }
    stop();
    const mbs = (v: number[]): string =>
      `${median(v).toFixed(0)} MB/s (${v.map((x) => x.toFixed(0)).join(', ')})`;
    console.log(
      `output throughput, ${total / 1e6} MB of unbroken output, median of ${ROUNDS} rounds:`,
    );
    console.log(
      `  pty ceiling, kernel (tight blocking reads)  ${kernel.length ? mbs(kernel) : 'n/a (no python3)'}`,
    );
    console.log(`  pty ceiling, node-pty alone                 ${mbs(raw)}`);
    console.log(`  runner, sandboxed, to the event consumer    ${mbs(runner.sandboxed)}`);
    console.log(`  runner, unsandboxed, to the event consumer  ${mbs(runner.unsandboxed)}`);
    console.log(
      `  ${(messages / (ROUNDS * 2)).toFixed(0)} messages a run (about ${(total / (messages / (ROUNDS * 2)) / 1024).toFixed(0)} KiB each); ` +
        `RSS growth at most ${(rssGrowth / 1e6).toFixed(0)} MB`,
    );
  } finally {
    await service.dispose();
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.log(`benchmark could not run: ${error instanceof Error ? error.message : String(error)}`);
});
