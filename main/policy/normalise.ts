/**
 * Normalise a command's words the way the shell would run them: system paths stripped from the
 * program name, and wrappers (env, command, exec, nohup, timeout, nice, xargs, sudo ...) looked
 * through. Each wrapper peeled off yields one more "view" of the command.
 */

const SYSTEM_BIN_DIRS = [
  '/bin/',
  '/usr/bin/',
  '/usr/local/bin/',
  '/sbin/',
  '/usr/sbin/',
  '/usr/local/sbin/',
  '/opt/homebrew/bin/',
  '/run/current-system/sw/bin/',
];

/** `/usr/bin/rm` -> `rm`; other paths (`./rm`, `/tmp/x/rm`) stay as they are. */
export function normaliseProgram(word: string): string {
  for (const dir of SYSTEM_BIN_DIRS) {
    if (word.startsWith(dir) && !word.slice(dir.length).includes('/') && word.length > dir.length) {
      return word.slice(dir.length);
    }
  }
  return word;
}

/** The last path component, for deny checks that must also catch `/tmp/evil/rm`. */
export function programBasename(word: string): string {
  const at = word.lastIndexOf('/');
  return at >= 0 && at < word.length - 1 ? word.slice(at + 1) : word;
}

/** Options of each wrapper that take a separate argument. */
const WRAPPER_ARG_OPTIONS: Readonly<Record<string, ReadonlySet<string>>> = {
  env: new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string']),
  command: new Set<string>(),
  builtin: new Set<string>(),
  exec: new Set(['-a']),
  nohup: new Set<string>(),
  time: new Set(['-f', '--format', '-o', '--output']),
  nice: new Set(['-n', '--adjustment']),
  ionice: new Set(['-c', '-n', '-p', '--class', '--classdata']),
  stdbuf: new Set(['-i', '-o', '-e']),
  timeout: new Set(['-s', '--signal', '-k', '--kill-after']),
  xargs: new Set([
    '-a',
    '--arg-file',
    '-d',
    '--delimiter',
    '-E',
    '-e',
    '-I',
    '-L',
    '-l',
    '-n',
    '--max-args',
    '-P',
    '--max-procs',
    '-s',
    '--max-chars',
  ]),
  sudo: new Set([
    '-u',
    '--user',
    '-g',
    '--group',
    '-C',
    '--close-from',
    '-D',
    '--chdir',
    '-h',
    '--host',
    '-p',
    '--prompt',
    '-r',
    '--role',
    '-t',
    '--type',
    '-T',
    '--command-timeout',
    '-U',
    '--other-user',
  ]),
  doas: new Set(['-u', '-C']),
};

/** Wrappers that run their command as another user: never allowed without a rule for the whole. */
export const ELEVATING_WRAPPERS: ReadonlySet<string> = new Set(['sudo', 'doas']);

export interface CommandView {
  /** The words of this view, program normalised. */
  readonly argv: readonly string[];
  /** Variable assignments the wrappers set (`env X=1 cmd`). */
  readonly envAssignments: readonly string[];
  /** The wrapper peeled off to reach the next view, if any. */
  readonly wrapper: string | null;
  /** True when the wrapper's options could not be understood (the inner command is a guess). */
  readonly unsure: boolean;
}

function isAssignment(word: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*=/.test(word);
}

function peel(argv: readonly string[]): { rest: string[]; env: string[]; unsure: boolean } | null {
  const program = argv[0] ?? '';
  const argOptions = WRAPPER_ARG_OPTIONS[program];
  if (!argOptions) return null;
  const env: string[] = [];
  let unsure = false;
  let i = 1;
  // `command -v x` and `command -V x` only look a name up; they still name the command.
  while (i < argv.length) {
    const word = argv[i] ?? '';
    if (word === '--') {
      i++;
      break;
    }
    if (program === 'env' && isAssignment(word)) {
      env.push(word);
      i++;
      continue;
    }
    if (word.startsWith('-') && word !== '-') {
      if (program === 'env' && (word === '-S' || word.startsWith('--split-string'))) unsure = true;
      const name = word.includes('=') ? word.slice(0, word.indexOf('=')) : word;
      i += argOptions.has(name) && !word.includes('=') ? 2 : 1;
      continue;
    }
    if (program === 'timeout' && /^[0-9.]+[smhd]?$/.test(word)) {
      i++;
      break;
    }
    break;
  }
  if (program === 'timeout' && i < argv.length && /^[0-9.]+[smhd]?$/.test(argv[i] ?? '')) i++;
  return { rest: argv.slice(i), env, unsure };
}

/** Every view of a command, from the words as written to the innermost wrapped command. */
export function commandViews(words: readonly string[]): CommandView[] {
  const views: CommandView[] = [];
  let argv = words.length > 0 ? [normaliseProgram(words[0] ?? ''), ...words.slice(1)] : [];
  let unsure = false;
  const envAll: string[] = [];
  for (let depth = 0; depth < 16; depth++) {
    const peeled = peel(argv);
    if (!peeled || peeled.rest.length === 0) {
      views.push({ argv, envAssignments: [...envAll], wrapper: null, unsure });
      return views;
    }
    views.push({ argv, envAssignments: [...envAll], wrapper: argv[0] ?? null, unsure });
    envAll.push(...peeled.env);
    unsure ||= peeled.unsure;
    argv = [normaliseProgram(peeled.rest[0] ?? ''), ...peeled.rest.slice(1)];
  }
  views.push({ argv, envAssignments: [...envAll], wrapper: null, unsure: true });
  return views;
}
