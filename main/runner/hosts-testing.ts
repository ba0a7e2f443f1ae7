import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import { createRequire } from 'node:module';
import { syncBuiltinESMExports } from 'node:module';

/*
 * Tests only: a hosts file for this process. The sandbox runtime's proxy resolves the names it
 * dials with `dns.lookup` (its resolved-address check wraps it), so mapping names here lets a test
 * reach a local server by a name of its choosing, as a `/etc/hosts` line would, without touching
 * the machine. Names under `.localhost` are used, which the runtime lets resolve to loopback.
 * Install before the runtime starts (it takes the lookup function when its config is set).
 */

type Callback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

const dns = createRequire(import.meta.url)('node:dns') as {
  lookup: (host: string, options: unknown, callback: Callback) => void;
};

/** Resolve every name ending in `suffix` to 127.0.0.1 in this process; returns the undo. */
export function mapTestHosts(suffix: string): () => void {
  const real = dns.lookup;
  dns.lookup = (host: string, options: unknown, callback?: unknown) => {
    const cb = (typeof options === 'function' ? options : callback) as Callback;
    const opts = (typeof options === 'object' && options !== null ? options : {}) as
      LookupAllOptions | LookupOneOptions;
    if (!host.toLowerCase().endsWith(suffix)) {
      real(host, options, callback as Callback);
      return;
    }
    const found: LookupAddress = { address: '127.0.0.1', family: 4 };
    process.nextTick(() => (opts.all ? cb(null, [found]) : cb(null, found.address, 4)));
  };
  syncBuiltinESMExports();
  return () => {
    dns.lookup = real;
    syncBuiltinESMExports();
  };
}
