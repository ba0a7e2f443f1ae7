import { parseArgs } from 'node:util';
import { UsageError, type CliCommand } from '../command';
import { policyActivity } from './policy-activity';
import { policyBacktest } from './policy-backtest';
import { policyCheck } from './policy-check';
import { policyImport } from './policy-import';
import { policyExplain } from './policy-explain';
import { policyLint } from './policy-lint';
import type { PolicySubcommand } from './policy-context';

/** Every `policy` subcommand; each lives in its own `policy-<name>.ts`. */
const SUBCOMMANDS: Readonly<Record<string, PolicySubcommand>> = {
  check: policyCheck,
  activity: policyActivity,
  import: policyImport,
  lint: policyLint,
  explain: policyExplain,
  backtest: policyBacktest,
};

export const policyCommand: CliCommand = {
  name: 'policy',
  summary: 'Check, explain and lint the tool policy (vtcode.toml); one JSON line per result',
  usage: `${Object.values(SUBCOMMANDS)
    .map((s) => s.usage)
    .join('\n       ')}

  --workspace DIR   the workspace (its vtcode.toml over the user's, its activity log)
  --config FILE     use only this vtcode.toml (default: the workspace's, over the user's);
                    (backtest) the edited policy to replay the workspace's history under
  --batch           (check) read JSON lines {"command":"..."} or {"path":"...","op":"read"|"write"}
                    from stdin and print one JSON line per input line
  --since DATE      (activity) records from this day or time on (2026-11-30, 2026-11-30T10:00Z)
  --decision D      (activity) only records whose decision is allow, prompt or deny
  --tool T          (activity) only this tool's records
  --limit N         (activity) only the newest N (still printed oldest first)
  --from claude|codex  (import) whose rules: FILE, or the files that tool keeps its rules in
  --write           (import) add the new rules to vtcode.toml (--target workspace|user); rules
                    flagged as running anything only with --include-flagged
  --mode MODE       (explain) plan, ask, auto_edit or full_auto (default: [agent] default_primary_agent)

  lint exits 1 when a finding is an error (a rule that runs anything, an unanchored allow regex).`,

  async run(args, io) {
    // The subcommand comes first: `policy lint --workspace DIR`.
    const name = args[0] ?? '';
    const sub = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
    if (!sub)
      throw new UsageError(
        `unknown policy subcommand: ${name || '(none)'}; try one of: ${Object.keys(SUBCOMMANDS).join(', ')}`,
      );
    const { values, positionals } = parseArgs({
      args: args.slice(1),
      options: {
        workspace: { type: 'string' },
        config: { type: 'string' },
        ...sub.options,
      },
      strict: true,
      allowPositionals: true,
    });
    return sub.run(values, positionals, io);
  },
};
