/*
 * A cold CLI process, as a user runs it: the built `vtcode-desktop exec` against the scripted
 * provider (instant answers), 20 sequential read_file steps and then an answer. Per run:
 * - start to first model request: from spawning the process to the provider receiving its first
 *   request (what a user waits before anything happens);
 * - per step: from the first request to the last, over the steps (what each tool-call step costs
 *   a user: the app's handling, the tool, the provider's instant answer);
 * - peak memory: the process's maximum resident set (GNU time), when /usr/bin/time is there.
 * Each agent keeps one home across its runs, as a user does; the very first start (empty home)
 * is printed apart. Min / median / max over RUNS runs. Where `claude` or `qwen` are on PATH they run against the same
 * provider, interleaved, and the ratios are printed. Prints figures; never fails.
 * Run: npm run build && npx tsx bench/cli-bench.ts
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ScriptResponseInput } from '../main/agent/testing/fixture';
import { startScriptedProvider } from '../main/agent/testing/scripted-provider';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const STEPS = 20;
const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'out', 'main', 'cli.js');
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

interface Sample {
  readonly firstRequestMs: number;
  readonly perStepMs: number;
  readonly peakMiB: number | null;
  readonly requests: number;
}

interface Agent {
  readonly name: string;
  /** The command line and environment of one run in `ws`, talking to `url`. */
  readonly command: (
    ws: string,
    url: string,
    home: string,
  ) => { argv: string[]; env: NodeJS.ProcessEnv };
  readonly responses: (ws: string) => ScriptResponseInput[];
}

function onPath(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

const steps = (call: (i: number) => { name: string; arguments: Record<string, unknown> }) => {
  const responses: ScriptResponseInput[] = [];
  for (let i = 0; i < STEPS; i++) {
    responses.push({ kind: 'stream', parts: [{ type: 'tool_call', ...call(i) }] });
  }
  responses.push({ kind: 'stream', parts: [{ type: 'text', text: 'Read them all.' }] });
  return responses;
};

const baseEnv = (home: string): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  XDG_CONFIG_HOME: join(home, '.config'),
  XDG_DATA_HOME: join(home, '.local', 'share'),
  LANG: 'C.UTF-8',
});

const agents: Agent[] = [
  {
    name: 'vtcode-desktop exec (built)',
    command: (ws, url, home) => ({
      argv: [
        process.execPath,
        CLI,
        'exec',
        '--workspace',
        ws,
        '--provider',
        'openai',
        '--base-url',
        url,
        '--model',
        'bench-model',
        '--yes',
        'Read the files f0.txt to f19.txt.',
      ],
      env: { ...baseEnv(home), OPENAI_API_KEY: 'sk-bench-0123456789abcdef' },
    }),
    responses: () => steps((i) => ({ name: 'read_file', arguments: { path: `f${i}.txt` } })),
  },
];
// Best effort, only where installed (none is here): the same task in their own tool names.
if (onPath('claude')) {
  agents.push({
    name: 'claude -p',
    command: (ws, url, home) => ({
      argv: ['claude', '-p', '--dangerously-skip-permissions', 'Read the files f0.txt to f19.txt.'],
      env: {
        ...baseEnv(home),
        ANTHROPIC_BASE_URL: url.replace(/\/v1$/, ''),
        ANTHROPIC_API_KEY: 'sk-ant-bench-0123456789abcdef',
        PWD: ws,
      },
    }),
    responses: (ws) =>
      steps((i) => ({ name: 'Read', arguments: { file_path: join(ws, `f${i}.txt`) } })),
  });
}
if (onPath('qwen')) {
  agents.push({
    name: 'qwen -p',
    command: (ws, url, home) => ({
      argv: ['qwen', '-p', '--yolo', 'Read the files f0.txt to f19.txt.'],
      env: {
        ...baseEnv(home),
        OPENAI_BASE_URL: url,
        OPENAI_API_KEY: 'sk-bench-0123456789abcdef',
        OPENAI_MODEL: 'bench-model',
        PWD: ws,
      },
    }),
    responses: (ws) =>
      steps((i) => ({ name: 'read_file', arguments: { absolute_path: join(ws, `f${i}.txt`) } })),
  });
}

async function runOnce(agent: Agent, root: string, home: string): Promise<Sample | string> {
  const ws = join(root, 'ws');
  const sp = await startScriptedProvider({ responses: agent.responses(ws) });
  try {
    const { argv, env } = agent.command(ws, sp.url, home);
    const full = GNU_TIME ? [GNU_TIME, '-f', 'peak-kb %M', ...argv] : argv;
    const started = Date.now();
    const child = spawn(full[0]!, full.slice(1), {
      cwd: ws,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    const chat = sp.requests.filter((q) => q.body !== null && q.at !== undefined);
    if (chat.length === 0)
      return `no request reached the provider (exit ${code}): ${stderr.slice(-300)}`;
    const first = chat[0]!.at! - started;
    const last = chat.at(-1)!.at!;
    const peak = /peak-kb (\d+)/.exec(stderr)?.[1];
    return {
      firstRequestMs: first,
      perStepMs: chat.length > 1 ? (last - chat[0]!.at!) / (chat.length - 1) : 0,
      peakMiB: peak ? Number(peak) / 1024 : null,
      requests: chat.length,
    };
  } finally {
    await sp.close();
  }
}

function stats(values: readonly number[]): string {
  if (values.length === 0) return 'n/a';
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const f = (n: number) => n.toFixed(1);
  return `min ${f(sorted[0]!)} · median ${f(median)} · max ${f(sorted.at(-1)!)}`;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

if (!existsSync(CLI)) {
  console.log('cli-bench: out/main/cli.js is missing; run `npm run build` first.');
} else {
  const root = await mkdtemp(join(tmpdir(), 'cli-bench-'));
  const ws = join(root, 'ws');
  await mkdir(ws);
  await writeFile(join(ws, 'vtcode.toml'), '[tools]\nmax_tool_loops = 100\n');
  for (let i = 0; i < STEPS; i++) await writeFile(join(ws, `f${i}.txt`), `line ${i}\n`.repeat(50));
  const samples = new Map<string, Sample[]>(agents.map((a) => [a.name, []]));
  // One home per agent across its runs, as a user's: what a first start leaves (V8's compile
  // cache, config) serves the next. The first start of all is timed apart.
  const homes = new Map<string, string>();
  const firstStarts = new Map<string, Sample | string>();
  for (const agent of agents) {
    const home = await mkdtemp(join(root, 'home-'));
    homes.set(agent.name, home);
    firstStarts.set(agent.name, await runOnce(agent, root, home));
  }
  // Interleaved: one run of each agent in turn, so machine load falls on all alike.
  for (let run = 0; run < RUNS; run++) {
    for (const agent of agents) {
      const result = await runOnce(agent, root, homes.get(agent.name)!);
      if (typeof result === 'string')
        console.log(`  ${agent.name}: run ${run + 1} failed: ${result}`);
      else samples.get(agent.name)!.push(result);
    }
  }
  console.log(
    `cli-bench: ${STEPS} sequential read_file steps, then an answer; ${RUNS} runs each, interleaved`,
  );
  for (const [name, list] of samples) {
    console.log(`  ${name} (${list.length} runs, ${list[0]?.requests ?? 0} model requests each)`);
    const first = firstStarts.get(name);
    console.log(
      `    very first start (empty home, no caches): ${typeof first === 'string' || !first ? 'failed' : `${first.firstRequestMs.toFixed(1)} ms to first request`}`,
    );
    console.log(
      `    start to first model request: ${stats(list.map((s) => s.firstRequestMs))} ms (target < 150)`,
    );
    console.log(
      `    per tool-call step:           ${stats(list.map((s) => s.perStepMs))} ms (target < 10)`,
    );
    const peaks = list.flatMap((s) => (s.peakMiB === null ? [] : [s.peakMiB]));
    console.log(
      `    peak memory:                  ${peaks.length ? `${stats(peaks)} MiB (target < 100)` : 'n/a (no /usr/bin/time)'}`,
    );
  }
  const ours = samples.get(agents[0]!.name) ?? [];
  for (const peer of agents.slice(1)) {
    const theirs = samples.get(peer.name) ?? [];
    if (theirs.length === 0 || ours.length === 0) continue;
    const ratio = (f: (s: Sample) => number) =>
      (median(ours.map(f)) / median(theirs.map(f))).toFixed(2);
    console.log(
      `  ratio to ${peer.name} (medians, ours / theirs): first request ${ratio((s) => s.firstRequestMs)}, per step ${ratio((s) => s.perStepMs)}`,
    );
  }
  for (const peer of ['claude', 'qwen'])
    if (!onPath(peer)) console.log(`  ${peer}: not installed here, not compared`);
  await rm(root, { recursive: true, force: true });
}
