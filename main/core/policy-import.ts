import { resolve } from 'node:path';
import type { PolicySnapshot } from '../../shared/domain/policy';
import type {
  ImportApplyRequest,
  ImportFile,
  ImportPreview,
  ImportPreviewRequest,
} from '../../shared/domain/policy-import';
import { BridgeError } from '../../shared/ipc/errors';
import { sensitiveMatch } from '../guard/model';
import { readClaudeSettings } from '../policy/import/claude';
import { readCodexRules } from '../policy/import/codex';
import { buildRows, importEdits, type ExistingRules } from '../policy/import/preview';
import { importCandidates, readImportFile, type ImportCandidate } from '../policy/import/sources';
import type { ImportText } from '../policy/import/types';
import type { WorkspacePolicy } from './policy-service';

/** How a caller may name a file: the IPC only one that `detect` lists; the CLI any it is given. */
export interface ImportOptions {
  readonly anyFile?: boolean;
}

async function loadSource(
  policy: WorkspacePolicy,
  req: ImportPreviewRequest,
  options: ImportOptions,
): Promise<{ texts: ImportText[]; files: ImportFile[] }> {
  if (req.source.kind === 'text')
    return { texts: [{ file: null, text: req.source.text }], files: [] };
  const candidates = await importCandidates(req.from, policy.workspace, policy.home);
  let chosen: ImportCandidate[] = candidates;
  if (req.source.kind === 'file') {
    const path = resolve(policy.workspace, req.source.path);
    const known = candidates.find((c) => resolve(c.path) === path);
    if (!known && !options.anyFile)
      throw new BridgeError(
        'invalid-argument',
        `${req.source.path} is not one of the files ${req.from === 'claude' ? 'Claude Code' : 'Codex'} keeps its rules in; paste its text instead`,
      );
    chosen = [known ?? { path, root: '/' }];
  }
  // A secret file is never read for an import, whatever a link says.
  const guard = policy.current().guard;
  const refuse = (real: string): string | null =>
    sensitiveMatch(guard, [real]) ? `${real} is a sensitive path; not read` : null;
  const texts: ImportText[] = [];
  const files: ImportFile[] = [];
  for (const c of chosen) {
    const r = await readImportFile(c, refuse);
    files.push(r.file);
    if (r.text !== null) texts.push({ file: r.file.path, text: r.text });
  }
  return { texts, files };
}

async function existingRules(
  policy: WorkspacePolicy,
  target: 'workspace' | 'user',
): Promise<ExistingRules> {
  const snapshot = policy.snapshot();
  const elsewhere = snapshot.permissions.flatMap((p) =>
    p.source.layer !== target && p.list !== 'auto'
      ? [{ list: p.list, entry: p.entry, file: p.source.file ?? 'a config file' }]
      : [],
  );
  return {
    target: await policy.permissionLists(target),
    targetFile: policy.fileFor(target),
    elsewhere,
  };
}

/** Read the source, map each rule, and say what vtcode.toml would gain; nothing is written. */
export async function importPreview(
  policy: WorkspacePolicy,
  req: ImportPreviewRequest,
  options: ImportOptions = {},
): Promise<ImportPreview> {
  const target = req.target ?? 'workspace';
  const { texts, files } = await loadSource(policy, req, options);
  const guard = policy.current().guard;
  const ctx = { workspaces: [guard.workspace, guard.workspaceReal], home: policy.home };
  const rules = texts.flatMap((t) =>
    req.from === 'claude' ? readClaudeSettings(t, ctx) : readCodexRules(t),
  );
  const existing = await existingRules(policy, target);
  const rows = buildRows(rules, existing);
  const edits = importEdits(rows, null, existing);
  const notes: string[] = [];
  if (req.source.kind === 'detect' && files.every((f) => f.status === 'missing'))
    notes.push('No rule files were found; paste the rules instead.');
  const snapshot = policy.snapshot();
  const adds = (list: string) =>
    rows.some((r) => r.status === 'new' && r.changes.some((c) => c.list === list));
  if (target === 'workspace' && snapshot.trust !== 'trusted' && adds('allow'))
    notes.push(
      'This folder is not trusted: allow rules in its vtcode.toml are ignored until you trust it. Add them to your user file, or trust the folder.',
    );
  if (target === 'user' && adds('allow'))
    notes.push('Rules added to your user file apply in every workspace.');
  return { from: req.from, target, targetFile: policy.fileFor(target), files, rows, edits, notes };
}

/**
 * Add the chosen rows to the target file. The preview is worked out again here from the same
 * source; ids the renderer sends only pick rows of it, and only rows that add something.
 */
export async function importApply(
  policy: WorkspacePolicy,
  req: ImportApplyRequest,
  options: ImportOptions = {},
): Promise<PolicySnapshot> {
  const preview = await importPreview(
    policy,
    { from: req.from, source: req.source, target: req.target },
    options,
  );
  const rows = new Map(preview.rows.map((r) => [r.id, r]));
  const unknown = req.accept.filter((id) => !rows.has(id));
  if (unknown.length > 0)
    throw new BridgeError(
      'invalid-argument',
      `${unknown.length} chosen row(s) are not in the preview (the source changed since?): preview again`,
    );
  const refused = req.accept.flatMap((id) => {
    const row = rows.get(id);
    return row && row.status !== 'new' ? [`${row.where} (${row.why ?? row.status})`] : [];
  });
  if (refused.length > 0)
    throw new BridgeError('invalid-argument', `These rows add nothing: ${refused.join('; ')}`);
  const edits = importEdits(
    preview.rows,
    new Set(req.accept),
    await existingRules(policy, req.target),
  );
  return policy.save(req.target, edits);
}
