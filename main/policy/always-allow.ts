import type { AlwaysAllowResult, AlwaysAllowRule } from '../../shared/domain/policy';
import type { ConfigStore } from '../config/config-store';
import type { PolicyEngine } from './engine';
import { commandText } from './rules';

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

const JS_PACKAGE_RUNNERS = ['npm', 'npx', 'pnpm', 'yarn', 'bun'];
const INSTALLS = ['install', 'i', 'add', 'exec', 'x', 'dlx', 'create', 'init'];

// Subcommands whose plain arguments name code to install or run (`npm install evil`,
// `uv run anything`, `git submodule foreach cmd`): a subcommand rule would allow any such code.
export const CODE_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  npm: INSTALLS,
  pnpm: INSTALLS,
  yarn: INSTALLS,
  bun: [...INSTALLS, 'run'],
  pip: ['install', 'download', 'wheel'],
  poetry: ['add', 'run'],
  uv: ['run', 'pip', 'tool', 'add'],
  cargo: ['install'],
  go: ['run', 'get', 'install', 'generate', 'tool'],
  docker: ['run', 'exec', 'create', 'plugin'],
  kubectl: ['exec', 'run', 'debug'],
  gh: ['extension', 'ext', 'alias'],
  brew: ['install', 'reinstall', 'tap'],
  apt: ['install', 'reinstall'],
  rustup: ['run'],
  dotnet: ['tool', 'add'],
  helm: ['install', 'upgrade', 'plugin'],
  deno: ['run', 'eval', 'install', 'x'],
  mix: ['run', 'archive.install', 'escript.install'],
  bundle: ['exec', 'add'],
  composer: ['require', 'exec', 'global', 'create-project'],
  git: ['config', 'submodule', 'bisect', 'difftool', 'mergetool'],
};

// Programs that run a script named by their next argument (`npx tsx any.ts`, `yarn node x.js`).
const INTERPRETERS = new Set([
  'node',
  'tsx',
  'ts-node',
  'vite-node',
  'babel-node',
  'zx',
  'bun',
  'deno',
  'python',
  'python3',
  'ruby',
  'perl',
  'php',
  'sh',
  'bash',
  'zsh',
]);

/**
 * A plain argument of a subcommand rule: a name, a path, a ref. Not an option (`-`), not a forced
 * or deleting refspec (`+main`, `:main`), no `=` (`make SHELL=...`), no quotes or spaces.
 */
const PLAIN_ARGUMENT = '[A-Za-z0-9_@%,./~][A-Za-z0-9_@%,./~+:-]*';
const PLAIN_ARGUMENT_TEXT = `plain arguments (names and paths: no options such as --force, no +ref or :ref, no VAR=value, no quotes)`;

/** Why a command cannot become a permanent rule. */
export class AlwaysAllowError extends Error {}

/** `text` as a regex that matches exactly it (metacharacters escaped; valid in JS and in Rust). */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** The `allow_regex` entry that allows exactly this normalised argv and nothing more. */
export function exactRule(argv: readonly string[]): AlwaysAllowRule {
  const text = commandText(argv);
  return {
    list: 'allow_regex',
    entry: `^${escapeRegex(text)}$`,
    covers: `exactly \`${text}\`: no other arguments, nothing added`,
  };
}

/** The subcommand rule for an argv, or the reason there is none. */
function subcommandRule(argv: readonly string[]): AlwaysAllowRule {
  const [program = '', sub = ''] = argv;
  const only = 'only the exact command can be always allowed';
  if (!SUBCOMMAND_PROGRAMS.has(program) || sub === '' || sub.startsWith('-'))
    throw new AlwaysAllowError(`\`${commandText(argv)}\` has no subcommand to allow; ${only}`);
  const runs = CODE_ARGUMENTS[program]?.includes(sub) === true;
  const interprets = JS_PACKAGE_RUNNERS.includes(program) && INTERPRETERS.has(sub);
  if (runs || interprets)
    throw new AlwaysAllowError(
      `the arguments of \`${program} ${sub}\` name code to install or run; ${only}`,
    );
  const head = `${escapeRegex(program)} ${escapeRegex(sub)}`;
  const entry = `^${head}( ${PLAIN_ARGUMENT})*$`;
  const rest = argv.slice(2).filter((w) => !new RegExp(`^${PLAIN_ARGUMENT}$`, 'u').test(w));
  if (rest.length > 0)
    throw new AlwaysAllowError(
      `a subcommand rule covers ${PLAIN_ARGUMENT_TEXT}, so it would not cover ${rest
        .map((w) => `\`${commandText([w])}\``)
        .join(', ')}; ${only}`,
    );
  return {
    list: 'allow_regex',
    entry,
    covers: `\`${program} ${sub}\` followed by any ${PLAIN_ARGUMENT_TEXT}`,
  };
}

/**
 * The rules that cover an approved command: for each part no rule allows yet, an `allow_regex`
 * entry for exactly that part, or (scope `subcommand`) its program and subcommand with plain
 * arguments. Never for a command with a denied part or a part that must be asked every time.
 */
export function deriveAlwaysAllowRules(
  engine: PolicyEngine,
  command: string,
  scope: 'exact' | 'subcommand',
): AlwaysAllowRule[] {
  const decision = engine.decideCommand(command);
  const denied = decision.parts.find((p) => p.decision === 'deny');
  if (denied)
    throw new AlwaysAllowError(
      `cannot always allow a command with a denied part: ${denied.reason}`,
    );
  const rules: AlwaysAllowRule[] = [];
  for (const part of decision.parts) {
    if (part.decision === 'allow') continue;
    if (part.rule?.kind === 'builtin' || part.argv.length === 0) {
      throw new AlwaysAllowError(`\`${part.text}\` needs approval every time: ${part.reason}`);
    }
    const rule = scope === 'subcommand' ? subcommandRule(part.argv) : exactRule(part.argv);
    if (!rules.some((r) => r.entry === rule.entry)) rules.push(rule);
  }
  return rules;
}

/** Add the derived rules to `[commands] allow_regex` in the workspace vtcode.toml. */
export async function alwaysAllow(
  engine: PolicyEngine,
  store: ConfigStore,
  workspaceFile: string,
  command: string,
  scope: 'exact' | 'subcommand' = 'exact',
): Promise<AlwaysAllowResult> {
  const entries = deriveAlwaysAllowRules(engine, command, scope).map((r) => r.entry);
  const existing = engine.config.commands.allow_regex
    .filter((e) => e.source.file === workspaceFile)
    .map((e) => e.entry);
  const added = entries.filter((e) => !existing.includes(e));
  if (added.length > 0) {
    await store.setValue(workspaceFile, 'commands', 'allow_regex', [...existing, ...added]);
  }
  return { list: 'allow_regex', added, file: workspaceFile };
}
