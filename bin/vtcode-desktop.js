#!/usr/bin/env node
// The installed command: runs the built CLI (npm run build makes out/main/cli.js).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('vtcode-desktop is not built: run `npm run build` in its folder first.\n');
  process.exit(1);
}
await import(pathToFileURL(cli).href);
