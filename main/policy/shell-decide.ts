import { builtinRef } from './rules';
import type { Verdict } from './command-types';
import type { CommandView } from './normalise';
import type { CompiledRule } from './rules';
import type { SimpleCommand } from './shell-parser';
import { analyseShell, stdinOf } from './shell-invocation';

const UNSEEN = builtinRef('a shell script the policy cannot see is never allowed');

/** How a shell command is decided: the scripts to decide as commands, and what else it needs. */
export interface ShellPlan {
  /** Script texts that reach the shell and are decided as commands. */
  readonly scripts: readonly string[];
  /** The shell's own verdict (unseen scripts, options not understood), or null. */
  readonly verdict: Verdict | null;
  /** True when it runs text the policy cannot see (then the visible text is scanned). */
  readonly unseen: boolean;
}

/**
 * Decide what a shell (`bash`, `sh -c`, `sh -s <<< ...`) runs. A `-c` string, a here-string or a
 * heredoc with literal text is decided as commands; a pipe, a file, a process substitution or a
 * computed string cannot be seen, so it is asked about (and the whole line scanned for denials).
 */
export function planShell(
  cmd: SimpleCommand,
  view: CommandView,
  allowRule: (argv: readonly string[]) => CompiledRule | null,
): ShellPlan {
  const run = analyseShell(view.words);
  const unsure: Verdict | null = run.unsure
    ? {
        decision: 'prompt',
        reason: run.unsure,
        rule: builtinRef('shell options must be understood'),
      }
    : null;
  const ask = (reason: string): ShellPlan => ({
    scripts: [],
    verdict: { decision: 'prompt', reason, rule: UNSEEN },
    unseen: true,
  });
  const source = run.source;
  switch (source.kind) {
    case 'string': {
      if (!source.script) return ask('the shell was given `-c` without a command');
      if (source.script.dynamic)
        return ask(`the shell runs a command computed at run time (${source.script.text})`);
      return { scripts: [source.script.value], verdict: unsure, unseen: false };
    }
    case 'stdin': {
      const stdin = stdinOf(cmd.redirects);
      if (stdin.kind === 'inherited')
        return ask('the shell runs a script from its standard input, which the policy cannot see');
      if (stdin.kind === 'file') return ask(`the shell runs a script from a file (${stdin.text})`);
      if (stdin.text.dynamic) return ask('the shell runs a script that is computed at run time');
      return { scripts: [stdin.text.value], verdict: unsure, unseen: false };
    }
    case 'file': {
      if (source.word.dynamic)
        return ask(`the shell runs a script it reads from \`${source.word.text}\``);
      // A rule that names the script itself (`allow_list = ["bash scripts/build.sh"]`) allows it.
      const rule = allowRule(view.argv);
      if (rule?.covers(view.argv, source.index))
        return { scripts: [], verdict: unsure, unseen: false };
      return ask(
        `the shell runs the script file ${source.word.value}, which the policy cannot see`,
      );
    }
  }
}
