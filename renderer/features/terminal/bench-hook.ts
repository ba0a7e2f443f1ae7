import type { RunId } from '../../../shared/domain/runner';
import type { OutputPump } from './output-pump';

/*
 * For bench/ui-bench.ts only: it defines `window.__vtcodeBench` before the page loads, and only
 * then does the renderer add this hook. The hook feeds text into the open run's output through
 * the same pump and writer as bridge events, as fast as they take it, so the bench can time the
 * page without the host, the pty or the WebSocket in the way.
 */

export interface TerminalBenchHook {
  /** Push `text` into the open run's output in `chunkSize` events; resolves once all are queued. */
  replayOutput(text: string, chunkSize: number): Promise<void>;
  /** Characters the pump skipped so far because its queue was full (0 when xterm.js kept up). */
  skipped(): number;
}

declare global {
  interface Window {
    __vtcodeBench?: Partial<TerminalBenchHook>;
  }
}

/** A task boundary without setTimeout's 4 ms clamp, like one WebSocket message after another. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

/** Add the hook to `target` when the bench asked for it (the object exists); no-op otherwise. */
export function installTerminalBenchHook(
  target: Window,
  pump: OutputPump,
  activeRun: () => RunId | null,
  /** The pump is not filled past this, so nothing is skipped: a source with backpressure. */
  maxQueued = 1024 * 1024,
): void {
  const hook = target.__vtcodeBench;
  if (!hook) return;
  let seq = 1_000_000_000;
  hook.skipped = () => pump.skipped();
  hook.replayOutput = async (text, chunkSize) => {
    const runId = activeRun();
    if (!runId) throw new Error('replayOutput needs an open run');
    for (let start = 0; start < text.length; start += chunkSize) {
      while (pump.queued() > maxQueued) await nextFrame();
      const data = text.slice(start, start + chunkSize);
      pump.push({ runId, seq: seq++, data, bytes: data.length });
      await nextTask();
    }
  };
}
