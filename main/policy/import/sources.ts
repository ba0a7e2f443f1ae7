import { constants } from 'node:fs';
import { lstat, open, readdir, realpath } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import {
  MAX_IMPORT_BYTES,
  type ImportFile,
  type ImportFrom,
} from '../../../shared/domain/policy-import';

/** A file an import may read, and the folder it must stay inside once links are followed. */
export interface ImportCandidate {
  readonly path: string;
  readonly root: string;
}

/**
 * Where each tool keeps its rules: Claude Code in the workspace's `.claude/settings.json` and
 * `.claude/settings.local.json` and the user's `~/.claude/settings.json`; Codex in
 * `~/.codex/rules/*.rules` and the workspace's `.codex/rules/*.rules`. Each file must resolve
 * inside its own root (the workspace, or home): a link in a cloned repository cannot send the
 * import to read a file elsewhere.
 */
export async function importCandidates(
  from: ImportFrom,
  workspace: string,
  home: string,
): Promise<ImportCandidate[]> {
  if (from === 'claude') {
    return [
      { path: join(workspace, '.claude', 'settings.json'), root: workspace },
      { path: join(workspace, '.claude', 'settings.local.json'), root: workspace },
      { path: join(home, '.claude', 'settings.json'), root: home },
    ];
  }
  const rulesIn = async (dir: string, root: string): Promise<ImportCandidate[]> => {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => n.endsWith('.rules'))
      .sort()
      .slice(0, 200)
      .map((n) => ({ path: join(dir, n), root }));
  };
  return [
    ...(await rulesIn(join(home, '.codex', 'rules'), home)),
    ...(await rulesIn(join(workspace, '.codex', 'rules'), workspace)),
  ];
}

const inside = (child: string, root: string): boolean =>
  child === root || child.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * Read one import file: it must exist, resolve inside `root` (and not be a secret, per
 * `refuse`), be a regular file, and hold at most 1 MB. Opened without following a final link,
 * so a swap after the check is refused too.
 */
export async function readImportFile(
  candidate: ImportCandidate,
  refuse: (real: string) => string | null = () => null,
): Promise<{ file: ImportFile; text: string | null }> {
  const path = resolve(candidate.path);
  const fail = (status: 'missing' | 'refused', problem: string | null) => ({
    file: { path, status, problem },
    text: null,
  });
  try {
    await lstat(path);
  } catch {
    return fail('missing', null);
  }
  let real: string;
  let rootReal: string;
  try {
    real = await realpath(path);
    rootReal = await realpath(candidate.root);
  } catch {
    return fail('refused', 'it is a link to nothing');
  }
  if (!inside(real, rootReal))
    return fail('refused', `it is a link to ${real}, outside ${candidate.root}; not read`);
  const why = refuse(real);
  if (why !== null) return fail('refused', why);
  let handle;
  try {
    handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return fail('refused', `cannot be opened (${(error as { code?: string }).code ?? 'error'})`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return fail('refused', 'not a regular file');
    if (info.size > MAX_IMPORT_BYTES) return fail('refused', 'larger than 1 MB; not read');
    const buffer = Buffer.alloc(info.size);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return {
      file: { path, status: 'read', problem: null },
      text: buffer.subarray(0, bytesRead).toString('utf8'),
    };
  } finally {
    await handle.close();
  }
}
