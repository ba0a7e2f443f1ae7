import type { ShellWord } from './shell-words';
import { joined, scanOptions, shellRun, synthetic } from './wrapper-scan';
import { CUSTOM_WRAPPERS, WRAPPER_SPECS, type WrapperSpec } from './wrapper-specs';

/** What a wrapper runs: the wrapped command's words (empty when it runs nothing else). */
export interface Peeled {
  readonly rest: readonly ShellWord[];
  /** `NAME=VALUE` the wrapper sets for the command. */
  readonly env: readonly string[];
  /** Why the wrapped command is only a guess, or null when every option was understood. */
  readonly unsure: string | null;
}

/** Peel one wrapper off `words`, or null when words[0] (normalised) is no wrapper. */
export function peelWrapper(program: string, words: readonly ShellWord[]): Peeled | null {
  const spec = WRAPPER_SPECS[program];
  if (spec) return peelBySpec(words, spec);
  if (!(program in CUSTOM_WRAPPERS)) return null;
  return peelCustom(program, words);
}

function peelBySpec(words: readonly ShellWord[], spec: WrapperSpec): Peeled {
  const s = scanOptions(words, spec);
  let i = s.i;
  if (spec.optionalPositional && spec.optionalPositional.test(s.words[i]?.value ?? '')) i++;
  i += spec.positionals ?? 0;
  const after = s.words[i]?.value ?? '';
  // `flock FILE -c 'cmd'`: the command string may follow the positional.
  if (spec.shell?.includes(after)) {
    const script = s.words[i + 1];
    if (script) s.script = script;
    else s.unsure ??= `\`${after}\` has no command`;
  }
  if (s.noCommand) return { rest: [], env: s.env, unsure: s.unsure };
  if (s.script) return { rest: shellRun(s.script), env: s.env, unsure: s.unsure };
  const rest = s.words.slice(i);
  if (rest.length === 0 && spec.bare === 'shell')
    return { rest: [], env: s.env, unsure: s.unsure ?? 'it starts an interactive shell' };
  return { rest, env: s.env, unsure: s.unsure };
}

const SU: WrapperSpec = {
  flags: ['-l', '--login', '-m', '-p', '--preserve-environment', '-P', '--pty', '-f', '--fast'],
  args: ['-g', '--group', '-G', '--supp-group', '-w', '--whitelist-environment'],
  shell: ['-c', '--command', '--session-command'],
  noCommand: ['-s', '--shell'],
};
const RUNUSER: WrapperSpec = { ...SU, args: [...(SU.args ?? []), '-u', '--user'] };

const WATCH: WrapperSpec = {
  flags: ['-b', '--beep', '-c', '--color', '-C', '--no-color', '-e', '--errexit', '-g'],
  args: ['-n', '--interval', '-q', '--equexit'],
  optional: ['-d', '--differences'],
};
const WATCH_MORE = ['--chgexit', '-t', '--no-title', '-w', '--no-wrap', '-p', '--precise'];
const WATCH_EXEC = ['-x', '--exec'];
const WATCH_SPEC: WrapperSpec = {
  ...WATCH,
  flags: [...(WATCH.flags ?? []), ...WATCH_MORE, ...WATCH_EXEC],
};

const PARALLEL: WrapperSpec = {
  flags: ['-k', '--keep-order', '-q', '--quote', '-u', '--ungroup', '--line-buffer', '--tag'],
  args: ['-j', '--jobs', '-P', '-n', '--max-args', '-N', '-I', '--colsep', '-d', '--delimiter'],
  optional: ['--eta', '--bar', '--progress', '-0', '--null', '--dry-run', '-v', '--verbose'],
  noCommand: ['-a', '--arg-file', '-S', '--sshlogin', '--pipe'],
};
const PARALLEL_SEPARATOR = /^::::?\+?$/;
const MAX_PARALLEL_ARGS = 64;

function peelCustom(program: string, words: readonly ShellWord[]): Peeled {
  switch (program) {
    case 'su':
    case 'runuser':
      return peelSu(words, program === 'su' ? SU : RUNUSER);
    case 'sg': {
      let i = words[1]?.value === '-' ? 2 : 1;
      i++; // the group
      if (words[i]?.value === '-c') i++;
      const command = words.slice(i);
      if (command.length === 0)
        return { rest: [], env: [], unsure: '`sg` without a command starts a shell' };
      return { rest: shellRun(joined(command)), env: [], unsure: null };
    }
    case 'watch': {
      const s = scanOptions(words, WATCH_SPEC);
      const command = s.words.slice(s.i);
      const exec = WATCH_EXEC.some((o) => s.seen.has(o));
      if (command.length === 0) return { rest: [], env: [], unsure: s.unsure };
      return { rest: exec ? command : shellRun(joined(command)), env: [], unsure: s.unsure };
    }
    case 'parallel':
      return peelParallel(words);
    case 'busybox': {
      const applet = words[1]?.value ?? '-';
      return { rest: applet.startsWith('-') ? [] : words.slice(1), env: [], unsure: null };
    }
    default:
      return { rest: [], env: [], unsure: `\`${program}\` is not understood` };
  }
}

/** `su [opts] [-] [user [shell args]]`; `runuser -u user -- cmd` runs cmd itself. */
function peelSu(words: readonly ShellWord[], spec: WrapperSpec): Peeled {
  const s = scanOptions(words, spec, true);
  if (s.noCommand) return { rest: [], env: [], unsure: '`-s` picks another shell' };
  if (s.seen.has('-u') || s.seen.has('--user'))
    return { rest: s.operands, env: [], unsure: s.unsure };
  const operands = s.operands[0]?.value === '-' ? s.operands.slice(1) : s.operands;
  const shellArgs = operands.slice(1);
  if (s.script) return { rest: [...shellRun(s.script), ...shellArgs], env: [], unsure: s.unsure };
  if (shellArgs.length > 0)
    return { rest: [synthetic('sh'), ...shellArgs], env: [], unsure: s.unsure };
  return { rest: [], env: [], unsure: s.unsure ?? 'it starts an interactive shell' };
}

/** `parallel TEMPLATE ::: ARGS`: each job is a shell line; jobs read from stdin are not seen. */
function peelParallel(words: readonly ShellWord[]): Peeled {
  const s = scanOptions(words, PARALLEL);
  const sep = s.words.findIndex((w, k) => k >= s.i && PARALLEL_SEPARATOR.test(w.value));
  const template = s.words.slice(s.i, sep < 0 ? undefined : sep);
  let unseen = s.noCommand || sep < 0;
  const args: ShellWord[] = [];
  let from = ':::';
  for (const w of sep < 0 ? [] : s.words.slice(sep)) {
    if (PARALLEL_SEPARATOR.test(w.value)) from = w.value;
    else if (from.startsWith('::::')) unseen = true;
    else args.push(w);
  }
  if (args.length > MAX_PARALLEL_ARGS) unseen = true;
  const unsure = unseen ? 'GNU parallel reads its jobs at run time' : s.unsure;
  const line = (arg: ShellWord | null): string => {
    const text = template.map((w) => w.value).join(' ');
    if (!arg) return text.includes('{}') ? text : `${text} {}`;
    const quoted = `'${arg.value.replace(/'/g, `'\\''`)}'`;
    return text.includes('{}') ? text.split('{}').join(quoted) : `${text} ${quoted}`;
  };
  const lines = template.length === 0 ? args.map((a) => a.value) : args.slice(0, 64).map(line);
  if (template.length > 0 && unseen) lines.push(line(null));
  if (lines.length === 0) return { rest: [], env: [], unsure };
  const dynamic = [...template, ...args].some((w) => w.dynamic);
  return { rest: shellRun(synthetic(lines.join('\n'), dynamic)), env: [], unsure };
}
