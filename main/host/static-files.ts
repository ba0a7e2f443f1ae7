import { readFile, realpath } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
  readonly path: string;
}

/**
 * Map a URL path to a file of the built renderer, or null. Only files inside `root` (after
 * symlinks) are served; `/` is index.html; encoded dots and backslashes cannot climb out.
 */
export async function loadStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const relative = segments.length === 0 ? 'index.html' : segments.join('/');
  const type = TYPES[extname(relative).toLowerCase()];
  if (!type) return null;
  let canonicalRoot: string;
  let canonical: string;
  try {
    canonicalRoot = await realpath(root);
    canonical = await realpath(join(canonicalRoot, relative));
  } catch {
    return null;
  }
  if (!canonical.startsWith(canonicalRoot + sep)) return null;
  try {
    return { body: await readFile(canonical), contentType: type, path: canonical };
  } catch {
    return null;
  }
}
