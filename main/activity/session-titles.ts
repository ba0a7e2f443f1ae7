import { constants, lstatSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sessionIdSchema } from '../../shared/domain/agent';

const MAX_META = 64 * 1024;
const MAX_TITLE = 200;

/** True when `.vtcode`, `.vtcode/sessions` and the session's folder are real folders, not links. */
function plainFolders(workspace: string, id: string): boolean {
  let current = workspace;
  for (const part of ['.vtcode', 'sessions', id]) {
    current = join(current, part);
    try {
      if (!lstatSync(current).isDirectory()) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * The titles of the sessions a page of activity names, read from each session's meta.json (no
 * list, no clean-up: this only reads). A session that is gone or damaged has no title here.
 */
export async function sessionTitles(
  workspace: string,
  ids: Iterable<string>,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const id of new Set(ids)) {
    if (!sessionIdSchema.safeParse(id).success || !plainFolders(workspace, id)) continue;
    try {
      const handle = await openFile(
        join(workspace, '.vtcode', 'sessions', id, 'meta.json'),
        constants.O_RDONLY | constants.O_NOFOLLOW,
      );
      let text: string;
      try {
        if ((await handle.stat()).size > MAX_META) continue;
        text = await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
      const title = (JSON.parse(text) as { title?: unknown }).title;
      if (typeof title === 'string' && title.trim() !== '') out[id] = title.slice(0, MAX_TITLE);
    } catch {
      // Gone or damaged: the row shows the session's id instead.
    }
  }
  return out;
}
