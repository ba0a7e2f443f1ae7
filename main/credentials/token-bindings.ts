import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  tokenEnvVarSchema,
  tokenHostsSchema,
  tokenNameSchema,
  tokenTestPathSchema,
} from '../../shared/domain/tokens';
import { writeFileAtomic } from '../fs/atomic-write';

/*
 * Which hosts each stored token is for, and the variable commands read it from. The record lives
 * in the app's data folder only: never in a workspace, so a repository cannot bind your token to
 * its own host, and the sandbox hides the folder from commands (it is a sensitive path), so a
 * command cannot rewrite it either. It holds no secret.
 */

/** The file under the app's data folder. */
export const TOKEN_BINDINGS_FILE = 'token-bindings.json';

/** Where the token bindings live for a data folder (AppPaths.dataDir). */
export function tokenBindingsPath(dataDir: string): string {
  return join(dataDir, TOKEN_BINDINGS_FILE);
}

/** One binding as recorded (no secret: the token is in the keychain under `token:<name>`). */
export interface TokenBindingRecord {
  readonly name: string;
  readonly envVar: string;
  readonly hosts: readonly string[];
  readonly testPath: string;
  readonly savedAt: string;
}

/** The record could not be read; no token is handed to commands until it can. */
export class TokenBindingsError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`The record of which hosts each token is for (${path}) cannot be read: ${detail}`);
    this.name = 'TokenBindingsError';
  }
}

const entrySchema = z.object({
  envVar: tokenEnvVarSchema,
  hosts: tokenHostsSchema,
  testPath: tokenTestPathSchema.default('/'),
  savedAt: z.string().max(64),
  /** New on every save, so the revision changes even when a token is replaced in the same ms. */
  stamp: z.string().max(64).optional(),
});
const fileSchema = z.object({
  version: z.literal(1),
  tokens: z.record(z.string(), z.unknown()),
});

/** The token bindings: read for every run, written by Settings and the CLI. */
export interface TokenBindings {
  /** Every well-formed binding, by name. Throws TokenBindingsError when the file is unreadable. */
  list(): Promise<TokenBindingRecord[]>;
  /** Record a binding (replacing one of the same name), or forget it with null. */
  set(name: string, binding: Omit<TokenBindingRecord, 'name' | 'savedAt'> | null): Promise<void>;
  /** Changes whenever the record does: a run wrapped under another revision is not reused. */
  revision(): Promise<string>;
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new TokenBindingsError(path, error instanceof Error ? error.message : String(error));
  }
}

function parse(path: string, text: string | null): TokenBindingRecord[] {
  if (text === null) return [];
  let raw: z.infer<typeof fileSchema>;
  try {
    raw = fileSchema.parse(JSON.parse(text));
  } catch {
    throw new TokenBindingsError(path, 'it is not a valid token bindings file');
  }
  const out: TokenBindingRecord[] = [];
  for (const [name, value] of Object.entries(raw.tokens)) {
    // An entry this version cannot vouch for is skipped, not guessed at.
    if (!tokenNameSchema.safeParse(name).success) continue;
    const entry = entrySchema.safeParse(value);
    if (entry.success) {
      const { envVar, hosts, testPath, savedAt } = entry.data;
      out.push({ name, envVar, hosts, testPath, savedAt });
    }
  }
  // Two bindings for one variable would fight over it inside the sandbox: the first wins.
  const seen = new Set<string>();
  return out
    .sort((a, b) => a.name.localeCompare(b.name))
    .filter((b) => !seen.has(b.envVar) && Boolean(seen.add(b.envVar)));
}

/** Bindings kept in a JSON file (the app's data folder; tests pass a temp path). */
export function fileTokenBindings(path: string): TokenBindings {
  let queue: Promise<unknown> = Promise.resolve();
  const list = async (): Promise<TokenBindingRecord[]> => parse(path, await readText(path));
  return {
    list,
    async revision() {
      const text = await readText(path);
      return text === null ? 'none' : createHash('sha256').update(text).digest('hex').slice(0, 32);
    },
    set(name, binding) {
      const task = async (): Promise<void> => {
        // A record that cannot be read is rewritten rather than failing every save forever.
        const current = await list().catch(() => [] as TokenBindingRecord[]);
        const tokens: Record<string, Omit<TokenBindingRecord, 'name'> & { stamp: string }> = {};
        for (const { name: n, ...rest } of current) {
          if (n !== name) tokens[n] = { ...rest, stamp: randomUUID() };
        }
        if (binding !== null) {
          tokens[name] = {
            envVar: binding.envVar,
            hosts: [...binding.hosts],
            testPath: binding.testPath,
            savedAt: new Date().toISOString(),
            stamp: randomUUID(),
          };
        }
        await writeFileAtomic(path, `${JSON.stringify({ version: 1, tokens }, null, 2)}\n`, {
          mode: 0o600,
        });
      };
      const next = queue.then(task, task);
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
