/**
 * Programs that run their arguments as a command, and how each reads its own options (from their
 * man pages: coreutils, util-linux, procps, sudo, GNU parallel ...). An option not listed here makes
 * the wrapped command a guess, so the command is asked about, never allowed.
 */
export interface WrapperSpec {
  /** Options that take no argument. */
  readonly flags?: readonly string[];
  /** Options that take an argument (`-w 5`, `-w5`, `--wait=5`, `--wait 5`). */
  readonly args?: readonly string[];
  /** Options whose argument, if any, is attached (`-i{}`, `--mount=/x`): never the next word. */
  readonly optional?: readonly string[];
  /** Options whose argument is a shell command string (`flock -c 'cmd'`). */
  readonly shell?: readonly string[];
  /** Options whose argument is `NAME=VALUE` set for the command (`strace -E LD_PRELOAD=x`). */
  readonly env?: readonly string[];
  /** Options after which the words are not a command (`taskset -p`, `ionice -p`). */
  readonly noCommand?: readonly string[];
  /** Words before the command (`flock FILE`, `chroot NEWROOT`, `taskset MASK`). */
  readonly positionals?: number;
  /** A leading word of this form is a positional (`chrt [prio]`). */
  readonly optionalPositional?: RegExp;
  /** Every `--long` or `--long=value` option is understood (firejail takes no separate values). */
  readonly anyLong?: boolean;
  /** `env NAME=VALUE cmd`: leading assignments are set for the command. */
  readonly assignments?: boolean;
  /** `env -S STRING`: options whose argument is split into more arguments. */
  readonly split?: readonly string[];
  /** `nice -10`: a bare number is an option. */
  readonly numericOption?: boolean;
  /** What runs when no command is given: the wrapper itself, or an interactive shell. */
  readonly bare?: 'self' | 'shell';
  /** Runs the command as another user or with other privileges. */
  readonly elevates?: boolean;
}

const NICE_FLAGS = ['--help', '--version'];
const XARGS_MORE = ['--max-args', '--max-procs', '-s', '--max-chars'];
const XARGS_FLAGS = ['-x', '--exit', '-o', '--open-tty', '--interactive'];

/** The table. Peeling code for env, su/runuser, sg, watch, parallel and busybox is in wrappers.ts. */
export const WRAPPER_SPECS: Readonly<Record<string, WrapperSpec>> = {
  env: {
    assignments: true,
    split: ['-S', '--split-string'],
    flags: ['-', '-i', '--ignore-environment', '-0', '--null', '-v', '--debug'],
    args: ['-u', '--unset', '-C', '--chdir'],
    optional: ['--block-signal', '--default-signal', '--ignore-signal'],
    noCommand: ['--list-signal-handling'],
  },
  command: { flags: ['-p', '-v', '-V'] },
  builtin: {},
  exec: { flags: ['-c', '-l'], args: ['-a'] },
  nohup: { flags: NICE_FLAGS },
  time: {
    flags: ['-p', '-a', '--append', '-q', '--quiet', '-v', '--verbose', '--portability'],
    args: ['-f', '--format', '-o', '--output'],
  },
  nice: { args: ['-n', '--adjustment'], numericOption: true },
  ionice: {
    flags: ['-t', '--ignore'],
    args: ['-c', '--class', '-n', '--classdata'],
    noCommand: ['-p', '--pid', '-P', '--pgid', '-u', '--uid'],
  },
  stdbuf: { args: ['-i', '--input', '-o', '--output', '-e', '--error'] },
  timeout: {
    flags: ['--preserve-status', '--foreground', '-v', '--verbose'],
    args: ['-s', '--signal', '-k', '--kill-after'],
    positionals: 1,
  },
  xargs: {
    flags: ['-0', '--null', '-r', '--no-run-if-empty', '-t', '--verbose', '-p', ...XARGS_FLAGS],
    args: ['-a', '--arg-file', '-d', '--delimiter', '-E', '-I', '-L', '-n', '-P', ...XARGS_MORE],
    optional: ['-i', '--replace', '-e', '--eof', '-l', '--max-lines', '--process-slot-var'],
  },
  sudo: {
    flags: ['-A', '--askpass', '-b', '--background', '-E', '-H', '--set-home', '-k', '-n'],
    args: ['-u', '--user', '-g', '--group', '-C', '--close-from', '-D', '--chdir', '-h', '--host'],
    optional: ['--preserve-env'],
    noCommand: ['-K', '-l', '--list', '-v', '--validate', '-V', '--version', '-e', '--edit'],
    elevates: true,
  },
  doas: { flags: ['-n'], args: ['-u'], noCommand: ['-C', '-L'], elevates: true },
  setsid: { flags: ['-c', '--ctty', '-f', '--fork', '-w', '--wait'] },
  flock: {
    flags: ['-s', '--shared', '-x', '-e', '--exclusive', '-u', '--unlock', '-n', '--nb'],
    args: ['-w', '--wait', '--timeout', '-E', '--conflict-exit-code'],
    shell: ['-c', '--command'],
    positionals: 1,
  },
  script: {
    flags: ['-a', '--append', '-e', '--return', '-f', '--flush', '-q', '--quiet', '--force'],
    args: ['-E', '--echo', '-I', '--log-in', '-O', '--log-out', '-B', '--log-io', '-T'],
    optional: ['-t', '--timing'],
    shell: ['-c', '--command'],
    // `script [file]`: the operand is the typescript it writes, not a command.
    positionals: 1,
    bare: 'shell',
  },
  unbuffer: { flags: ['-p'] },
  chroot: {
    args: ['--userspec', '--groups'],
    flags: ['--skip-chdir'],
    positionals: 1,
    bare: 'shell',
    elevates: true,
  },
  chrt: {
    flags: [
      ...['-a', '--all-tasks', '-m', '--max', '-v', '--verbose', '-R', '--reset-on-fork'],
      ...['-b', '--batch', '-d', '--deadline', '-f', '--fifo', '-i', '--idle', '-o', '--other'],
      ...['-r', '--rr'],
    ],
    args: ['-T', '--sched-runtime', '-P', '--sched-period', '-D', '--sched-deadline'],
    noCommand: ['-p', '--pid'],
    optionalPositional: /^\d+$/,
  },
  taskset: {
    flags: ['-a', '--all-tasks', '-c', '--cpu-list'],
    noCommand: ['-p', '--pid'],
    positionals: 1,
  },
  nsenter: {
    flags: ['-a', '--all', '-F', '--no-fork', '--preserve-credentials', '-Z', '-e', '--env'],
    args: ['-t', '--target', '-S', '--setuid', '-G', '--setgid'],
    optional: ['-m', '-u', '-i', '-n', '-p', '-U', '-C', '-T', '-r', '-w'],
    bare: 'shell',
    elevates: true,
  },
  unshare: {
    flags: ['-u', '--uts', '-i', '--ipc', '-n', '--net', '-U', '--user', '-C', '--cgroup'],
    args: ['--propagation', '--setgroups', '-R', '--root', '-w', '--wd', '-S', '--setuid', '-G'],
    optional: ['-m', '--mount', '-p', '--pid', '-T', '--time', '--mount-proc', '--kill-child'],
    bare: 'shell',
  },
  firejail: { anyLong: true, bare: 'shell' },
  'systemd-run': {
    flags: ['--user', '--system', '--scope', '-r', '-P', '--pipe', '-t', '--pty', '-G', '-q'],
    args: ['-u', '--unit', '-p', '--property', '--description', '--slice', '--uid', '--gid'],
    env: ['-E', '--setenv'],
    noCommand: ['-S', '--shell'],
    bare: 'shell',
    elevates: true,
  },
  pkexec: {
    flags: ['--keep-cwd', '--disable-internal-agent'],
    args: ['--user'],
    bare: 'shell',
    elevates: true,
  },
  'xvfb-run': {
    flags: ['-a', '--auto-servernum', '-l', '--listen-tcp', '-d', '--auto-display'],
    args: ['-e', '--error-file', '-f', '--auth-file', '-n', '--server-num', '-s', '-w', '-p'],
  },
  'dbus-run-session': { args: ['--config-file'] },
  catchsegv: {},
  strace: {
    flags: ['-c', '-C', '-d', '-D', '-f', '-F', '-i', '-k', '-q', '-r', '-t', '-T', '-v', '-w'],
    args: ['-a', '-b', '-e', '-I', '-o', '--output', '-O', '-P', '-s', '-S', '-u', '-U', '-X'],
    env: ['-E', '--env'],
    noCommand: ['-p', '--attach'],
  },
  ltrace: {
    flags: ['-b', '-c', '-C', '-f', '-i', '-r', '-S', '-t', '-T', '-V'],
    args: ['-a', '-A', '-D', '-e', '-F', '-l', '-n', '-o', '--output', '-s', '-u', '-w', '-x'],
    noCommand: ['-p'],
  },
  caffeinate: { flags: ['-d', '-i', '-m', '-s', '-u'], args: ['-t', '-w'] },
  'ssh-agent': {
    flags: ['-c', '-s', '-D', '-d'],
    args: ['-a', '-E', '-P', '-t', '-O'],
    noCommand: ['-k'],
  },
  eatmydata: {},
  nocache: {},
  fakeroot: { flags: ['-u', '--unknown-is-real'], args: ['-l', '--lib', '-s', '-i', '-b'] },
  proxychains: { flags: ['-q'], args: ['-f'] },
  proxychains4: { flags: ['-q'], args: ['-f'] },
  torsocks: { flags: ['-q', '--quiet', '-i', '--isolate'], args: ['-u', '-p', '-a', '-P'] },
  linux32: { flags: ['-R', '-F', '-Z', '-L', '-X', '-B', '-I', '-S', '-T', '-3', '-v'] },
  linux64: { flags: ['-R', '-F', '-Z', '-L', '-X', '-B', '-I', '-S', '-T', '-3', '-v'] },
  setarch: { flags: ['-R', '-F', '-Z', '-L', '-X', '-B', '-I', '-S', '-T', '-3'], positionals: 1 },
};

/** Wrappers with hand-written peeling (see wrappers.ts), and whether they change the user. */
export const CUSTOM_WRAPPERS: Readonly<Record<string, { readonly elevates: boolean }>> = {
  su: { elevates: true },
  runuser: { elevates: true },
  sg: { elevates: true },
  watch: { elevates: false },
  parallel: { elevates: false },
  busybox: { elevates: false },
};

/** Wrappers that run their command as another user: never allowed without a rule for the whole. */
export const ELEVATING_WRAPPERS: ReadonlySet<string> = new Set([
  ...Object.entries(WRAPPER_SPECS)
    .filter(([, s]) => s.elevates)
    .map(([n]) => n),
  ...Object.entries(CUSTOM_WRAPPERS)
    .filter(([, s]) => s.elevates)
    .map(([n]) => n),
]);
