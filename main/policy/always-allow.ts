import type { AlwaysAllowResult } from '../../shared/domain/policy';
import type { ConfigStore } from '../config/config-store';
import type { PolicyEngine } from './engine';
import { quoteEntryWord } from './rules';

// Programs whose second word is a subcommand (`git status`, `npm test`).
const SUBCOMMAND_PROGRAMS = new Set([
  'git',
  'npm',
  'npx',
  'pnpm',
  'yarn',
  'bun',
  'cargo',
  'go',
  'docker',
  'kubectl',
  'make',
  'pip',
  'poetry',
  'uv',
  'dotnet',
  'gradle',
  'mvn',
  'brew',
  'apt',
  'gh',
  'rustup',
  'deno',
  'node',
  'python',
  'python3',
  'terraform',
  'helm',
  'swift',
  'mix',
  'bundle',
  'rake',
  'composer',
]);

/** Why a command cannot become a permanent rule. */
export class AlwaysAllowError extends Error {}

/**
 * The narrowest `approval_prefixes` entries that cover an approved command: the exact command, or
 * the program plus its subcommand. Never a bare program, never for a command with a denied part.
 */
export function deriveAlwaysAllowRules(
  engine: PolicyEngine,
  command: string,
  scope: 'exact' | 'subcommand',
): string[] {
  const decision = engine.decideCommand(command);
  const denied = decision.parts.find((p) => p.decision === 'deny');
  if (denied)
    throw new AlwaysAllowError(
      `cannot always allow a command with a denied part: ${denied.reason}`,
    );
  const entries: string[] = [];
  for (const part of decision.parts) {
    if (part.decision === 'allow') continue;
    if (part.rule?.kind === 'builtin' || part.argv.length === 0) {
      throw new AlwaysAllowError(`\`${part.text}\` needs approval every time: ${part.reason}`);
    }
    const argv = part.argv;
    let words: readonly string[];
    if (
      scope === 'subcommand' &&
      SUBCOMMAND_PROGRAMS.has(argv[0] ?? '') &&
      argv[1] &&
      !argv[1].startsWith('-')
    ) {
      words = argv.slice(0, 2);
    } else {
      words = argv;
    }
    if (words.length < 2) {
      throw new AlwaysAllowError(
        `\`${argv[0] ?? ''}\` alone would allow every use of the program; add it to allow_list by hand if you mean that`,
      );
    }
    const entry = words.map(quoteEntryWord).join(' ');
    if (!entries.includes(entry)) entries.push(entry);
  }
  return entries;
}

/** Add the derived rules to `[commands] approval_prefixes` in the workspace vtcode.toml. */
export async function alwaysAllow(
  engine: PolicyEngine,
  store: ConfigStore,
  workspaceFile: string,
  command: string,
  scope: 'exact' | 'subcommand' = 'exact',
): Promise<AlwaysAllowResult> {
  const entries = deriveAlwaysAllowRules(engine, command, scope);
  const existing = engine.config.commands.approval_prefixes
    .filter((e) => e.source.file === workspaceFile)
    .map((e) => e.entry);
  const added = entries.filter((e) => !existing.includes(e));
  if (added.length > 0) {
    await store.setValue(workspaceFile, 'commands', 'approval_prefixes', [...existing, ...added]);
  }
  return { added, file: workspaceFile };
}
