import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Find out/renderer by walking up from this file (works from the source tree and from out/main). */
export function findRendererDir(
  start: string = dirname(fileURLToPath(import.meta.url)),
): string | null {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'out', 'renderer');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (dirname(dir) === dir) return null;
  }
}
