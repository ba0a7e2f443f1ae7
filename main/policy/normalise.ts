/**
 * Normalise a command's words the way the shell would run them: system paths stripped from the
 * program name, and wrappers (env, nohup, timeout, flock, su, parallel ...; see wrapper-specs.ts)
 * looked through. Each wrapper peeled off yields one more "view" of the command.
 */
import type { ShellWord } from './shell-words';
import { peelWrapper } from './wrappers';

export { ELEVATING_WRAPPERS } from './wrapper-specs';

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

export interface CommandView {
  /** The words of this view, program normalised. */
  readonly argv: readonly string[];
  /** The same words as the shell gave them (or as a wrapper made them: `env -S`, `watch`). */
  readonly words: readonly ShellWord[];
  /** Variable assignments the wrappers set (`env X=1 cmd`). */
  readonly envAssignments: readonly string[];
  /** The wrapper peeled off to reach the next view, if any. */
  readonly wrapper: string | null;
  /** Why a wrapper's options could not be understood (the inner command is a guess), or null. */
  readonly unsure: string | null;
}

/** Every view of a command, from the words as written to the innermost wrapped command. */
export function commandViews(words: readonly ShellWord[]): CommandView[] {
  const views: CommandView[] = [];
  let current = words;
  let unsure: string | null = null;
  const envAll: string[] = [];
  for (let depth = 0; depth < 16; depth++) {
    const argv = current.map((w, i) => (i === 0 ? normaliseProgram(w.value) : w.value));
    const peeled = argv.length > 0 ? peelWrapper(argv[0] ?? '', current) : null;
    unsure ??= peeled?.unsure ?? null;
    if (!peeled || peeled.rest.length === 0) {
      views.push({ argv, words: current, envAssignments: [...envAll], wrapper: null, unsure });
      return views;
    }
    views.push({
      argv,
      words: current,
      envAssignments: [...envAll],
      wrapper: argv[0] ?? null,
      unsure,
    });
    envAll.push(...peeled.env);
    current = peeled.rest;
  }
  const argv = current.map((w) => w.value);
  const why = 'wrappers are nested too deeply';
  views.push({ argv, words: current, envAssignments: [...envAll], wrapper: null, unsure: why });
  return views;
}
