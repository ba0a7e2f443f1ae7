import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ProviderId } from '../../shared/domain/credentials';
import { writeFileAtomic } from '../fs/atomic-write';

/*
 * A stored key is bound to the base URL it was saved for: the provider's own API, the user file's
 * `base_url` for a custom provider, or a URL the user named when saving it. A key is sent nowhere
 * else. The record lives beside the app's data, not in a workspace, and holds no secret: it names
 * the URL itself, so a refusal can say which URL the key is for (a hash would hide that, and would
 * not stop anyone who can write the file). Keys saved before bindings existed have no record and
 * count as bound to the provider's default (or user-file) URL.
 */

/** The file under the app's data folder. */
export const KEY_BINDINGS_FILE = 'key-bindings.json';

/** Where the bindings file lives for a data folder (AppPaths.dataDir). */
export function keyBindingsPath(dataDir: string): string {
  return join(dataDir, KEY_BINDINGS_FILE);
}

/**
 * The form URLs are compared in: http(s) only, no user info, query or fragment, host lowercased,
 * default port and trailing slashes dropped. Null when it is not such a URL.
 */
export function normalizeBaseUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** The bindings record could not be read; no stored key is sent until it can be. */
export class KeyBindingsError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`The record of which URL each stored API key is for (${path}) cannot be read: ${detail}`);
    this.name = 'KeyBindingsError';
  }
}

/** Which base URL each provider's stored key was saved for. */
export interface KeyBindings {
  /** The URL the provider's stored key is for; null when none was recorded. */
  get(provider: ProviderId): Promise<string | null>;
  /** Record the URL (normalised) for the provider's key; null forgets it. */
  set(provider: ProviderId, baseUrl: string | null): Promise<void>;
}

const fileSchema = z.object({
  version: z.literal(1),
  keys: z.record(z.string(), z.object({ baseUrl: z.string(), savedAt: z.string() })),
});
type BindingsFile = z.infer<typeof fileSchema>;

/** Bindings kept in a JSON file (the app's; tests pass a temp path). */
export function fileKeyBindings(path: string): KeyBindings {
  let queue: Promise<unknown> = Promise.resolve();
  const load = async (): Promise<BindingsFile> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, keys: {} };
      throw new KeyBindingsError(path, error instanceof Error ? error.message : String(error));
    }
    try {
      return fileSchema.parse(JSON.parse(text));
    } catch {
      throw new KeyBindingsError(path, 'it is not a valid bindings file');
    }
  };
  return {
    async get(provider) {
      const entry = (await load()).keys[provider];
      return entry ? normalizeBaseUrl(entry.baseUrl) : null;
    },
    set(provider, baseUrl) {
      const task = async (): Promise<void> => {
        // Saving a key rewrites an unreadable record rather than failing forever.
        const current = await load().catch(() => ({ version: 1 as const, keys: {} }));
        const keys = { ...current.keys };
        const normal = baseUrl === null ? null : normalizeBaseUrl(baseUrl);
        if (normal === null) delete keys[provider];
        else keys[provider] = { baseUrl: normal, savedAt: new Date().toISOString() };
        await writeFileAtomic(path, `${JSON.stringify({ version: 1, keys }, null, 2)}\n`, {
          mode: 0o600,
        });
      };
      const next = queue.then(task, task);
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

/** Bindings in memory (session-only keys, and tests). */
export function memoryKeyBindings(): KeyBindings {
  const map = new Map<ProviderId, string>();
  return {
    get: (provider) => Promise.resolve(map.get(provider) ?? null),
    set(provider, baseUrl) {
      const normal = baseUrl === null ? null : normalizeBaseUrl(baseUrl);
      if (normal === null) map.delete(provider);
      else map.set(provider, normal);
      return Promise.resolve();
    },
  };
}
