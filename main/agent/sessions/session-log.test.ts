import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../shared/domain/agent';
import { SessionLog, readSessionLog } from './session-log';

/*
 * The log's promise: a line written is never lost to a killed process, and the disk sync runs off
 * the main thread. A close while a background sync runs must neither lose the tail nor close the
 * descriptor under the sync.
 */

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempLog(): string {
  const dir = mkdtempSync(join(tmpdir(), 'session-log-'));
  dirs.push(dir);
  return join(dir, 'events.jsonl');
}

const started = (n: number): AgentEvent => ({
  type: 'turn-started',
  turnId: `t${n}`,
  prompt: `prompt ${n}`,
  provider: 'openai',
  model: 'm',
  at: new Date(0).toISOString(),
});

describe('session log', () => {
  it('keeps every line when closed at once after many appends, and ignores appends after close', async () => {
    const file = tempLog();
    const log = new SessionLog(file, (t) => t);
    for (let i = 0; i < 200; i++) log.append(started(i));
    log.close();
    log.append(started(999));
    log.close();
    const { events, warnings } = await readSessionLog(file);
    expect(warnings).toEqual([]);
    expect(events).toHaveLength(200);
    // The background sync ends on its own; nothing throws after close.
    await new Promise((r) => setTimeout(r, 50));
  });

  it('a process killed right after writing loses no line it wrote', async () => {
    const file = tempLog();
    const script = `
      import { SessionLog } from ${JSON.stringify(join(import.meta.dirname, 'session-log.ts'))};
      const log = new SessionLog(${JSON.stringify(file)}, (t) => t);
      for (let i = 0; i < 500; i++)
        log.append({ type: 'turn-started', turnId: 't' + i, prompt: 'p', provider: 'o', model: 'm', at: new Date(0).toISOString() });
      process.stdout.write('written\\n');
      setInterval(() => {}, 1000);
    `;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('written')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const { events } = await readSessionLog(file);
    expect(events).toHaveLength(500);
  }, 30_000);
});
