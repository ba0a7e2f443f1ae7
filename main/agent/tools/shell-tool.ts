import { z } from 'zod';
import { clip, defineTool, fail, ok } from './tool-types';

/** The most command output the model gets back (head and tail are kept). */
const MAX_OUTPUT_CHARS = 32 * 1024;

export const execCommandTool = defineTool({
  name: 'exec_command',
  summary: 'Run a shell command in the workspace, inside the sandbox',
  description:
    'Run a shell command in the workspace, in the sandbox, and return its exit code and output (plain text). cwd is relative to the workspace.',
  schema: z.object({
    command: z
      .string()
      .min(1, 'command is empty')
      .max(64 * 1024),
    cwd: z.string().min(1).max(4096).optional(),
    timeout_secs: z.number().positive().max(3600).optional(),
  }),
  subjects: (a) => [
    { kind: 'command', command: a.command, ...(a.cwd ? { cwd: a.cwd } : {}) },
    ...(a.cwd ? [{ kind: 'path' as const, path: a.cwd, op: 'read' as const }] : []),
  ],
  async execute(a, ctx) {
    if (!ctx.runner || !ctx.runnerSettings)
      return fail('running commands is not available in this session');
    const cwd = a.cwd ? ctx.resolvePath(a.cwd, 'read') : undefined;
    const runId = await ctx.runner.start({
      request: {
        command: a.command,
        ...(cwd ? { cwd } : {}),
        ...(a.timeout_secs ? { timeoutSeconds: a.timeout_secs } : {}),
      },
      workspace: ctx.workspace,
      settings: ctx.runnerSettings,
      ...(ctx.origin ? { origin: ctx.origin } : {}),
    });
    const onAbort = (): void => void ctx.runner?.cancel(runId);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const { exit, text } = await ctx.runner.wait(runId);
      const output = clip(text.trimEnd(), MAX_OUTPUT_CHARS);
      const head =
        exit.outcome === 'exited'
          ? `exit code ${exit.exitCode ?? `signal ${exit.signal ?? '?'}`}`
          : `${exit.outcome.replace('_', ' ')}${exit.message ? `: ${exit.message}` : ''}`;
      const violations =
        exit.violations > 0 ? `\n[the sandbox blocked ${exit.violations} action(s)]` : '';
      const failed = exit.outcome === 'exited' && exit.exitCode !== 0;
      const hint = failed
        ? readOnlyHint(ctx.runnerSettings.mode, ctx.policy.config.trust, text, exit.violations) ||
          protectedHint(ctx.runnerSettings.mode, text, (p) => ctx.policy.decidePath(p, 'write'))
        : '';
      const body = `${head}${violations}\n${output || '(no output)'}${hint}`;
      return exit.outcome === 'exited' && exit.exitCode === 0 ? ok(body) : fail(body);
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
    }
  },
});

const WRITE_REFUSED = /Read-only file system|Permission denied|Operation not permitted/;

/**
 * One plain line when a command failed because the sandbox is read-only: why, and the setting
 * that would let it write (for the person reading the card and for the model).
 */
export function readOnlyHint(
  mode: string,
  trust: 'trusted' | 'read_only' | 'unasked',
  text: string,
  violations: number,
): string {
  if (mode !== 'read_only' || (violations === 0 && !WRITE_REFUSED.test(text))) return '';
  if (trust !== 'trusted')
    return '\n[sandbox] blocked: this folder is open read-only (not trusted), so commands cannot write in it. To allow it, trust the folder (the badge in the top bar, or `vtcode-desktop trust DIR`).';
  return '\n[sandbox] blocked: commands run read-only here ([sandbox] default_policy = "read_only"). To allow writes inside the workspace, set default_policy = "workspace_write" in your user vtcode.toml (Policy panel, Edit: User file).';
}

/** Paths a failed write names: `cannot touch 'x': Read-only file system`, `bash: x: Read-only …`. */
export function refusedPaths(text: string): string[] {
  const found = new Set<string>();
  const quoted =
    /['‘"]([^'’"\n]{1,4096})['’"]: (?:Read-only file system|Permission denied|Operation not permitted)/g;
  const bare =
    /^(?:[\w./-]+: )?(?:line \d+: )?([^:\n]{1,4096}): (?:Read-only file system|Permission denied|Operation not permitted)$/gm;
  for (const m of text.matchAll(quoted)) if (m[1]) found.add(m[1]);
  for (const m of text.matchAll(bare)) if (m[1] && !m[1].includes("'")) found.add(m[1].trim());
  return [...found].slice(0, 5);
}

/**
 * In a writable sandbox, a write that failed on a protected or outside path gets one line saying
 * which path and why (the same words the file tools use), so the model stops retrying it.
 */
export function protectedHint(
  mode: string,
  text: string,
  decide: (path: string) => { decision: string; reason: string },
): string {
  if (mode !== 'workspace_write') return '';
  const lines: string[] = [];
  for (const path of refusedPaths(text)) {
    const d = decide(path);
    if (d.decision !== 'allow')
      lines.push(`[sandbox] blocked: ${path}: ${d.reason}. It stays read-only to commands.`);
  }
  return lines.length > 0 ? `\n${lines.join('\n')}` : '';
}
