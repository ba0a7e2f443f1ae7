/**
 * The environment a command gets. Nothing passes unless it is on this allow-list: API keys,
 * tokens, the session bus (it names the keychain), the SSH agent socket and the app's own
 * VTCODE_DESKTOP_* settings are dropped by not being listed. The deny patterns below are a
 * second net for names a caller adds on purpose (a run's `env`).
 */
export const ENV_ALLOW_LIST: readonly string[] = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TERM',
  'COLORTERM',
  'NO_COLOR',
  'FORCE_COLOR',
  'CLICOLOR',
  'EDITOR',
  'VISUAL',
];

/** Prefixes allowed as a family (locale categories). */
export const ENV_ALLOW_PREFIXES: readonly string[] = ['LC_'];

/** Names never passed, whoever asks: checked after the allow-list and on a run's own additions. */
export const ENV_DENY_PATTERNS: readonly RegExp[] = [
  /_API_KEY$/i,
  /^API_KEY$/i,
  /_KEY$/i,
  /TOKEN/i,
  /SECRET/i,
  /PASSWORD/i,
  /PASSWD/i,
  /CREDENTIAL/i,
  /^DBUS_SESSION_BUS_ADDRESS$/,
  /^SSH_AUTH_SOCK$/,
  /^GPG_AGENT_INFO$/,
  /^XDG_RUNTIME_DIR$/,
  /^VTCODE_DESKTOP_/,
];

/** Set for every run: a pager or prompt would wait forever on a terminal nobody types into. */
const FIXED: Readonly<Record<string, string>> = {
  TERM: 'xterm-256color',
  COLORTERM: 'truecolor',
  PAGER: 'cat',
  GIT_PAGER: 'cat',
  GIT_TERMINAL_PROMPT: '0',
};

const MAX_VALUE_LENGTH = 32 * 1024;

export interface ScrubbedEnv {
  readonly env: Record<string, string>;
  /** Names that were present and dropped (never their values), for the run's record. */
  readonly dropped: readonly string[];
}

function isDenied(name: string): boolean {
  return ENV_DENY_PATTERNS.some((pattern) => pattern.test(name));
}

function isAllowed(name: string): boolean {
  return ENV_ALLOW_LIST.includes(name) || ENV_ALLOW_PREFIXES.some((p) => name.startsWith(p));
}

function isWellFormed(name: string, value: string): boolean {
  return (
    /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) &&
    !value.includes('\0') &&
    value.length <= MAX_VALUE_LENGTH
  );
}

/**
 * Build a command's environment from the host's: allow-listed names pass, `extra` (a run's own
 * variables) passes unless denied, then the fixed terminal settings and `overrides` apply.
 */
export function scrubEnv(
  host: NodeJS.ProcessEnv,
  extra: Readonly<Record<string, string>> = {},
  overrides: Readonly<Record<string, string>> = {},
): ScrubbedEnv {
  const env: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(host)) {
    if (value === undefined) continue;
    if (isAllowed(name) && !isDenied(name) && isWellFormed(name, value)) env[name] = value;
    else dropped.push(name);
  }
  for (const [name, value] of Object.entries(extra)) {
    if (!isDenied(name) && isWellFormed(name, value)) env[name] = value;
    else dropped.push(name);
  }
  Object.assign(env, FIXED, overrides);
  return { env, dropped: [...new Set(dropped)].sort() };
}
