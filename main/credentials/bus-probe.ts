import { connect } from 'node:net';
import { KeychainError } from './keychain';

/*
 * libsecret connects to the session bus with no timeout: a bus socket that accepts but never speaks
 * blocks one of Node's worker threads for good, and a process cannot even exit while it is blocked.
 * So before keytar's first call we say hello to the bus ourselves, where a timeout is possible.
 */

/** The socket path of a `unix:` D-Bus address (abstract sockets as Node spells them), if any. */
export function busSocketPath(address: string): string | null {
  for (const candidate of address.split(';')) {
    const [transport, rest] = candidate.split(/:(.*)/s, 2);
    if (transport !== 'unix' || rest === undefined) continue;
    const params = new Map(
      rest.split(',').map((pair) => {
        const [k, v] = pair.split(/=(.*)/s, 2);
        return [k ?? '', decodeURIComponent(v ?? '')] as const;
      }),
    );
    const path = params.get('path');
    if (path) return path;
    const abstract = params.get('abstract');
    if (abstract) return `\0${abstract}`;
  }
  return null;
}

const FIX_BUS =
  'Check that DBUS_SESSION_BUS_ADDRESS points at a live session bus (log in to a desktop session, or run the ' +
  'command under `dbus-run-session`), and that a keyring daemon is running: `gnome-keyring-daemon --start --components=secrets`.';

/**
 * Resolve when the session bus answers a (credential-free) AUTH line within `timeoutMs`; reject
 * with a KeychainError otherwise. Addresses we cannot probe (tcp, launchd, unset) pass through.
 */
export function probeSessionBus(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  const address = env.DBUS_SESSION_BUS_ADDRESS;
  const path = address ? busSocketPath(address) : null;
  if (!path) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const socket = connect({ path });
    let settled = false;
    const finish = (error: KeychainError | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(
      () =>
        finish(
          new KeychainError(
            'timeout',
            `The D-Bus session bus at ${address} accepted a connection but did not answer within ${timeoutMs / 1000}s, so the keychain cannot be reached.`,
            FIX_BUS,
          ),
        ),
      timeoutMs,
    );
    socket.on('connect', () => {
      // A NUL byte, then AUTH with no mechanism: any bus answers with the mechanisms it supports.
      socket.write('\0AUTH\r\n');
    });
    socket.on('data', (data: Buffer) => {
      if (data.includes('\r\n')) finish(null);
    });
    // A bus that refuses or is absent fails fast inside libsecret too, with its own clear message.
    socket.on('error', () => finish(null));
    socket.on('close', () => finish(null));
  });
}
