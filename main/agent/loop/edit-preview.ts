import { relative, sep } from 'node:path';
import type { ApprovalEdits, ApprovalFile } from '../../../shared/domain/agent';
import { diffLines, type DiffLine } from '../../../shared/domain/diff-lines';
import type { PathDecision } from '../../../shared/domain/policy';
import { ToolError, type AgentTool, type PlannedChange } from '../tools/tool-types';

/** Limits that keep an approval request small: what is cut is said in the file's note. */
export const PREVIEW_LIMITS = {
  /** Larger texts are not diffed (a diff of two big, different files takes long). */
  maxDiffChars: 1024 * 1024,
  /** A diff that takes longer is not shown. */
  diffTimeoutMs: 400,
  linesPerFile: 400,
  linesInAll: 1500,
  lineChars: 500,
} as const;

const plural = (n: number, one: string): string =>
  `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;

function changeOf(c: PlannedChange): ApprovalFile['change'] {
  if (c.movedFrom !== undefined) return 'move';
  if (c.before === null) return 'add';
  return c.after === null ? 'delete' : 'modify';
}

/** One file's diff, cut to `budget` lines (and each line to lineChars). */
function fileOf(
  c: PlannedChange,
  decision: PathDecision | undefined,
  workspace: string,
  budget: number,
  redact: (text: string) => string,
  readable: (resolved: string) => boolean,
): ApprovalFile {
  const resolved = decision?.resolved ?? null;
  const rel = resolved === null ? null : relative(workspace, resolved);
  const inWorkspace = rel !== null && rel !== '..' && !rel.startsWith(`..${sep}`);
  const own = decision?.rule?.kind === 'builtin' || decision?.rule?.kind === 'sensitive_path';
  const warning = own && decision.decision !== 'allow' ? decision.reason : null;
  const base = { path: c.path, change: changeOf(c), movedFrom: c.movedFrom ?? null };
  const size = (c.before?.length ?? 0) + (c.after?.length ?? 0);
  // A move of an unchanged file shows no diff lines: the move is the change.
  let before = c.movedFrom !== undefined ? null : c.before;
  let lines: DiffLine[] | null = null;
  let note: string | null = null;
  // What the agent may not read is not read for it either: a secret's current contents stay out
  // of the dialog and the session log; only what the call would write is shown.
  const hidden = before !== null && (resolved === null || !readable(resolved));
  if (hidden) before = null;
  if (size > PREVIEW_LIMITS.maxDiffChars)
    note = `too large to show (${plural(size, 'character')}); open the file to review it`;
  else {
    lines = diffLines(c.path, before, c.after, PREVIEW_LIMITS.diffTimeoutMs);
    if (lines === null) note = 'the diff took too long to work out; open the file to review it';
  }
  const all = lines ?? [];
  const added = all.filter((l) => l.kind === 'add').length;
  const removed = all.filter((l) => l.kind === 'del').length;
  const keep = Math.max(0, Math.min(budget, PREVIEW_LIMITS.linesPerFile));
  const shown = all.slice(0, keep).map((l) => {
    const text = redact(l.text);
    const cut = text.length > PREVIEW_LIMITS.lineChars;
    return { kind: l.kind, text: cut ? `${text.slice(0, PREVIEW_LIMITS.lineChars)}…` : text };
  });
  if (all.length > shown.length)
    note = `${plural(all.length - shown.length, 'more diff line')} not shown (${plural(all.length, 'line')} in all)`;
  if (hidden) {
    const what =
      'its current contents are not shown (the agent may not read this file); the lines are what it would write';
    note = note ? `${what}; ${note}` : what;
  }
  return { ...base, inWorkspace, warning, lines: shown, added, removed, note };
}

/**
 * The diff of every file a file-edit call would change, from the files as they are now; nothing
 * is written. Null for tools that do not change files. A call that cannot be applied says why.
 */
export async function previewEdits(
  tool: AgentTool,
  args: unknown,
  paths: ReadonlyMap<string, PathDecision>,
  workspace: string,
  redact: (text: string) => string,
  /** Whether the agent may read a file (resolved path): only then is its current text shown. */
  readable: (resolved: string) => boolean = () => true,
): Promise<ApprovalEdits | null> {
  if (!tool.preview) return null;
  const resolvePath = (path: string): string => {
    const d = paths.get(`write:${path}`);
    if (!d || d.resolved === null) throw new ToolError(`${path} was not cleared by the policy`);
    return d.resolved;
  };
  let planned: readonly PlannedChange[];
  try {
    planned = await tool.preview(args, { resolvePath });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { files: [], error: redact(message) };
  }
  const files: ApprovalFile[] = [];
  let budget: number = PREVIEW_LIMITS.linesInAll;
  for (const c of planned) {
    const file = fileOf(c, paths.get(`write:${c.path}`), workspace, budget, redact, readable);
    budget -= file.lines.length;
    files.push(file);
  }
  return { files, error: null };
}
