import { readdir } from 'node:fs/promises';
import { delimiter } from 'node:path';

const MAX_PROGRAMS = 20_000;
const cache = new Map<string, Promise<string[]>>();

/**
 * The names in the PATH folders (not checked to be executable: a name is enough to say what a
 * loose rule also matches). Read once per PATH value; unreadable folders are skipped.
 */
export function pathPrograms(pathVariable: string = process.env.PATH ?? ''): Promise<string[]> {
  let names = cache.get(pathVariable);
  if (!names) {
    names = (async () => {
      const all = new Set<string>();
      for (const dir of pathVariable.split(delimiter)) {
        if (!dir || all.size >= MAX_PROGRAMS) continue;
        try {
          for (const name of await readdir(dir)) if (all.size < MAX_PROGRAMS) all.add(name);
        } catch {
          // A folder that does not exist or cannot be read has no programs to offer.
        }
      }
      return [...all].sort();
    })();
    cache.set(pathVariable, names);
  }
  return names;
}
