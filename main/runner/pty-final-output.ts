import { readSync } from 'node:fs';
import type { IPty } from 'node-pty';

/** The parts of node-pty's UnixTerminal this works around; absent on Windows. */
interface UnixPtyInternals {
  readonly _fd?: unknown;
  readonly _socket?: {
    readonly destroyed: boolean;
    readonly readableLength: number;
    read(): unknown;
    destroy(...args: unknown[]): unknown;
  };
}

// More than a pty's kernel buffers hold; bounds the loop if a leftover job keeps printing.
const MAX_DRAIN_BYTES = 1024 * 1024;

/**
 * node-pty (lib/unixTerminal.js, DESTROY_SOCKET_TIMEOUT_MS) destroys the pty's socket 200 ms after
 * the child exits if it has not closed by then. On a starved CPU the last output is still unread
 * at that point (in the stream's buffer, or in the kernel) and would be thrown away. So just before
 * the socket goes, hand on what its stream holds, then read the non-blocking master fd until
 * EAGAIN/EIO and pass those bytes to `deliver`. Needs `encoding: null` (the pty emits Buffers).
 */
export function keepFinalOutput(pty: IPty, deliver: (chunk: Buffer) => void): void {
  const internals = pty as unknown as UnixPtyInternals;
  const socket = internals._socket;
  const fd = internals._fd;
  if (!socket || typeof fd !== 'number' || typeof socket.destroy !== 'function') return;
  const destroy = socket.destroy.bind(socket);
  socket.destroy = (...args: unknown[]): unknown => {
    // Once destroyed the fd is closed and its number may belong to another file by now.
    if (!socket.destroyed) {
      // read() emits 'data', so buffered chunks take the pty's own onData path.
      while (socket.readableLength > 0 && socket.read() !== null);
      const buffer = Buffer.allocUnsafe(64 * 1024);
      for (let drained = 0; drained < MAX_DRAIN_BYTES;) {
        let n: number;
        try {
          n = readSync(fd, buffer, 0, buffer.length, null);
        } catch {
          break; // EAGAIN: nothing left; EIO: the terminal's other side is closed
        }
        if (n <= 0) break;
        drained += n;
        deliver(Buffer.from(buffer.subarray(0, n)));
      }
    }
    return destroy(...args);
  };
}
