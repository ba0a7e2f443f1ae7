import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('serve', () => {
  it('refuses a non-loopback address without --allow-remote, with the reason', async () => {
    const home = await mkdtemp(join(tmpdir(), 'serve-'));
    await writeFile(join(home, 'index.html'), '<!doctype html>');
    const args = ['serve', '--host', '0.0.0.0', '--renderer-dir', home];
    const child = spawn(TSX, [join(ROOT, 'main/cli/index.ts'), ...args], {
      env: { PATH: process.env.PATH, HOME: home },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(stderr).toMatch(/Refusing to listen on 0\.0\.0\.0.*--allow-remote/s);
  });

  it('stops every run when the host is stopped', async () => {
    const root = await mkdtemp(join(tmpdir(), 'serve-'));
    const renderer = join(root, 'renderer');
    const workspace = join(root, 'home', 'ws');
    await mkdir(renderer, { recursive: true });
    await mkdir(workspace, { recursive: true });
    await writeFile(join(renderer, 'index.html'), '<!doctype html>');
    const child = spawn(
      TSX,
      [join(ROOT, 'main/cli/index.ts'), 'serve', '--json', '--renderer-dir', renderer],
      {
        env: { PATH: process.env.PATH, HOME: join(root, 'home') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const info = await new Promise<{ port: number; token: string; origin: string }>((ok) =>
      child.stdout.once('data', (d: Buffer) =>
        ok(JSON.parse(d.toString()) as { port: number; token: string; origin: string }),
      ),
    );
    const ws = new WebSocket(`ws://127.0.0.1:${info.port}/bridge?token=${info.token}`, {
      origin: info.origin,
    });
    await new Promise((r) => ws.once('open', r));
    const replies = new Map<number, unknown>();
    ws.on('message', (d: Buffer) => {
      const m = JSON.parse(d.toString()) as { type: string; id: number; result: unknown };
      if (m.type === 'result') replies.set(m.id, m.result);
    });
    const call = async (id: number, channel: string, payload: unknown) => {
      ws.send(JSON.stringify({ type: 'invoke', id, channel, payload }));
      for (let i = 0; i < 500 && !replies.has(id); i++) await new Promise((r) => setTimeout(r, 20));
      return replies.get(id) as { ok: boolean; value: unknown };
    };
    expect((await call(1, 'workspace:open', { path: workspace })).ok).toBe(true);
    expect((await call(2, 'runner:start', { command: 'sleep 120' })).ok).toBe(true);
    const list = (await call(3, 'runner:list', {})) as { value: { pid: number }[] };
    const pid = list.value[0]?.pid ?? 0;
    expect(alive(pid)).toBe(true);

    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false);
  });
});
