import { parseArgs } from 'node:util';
import { UsageError, type CliCommand } from '../command';
import { policyBacktest } from './policy-backtest';
import { policyCheck } from './policy-check';
import type { PolicySubcommand } from './policy-context';

/** Every `policy` subcommand; each lives in its own `policy-<name>.ts`. */
const SUBCOMMANDS: Readonly<Record<string, PolicySubcommand>> = {
  check: policyCheck,
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
                    from stdin and print one JSON line per input line`,

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
