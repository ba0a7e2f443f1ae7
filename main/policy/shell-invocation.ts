import type { ShellRedirect } from './shell-parser';
import type { ShellWord } from './shell-words';

/** Programs that read shell script (their `-c` strings and stdin are decided as commands). */
export const SHELLS: ReadonlySet<string> = new Set([
  ...['bash', 'sh', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'rbash', 'yash', 'posh'],
  ...['csh', 'tcsh', 'ksh93', 'pdksh', 'oksh', 'loksh'],
]);

/** Where a shell gets its script, after its own options (`bash -o errexit -c -- 'script'`). */
export type ShellSource =
  | { readonly kind: 'string'; readonly script: ShellWord | null }
  | { readonly kind: 'stdin' }
  | { readonly kind: 'file'; readonly word: ShellWord; readonly index: number };

export interface ShellRun {
  readonly source: ShellSource;
  /** Why the shell may run more than its script (an rc file, interactive mode), or null. */
  readonly unsure: string | null;
}

// `set` flags a shell takes on its command line, and the long options that change nothing run.
const SET_FLAGS = new Set([...'abefhkmnptuvxBCEHPTlrD']);
const LONG_OK = new Set([
  ...['--norc', '--noprofile', '--login', '--posix', '--restricted', '--verbose'],
  ...['--noediting', '--dump-strings', '--dump-po-strings', '--help', '--version'],
  ...['--no-config', '--private', '--no-execute'],
]);
const STDIN_FILES = /^\/(dev\/stdin|dev\/fd\/0|proc\/self\/fd\/0)$/;

/** Read a shell's options the way bash does: flags until `--`, `-`, or the first operand. */
export function analyseShell(words: readonly ShellWord[]): ShellRun {
  let command = false;
  let stdin = false;
  let unsure: string | null = null;
  let i = 1;
  for (; i < words.length; i++) {
    const w = words[i]?.value ?? '';
    if (w === '--' || w === '-') {
      i++;
      break;
    }
    if (w.startsWith('--')) {
      const name = w.split('=')[0] ?? w;
      if (name === '--command' && words[0]?.value === 'fish') {
        command = true;
        if (w.includes('=')) return { source: { kind: 'string', script: synthetic(w) }, unsure };
        continue;
      }
      if (!LONG_OK.has(name)) {
        unsure ??= `\`${name}\` may make the shell run more than its script`;
        if ((name === '--rcfile' || name === '--init-file') && !w.includes('=')) i++;
      }
      continue;
    }
    if (!/^[-+]./.test(w)) break;
    let values = 0;
    for (const ch of w.slice(1)) {
      if (ch === 'c') command = true;
      else if (ch === 's') stdin = true;
      else if (ch === 'o' || ch === 'O') values++;
      else if (ch === 'i') unsure ??= 'an interactive shell runs its startup files';
      else if (!SET_FLAGS.has(ch)) unsure ??= `the shell option \`-${ch}\` is not understood`;
    }
    i += values;
  }
  if (command) return { source: { kind: 'string', script: words[i] ?? null }, unsure };
  const operand = words[i];
  if (stdin || !operand) return { source: { kind: 'stdin' }, unsure };
  if (!operand.dynamic && STDIN_FILES.test(operand.value))
    return { source: { kind: 'stdin' }, unsure };
  return { source: { kind: 'file', word: operand, index: i }, unsure };
}

function synthetic(w: string): ShellWord {
  const value = w.slice(w.indexOf('=') + 1);
  return { text: value, value, dynamic: false, glob: false };
}

/** What a command's standard input is, as far as its own redirections say. */
export type StdinSource =
  | { readonly kind: 'text'; readonly text: ShellWord }
  | { readonly kind: 'file'; readonly text: string }
  | { readonly kind: 'inherited' };

/** The last redirection of fd 0 wins, as in bash. */
export function stdinOf(redirects: readonly ShellRedirect[]): StdinSource {
  let source: StdinSource = { kind: 'inherited' };
  for (const r of redirects) {
    if (r.fd !== null && r.fd !== '0') continue;
    if (r.op === '<<<' && r.target) source = { kind: 'text', text: r.target };
    else if ((r.op === '<<' || r.op === '<<-') && r.body) source = { kind: 'text', text: r.body };
    else if (r.op === '<' || r.op === '<>' || r.op === '<&')
      source = { kind: 'file', text: r.text };
  }
  return source;
}
