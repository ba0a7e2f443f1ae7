import { execFile } from 'node:child_process';
import { relative } from 'node:path';
import { z } from 'zod';
import { isInside } from '../../guard/paths';
import type { ProtectionModel } from '../../guard/model';
import { clip, defineTool, fail, ok } from './tool-types';

/** Exclusion globs for secrets inside the workspace: .env files and sensitive entries. */
export function hiddenGlobs(guard: ProtectionModel): string[] {
  // Case-insensitive (`.Env` too), every spelling the guard treats as an env file.
  const globs = ['.env', '.env.*', '.env-*', '.env_*', '.envrc'].map((g) => `--iglob=!**/${g}`);
  for (const entry of guard.sensitive) {
    const root = isInside(entry.path, guard.workspaceReal)
      ? guard.workspaceReal
      : isInside(entry.path, guard.workspace)
        ? guard.workspace
        : null;
    if (root === null) continue;
    const rel = relative(root, entry.path);
    if (rel === '') return ['--glob=!**'];
    globs.push(`--glob=!/${rel}`, `--glob=!/${rel}/**`);
  }
  return globs;
}

const MAX_OUTPUT_CHARS = 64 * 1024;

interface RgOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runRg(args: readonly string[], cwd: string, signal: AbortSignal): Promise<RgOutcome> {
  return new Promise((resolve, reject) => {
    execFile(
      'rg',
      [...args],
      {
        cwd,
        signal,
        maxBuffer: 8 * 1024 * 1024,
        timeout: 60_000,
        env: { PATH: process.env.PATH ?? '' },
      },
      (error, stdout, stderr) => {
        if (error && (error as { code?: unknown }).code === 'ENOENT') {
          reject(new Error('ripgrep (rg) is not installed'));
          return;
        }
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export const codeSearchTool = defineTool({
  name: 'code_search',
  summary: 'Search the contents of files in the workspace',
  description:
    'Search file contents in the workspace with ripgrep. pattern is a regular expression (or literal text with literal=true); glob filters files (e.g. "*.ts"). Returns path:line:text.',
  schema: z.object({
    pattern: z.string().min(1, 'pattern is empty').max(4096),
    path: z.string().min(1).max(4096).default('.'),
    glob: z.string().max(256).optional(),
    literal: z.boolean().default(false),
    case_insensitive: z.boolean().default(false),
    max_results: z.number().int().min(1).max(5000).default(200),
  }),
  subjects: (a) => [{ kind: 'path', path: a.path, op: 'read' }],
  async execute(a, ctx) {
    const target = ctx.resolvePath(a.path, 'read');
    const args = [
      '--line-number',
      '--no-heading',
      '--color=never',
      '--max-columns=400',
      '--max-columns-preview',
      `--max-count=${a.max_results}`,
      // The agent's own state is not the project's code.
      '--glob=!.vtcode/**',
      '--glob=!.git/**',
    ];
    if (a.literal) args.push('--fixed-strings');
    if (a.case_insensitive) args.push('--ignore-case');
    if (a.glob) args.push(`--glob=${a.glob}`);
    // rg runs on the host: what the guard hides is excluded last, so no glob or ignore file a
    // repository ships (`.ignore` with `!.env`) can bring it back (later globs win in rg).
    args.push('--no-ignore-dot', ...hiddenGlobs(ctx.policy.guard));
    args.push('--regexp', a.pattern, '--', relative(ctx.workspace, target) || '.');
    const r = await runRg(args, ctx.workspace, ctx.signal);
    if (r.code === 1) return ok(`No matches for ${JSON.stringify(a.pattern)} in ${a.path}`);
    if (r.code !== 0)
      return fail(`code_search failed: ${r.stderr.trim() || `rg exited with ${r.code}`}`);
    const lines = r.stdout.split('\n').filter((l) => l.length > 0);
    const shown = lines.slice(0, a.max_results);
    const more =
      lines.length > shown.length ? `\n[… ${lines.length - shown.length} more matches]` : '';
    return ok(clip(shown.join('\n') + more, MAX_OUTPUT_CHARS));
  },
});
