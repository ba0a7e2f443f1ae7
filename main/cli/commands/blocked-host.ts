import type { ConfigFileRef } from '../../config/config-loader';
import type { BlockedHost } from '../../runner/host-gate';
import { hostText } from '../../runner/host-rules';

// What `[sandbox.network] allowlist` takes (host names and IPv4 addresses).
const WRITABLE = /^[A-Za-z0-9.-]{1,253}$/;

/**
 * One stderr line for a host a headless run was refused: the host and port, why, and the setting
 * that would allow it in the file where it takes effect (`--config FILE`, else the user file: a
 * workspace entry counts only where the user file's list covers it).
 */
export function blockedHostLine(
  program: string,
  blocked: BlockedHost,
  files: readonly ConfigFileRef[],
): string {
  const file = (files.find((f) => f.layer === 'explicit') ?? files.find((f) => f.layer === 'user'))
    ?.path;
  const where = hostText(blocked.host, blocked.port);
  const allow = WRITABLE.test(blocked.host)
    ? `to allow it, add [[sandbox.network.allowlist]] domain = "${blocked.host}", port = ${blocked.port}${file ? ` to ${file}` : ''}`
    : 'this address cannot be allow-listed; allow it when asked in the app';
  return `${program}: network: blocked ${where}: ${blocked.reason}; a headless run cannot ask; ${allow}\n`;
}
