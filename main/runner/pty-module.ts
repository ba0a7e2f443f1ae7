import type * as NodePty from 'node-pty';

let loading: Promise<typeof NodePty> | null = null;
let loaded: typeof NodePty | null = null;

/**
 * node-pty, imported at the first run rather than with the runner: a CLI start that runs no
 * command (or not yet) skips loading its native module (issue 18).
 */
export function loadPty(): Promise<typeof NodePty> {
  loading ??= import('node-pty').then((mod) => (loaded = mod));
  return loading;
}

/** node-pty once loadPty() has resolved; throws before that. */
export function loadedPty(): typeof NodePty {
  if (!loaded) throw new Error('node-pty is not loaded yet');
  return loaded;
}
