import { resolve } from 'node:path';
import { importFromSchema, type ImportPreviewRequest } from '../../../shared/domain/policy-import';
import { importApply, importPreview } from '../../core/policy-import';
import { WorkspacePolicy } from '../../core/policy-service';
import { resolveAppPaths } from '../../platform/paths';
import { createShellParser } from '../../policy/shell-parser';
import { UsageError } from '../command';
import { workspaceOf, type PolicySubcommand } from './policy-context';

/**
 * `policy import`: Claude Code or Codex rules as vtcode.toml `[permissions]` entries, one JSON
 * line per source rule; with --write the new ones are added to the target file. Rules flagged
 * as running anything are written only with --include-flagged.
 */
export const policyImport: PolicySubcommand = {
  usage: `vtcode-desktop policy import --from claude|codex [FILE] --workspace DIR [--write] [--target workspace|user] [--include-flagged]`,
  options: {
    from: { type: 'string' },
    write: { type: 'boolean', default: false },
    target: { type: 'string', default: 'workspace' },
    'include-flagged': { type: 'boolean', default: false },
  },
  async run(values, rest, io) {
    const from = importFromSchema.safeParse(values.from);
    if (!from.success) throw new UsageError('--from must be claude or codex');
    const target = values.target;
    if (target !== 'workspace' && target !== 'user')
      throw new UsageError('--target must be workspace or user');
    if (rest.length > 1)
      throw new UsageError('give at most one FILE (none: the files the tool keeps)');
    const workspace = workspaceOf(values);
    const source: ImportPreviewRequest['source'] =
      rest[0] === undefined ? { kind: 'detect' } : { kind: 'file', path: resolve(rest[0]) };
    const policy = await WorkspacePolicy.open({
      workspace,
      parser: await createShellParser(),
      paths: resolveAppPaths(io.env),
      env: io.env,
    });
    try {
      // The person named the file at their own terminal: any file may be read (size-capped).
      const options = { anyFile: true };
      const preview = await importPreview(policy, { from: from.data, source, target }, options);
      for (const f of preview.files.filter((f) => f.status !== 'read' && source.kind === 'file'))
        io.stderr.write(`${f.path}: ${f.status}${f.problem ? `: ${f.problem}` : ''}\n`);
      if (source.kind === 'file' && preview.files.some((f) => f.status !== 'read')) return 1;
      for (const row of preview.rows) io.stdout.write(`${JSON.stringify(row)}\n`);
      for (const note of preview.notes) io.stderr.write(`note: ${note}\n`);
      if (!values.write) return 0;
      const flagged = preview.rows.filter((r) => r.status === 'new' && r.warning !== null);
      const accept = preview.rows
        .filter((r) => r.status === 'new' && (r.warning === null || values['include-flagged']))
        .map((r) => r.id);
      const skipped = values['include-flagged'] ? [] : flagged.map((r) => r.source);
      if (accept.length === 0) {
        io.stdout.write(`${JSON.stringify({ written: null, added: 0, skipped })}\n`);
        return 0;
      }
      await importApply(policy, { from: from.data, source, target, accept }, options);
      const added = preview.rows
        .filter((r) => accept.includes(r.id))
        .flatMap((r) => r.changes.filter((c) => !c.present));
      io.stdout.write(
        `${JSON.stringify({ written: preview.targetFile, added: added.length, rows: accept.length, skipped })}\n`,
      );
      return 0;
    } finally {
      policy.close();
    }
  },
};
