// Optional attribution for bench/ui-bench.ts (`--profile`): a V8 CPU profile and a Chromium
// trace of the renderer while a figure is taken, summarised as the top functions and phases.
import type { CDPSession, Page } from 'playwright';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}
interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: { name?: string };
}

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink'];

function top(map: Map<string, number>, n: number): string {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, ms]) => `  ${ms.toFixed(0).padStart(7)} ms  ${k}`)
    .join('\n');
}

function summariseCpu(profile: CpuProfile): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => {
    const file = n.callFrame.url.split('/').pop() ?? '';
    return `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) return;
    self.set(label(node), (self.get(label(node)) ?? 0) + ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at);
      if (!n) break;
      const key = label(n);
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + ms);
    }
  });
  return `JS self time:\n${top(self, 25)}\nJS total time:\n${top(total, 40)}\n${longStretches(profile, byId, parent, label)}`;
}

/** Stretches of 50 ms or more without idle samples, each with the functions that filled it. */
function longStretches(
  profile: CpuProfile,
  byId: Map<number, ProfileNode>,
  parent: Map<number, number>,
  label: (n: ProfileNode) => string,
): string {
  const out: string[] = [];
  let at = 0;
  let stretch = new Map<string, number>();
  let length = 0;
  let start = 0;
  const close = () => {
    if (length >= 50) {
      const names = [...stretch]
        .filter(([k]) => !k.startsWith('('))
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([k, ms]) => `${k} ${ms.toFixed(0)}`);
      out.push(
        `  at ${(start / 1000).toFixed(0)} ms, ${length.toFixed(0)} ms: ${names.join(' | ')}`,
      );
    }
    stretch = new Map();
    length = 0;
  };
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    at += profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') return close();
    if (length === 0) start = at;
    length += ms;
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const key = byId.get(n);
      if (!key || seen.has(label(key))) continue;
      seen.add(label(key));
      stretch.set(label(key), (stretch.get(label(key)) ?? 0) + ms);
    }
  });
  close();
  return `Busy stretches of 50 ms or more (top functions by total time):\n${out.join('\n')}`;
}

/** Self time of each trace event name on the renderer's main thread. */
function summariseTrace(events: readonly TraceEvent[]): string {
  const main = events.find((e) => e.ph === 'M' && e.args?.name === 'CrRendererMain');
  const mine = events
    .filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X')
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  const stack: { end: number; name: string }[] = [];
  for (const e of mine) {
    const dur = (e.dur ?? 0) / 1000;
    while (stack.length > 0 && (stack.at(-1)?.end ?? 0) <= e.ts) stack.pop();
    const up = stack.at(-1);
    if (up) self.set(up.name, (self.get(up.name) ?? 0) - dur);
    self.set(e.name, (self.get(e.name) ?? 0) + dur);
    stack.push({ end: e.ts + (e.dur ?? 0), name: e.name });
  }
  return `Renderer main thread, self time by trace event:\n${top(self, 15)}`;
}

async function readStream(cdp: CDPSession, handle: string): Promise<string> {
  let out = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle });
    out += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString() : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle });
  return out;
}

/** Start profiling the page; the returned function stops and returns the printed summary. */
export async function startProfile(page: Page): Promise<() => Promise<string>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Tracing.start', {
    categories: CATEGORIES.join(','),
    transferMode: 'ReturnAsStream',
  });
  // Bridge frames over 100 kB: when a large reply (a resumed session) left and arrived.
  await cdp.send('Network.enable');
  const t0 = performance.now();
  const frames: string[] = [];
  const onFrame = (dir: string) => (e: { response: { payloadData: string } }) => {
    const size = e.response.payloadData.length;
    if (size > 100_000)
      frames.push(
        `  ${dir} ${(size / 1e6).toFixed(2)} MB at ${(performance.now() - t0).toFixed(0)} ms`,
      );
  };
  cdp.on('Network.webSocketFrameReceived', onFrame('received'));
  cdp.on('Network.webSocketFrameSent', onFrame('sent'));
  await cdp.send('Profiler.start');
  return async () => {
    const { profile } = await cdp.send('Profiler.stop');
    const done = new Promise<string>((resolve) =>
      cdp.once('Tracing.tracingComplete', (e) => resolve(e.stream ?? '')),
    );
    await cdp.send('Tracing.end');
    const trace = JSON.parse(await readStream(cdp, await done)) as { traceEvents: TraceEvent[] };
    await cdp.detach();
    const big = frames.length > 0 ? `\nLarge bridge frames:\n${frames.join('\n')}` : '';
    return `${summariseCpu(profile as unknown as CpuProfile)}\n${summariseTrace(trace.traceEvents)}${big}`;
  };
}
