#!/usr/bin/env node
// The command a user runs (installed, or `npm run cli` in a checkout): the built CLI, never
// TypeScript compiled at start. In a checkout whose sources changed since the last build, it
// rebuilds first (once; a second start waits for that build), then runs the fresh build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildState } from './build-freshness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'out', 'main', 'cli.js');

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Build under a lock folder, so two starts never build over each other. */
function rebuild(why) {
  const lock = join(root, 'out', '.build-lock');
  mkdirSync(join(root, 'out'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another start is building: wait for it (a lock older than 10 minutes is a crash's).
      let age;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue;
      }
      if (age > 600_000) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      sleep(200);
      if (buildState(root) === 'fresh') return;
    }
  }
  try {
    if (buildState(root) === 'fresh') return;
    process.stderr.write(`vtcode-desktop: building (${why})…\n`);
    const bin = join(root, 'node_modules', '.bin', 'electron-vite');
    const result = spawnSync(bin, ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) {
      process.stderr.write(
        'vtcode-desktop: the build failed; fix the errors above, then try again.\n',
      );
      process.exit(1);
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

const state = process.env.VTCODE_DESKTOP_NO_REBUILD ? 'fresh' : buildState(root);
if (state === 'missing') rebuild('not built yet');
else if (state === 'stale') rebuild('sources changed since the last build');
if (!existsSync(cli)) {
  process.stderr.write('vtcode-desktop is not built: run `npm run build` in its folder first.\n');
  process.exit(1);
}
await import(pathToFileURL(cli).href);
