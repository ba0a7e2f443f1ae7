import { isIP } from 'node:net';
import type { NetworkPolicy } from './settings';

/*
 * The one place hosts are decided. The sandbox runtime's proxy config is generated from these
 * rules (runtimeNetwork) and the Policy panel's "Try a host" box asks decideHost; a table test
 * (host-rules.test.ts) holds decideHost to the runtime's own matcher, so the two cannot drift.
 * Matching mirrors the runtime: deny entries first, then the policy, then allow entries; an entry
 * is a host name (case-insensitive), `*.suffix` (strict subdomains, never an IP literal), or an IP
 * literal, with an optional port (none: every port).
 */

/** `{ domain, port }` as `[sandbox.network] allowlist` and `denylist` write it. */
export interface HostEntry {
  readonly domain: string;
  readonly port?: number | undefined;
}

/** What decides a run's network: VT Code's policy word, its allow-list and the app's deny-list. */
export interface NetworkRules {
  readonly policy: NetworkPolicy;
  readonly allowlist: readonly HostEntry[];
  readonly denylist: readonly HostEntry[];
}

/** Which rule decided a host. */
export type HostDecider =
  | { readonly kind: 'denylist'; readonly entry: HostEntry }
  | { readonly kind: 'allowlist'; readonly entry: HostEntry }
  | { readonly kind: 'policy'; readonly policy: NetworkPolicy }
  | { readonly kind: 'invalid' };

/** allow: connects; ask: the app asks (a run that cannot ask is denied); deny: never connects. */
export interface HostVerdict {
  readonly decision: 'allow' | 'ask' | 'deny';
  readonly reason: string;
  readonly by: HostDecider;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** `::ffff:7f00:1` connects to 127.0.0.1, so it is spelled as that (as the runtime does). */
function mappedIPv4(v6: string): string | null {
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(v6);
  if (!m) return null;
  const hi = parseInt(m[1] ?? '0', 16);
  const lo = parseInt(m[2] ?? '0', 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

// Control characters, spaces and URL punctuation: `evil.com\0.allowed.com` is not a host.
function forbidden(c: string): boolean {
  const code = c.charCodeAt(0);
  return code <= 0x20 || code === 0x7f || '/?#@%\\'.includes(c);
}

/**
 * A destination host as the proxy compares it: lower case, no trailing dot, IP literals in their
 * canonical form (`127.1` is 127.0.0.1, IPv6 compressed and unbracketed). Null when it is not a
 * host at all (control characters, spaces, a URL).
 */
export function canonicalHost(host: string): string | null {
  if (host === '' || host.length > 255 || [...host].some(forbidden)) return null;
  try {
    const bare = stripBrackets(host);
    const bracketed = isIP(bare) === 6 ? `[${bare}]` : bare;
    const out = stripBrackets(new URL(`http://${bracketed}/`).hostname);
    return isIP(out) === 6 ? (mappedIPv4(out) ?? out) : out.replace(/\.$/, '');
  } catch {
    return null;
  }
}

/** `host:port`, with an IPv6 literal bracketed. */
export function hostText(host: string, port: number | undefined): string {
  const h = isIP(stripBrackets(host)) === 6 ? `[${stripBrackets(host)}]` : host;
  return port === undefined ? h : `${h}:${port}`;
}

/** An entry as the runtime's allowedDomains / deniedDomains take it: `domain` or `domain:port`. */
export function entryPattern(entry: HostEntry): string {
  return hostText(entry.domain, entry.port);
}

/** An entry in words, as the panel and the messages quote it. */
export function entryText(entry: HostEntry): string {
  return entry.port === undefined ? `${entry.domain} (any port)` : entryPattern(entry);
}

/** Whether `entry` covers `host:port` (`host` canonical), matched as the runtime matches. */
export function entryMatches(entry: HostEntry, host: string, port: number): boolean {
  if (entry.port !== undefined && entry.port !== port) return false;
  const raw = entry.domain;
  const pattern = raw.startsWith('[')
    ? (canonicalHost(raw) ?? raw).toLowerCase()
    : raw.toLowerCase();
  const h = host.toLowerCase();
  if (pattern.startsWith('*.')) {
    if (isIP(h)) return false;
    return h.endsWith(pattern.slice(1));
  }
  return h === pattern;
}

/**
 * Decide `host:port` under `rules`: a deny entry wins over everything, then `block_all` (nothing,
 * never asked) and `allow_all` (everything else), then the allow entries; what none covers asks.
 */
export function decideHost(rules: NetworkRules, host: string, port: number): HostVerdict {
  const h = canonicalHost(host);
  if (h === null || !Number.isInteger(port) || port < 1 || port > 65535)
    return { decision: 'deny', reason: 'not a host and port', by: { kind: 'invalid' } };
  const denied = rules.denylist.find((e) => entryMatches(e, h, port));
  if (denied)
    return {
      decision: 'deny',
      reason: `denied by the [sandbox.network] denylist entry ${entryText(denied)}`,
      by: { kind: 'denylist', entry: denied },
    };
  const policy = { kind: 'policy', policy: rules.policy } as const;
  switch (rules.policy) {
    case 'block_all':
      return {
        decision: 'deny',
        reason: '[sandbox.network] policy = "block_all": commands have no network',
        by: policy,
      };
    case 'allow_all':
      return {
        decision: 'allow',
        reason: '[sandbox.network] policy = "allow_all": any host not on the denylist',
        by: policy,
      };
    case 'allowlist_only': {
      const allowed = rules.allowlist.find((e) => entryMatches(e, h, port));
      if (allowed)
        return {
          decision: 'allow',
          reason: `allowed by the [sandbox.network] allowlist entry ${entryText(allowed)}`,
          by: { kind: 'allowlist', entry: allowed },
        };
      return {
        decision: 'ask',
        reason: 'not on the [sandbox.network] allowlist',
        by: policy,
      };
    }
    default: {
      const never: never = rules.policy;
      throw new Error(`unknown network policy ${String(never)}`);
    }
  }
}

/** The runtime's network config for `rules`; hosts that would ask go to its ask callback. */
export function runtimeNetwork(rules: NetworkRules): {
  allowedDomains: string[];
  deniedDomains: string[];
  strictAllowlist: boolean;
} {
  const deniedDomains = rules.denylist.map(entryPattern);
  switch (rules.policy) {
    case 'block_all':
      return { allowedDomains: [], deniedDomains, strictAllowlist: true };
    case 'allow_all':
      return { allowedDomains: ['*'], deniedDomains, strictAllowlist: true };
    case 'allowlist_only':
      return {
        allowedDomains: rules.allowlist.map(entryPattern),
        deniedDomains,
        strictAllowlist: false,
      };
    default: {
      const never: never = rules.policy;
      throw new Error(`unknown network policy ${String(never)}`);
    }
  }
}

/** Rules that enforce the same thing have the same key (order and case do not matter). */
export function networkKey(rules: NetworkRules): string {
  const list = (entries: readonly HostEntry[]) =>
    [...new Set(entries.map((e) => entryPattern(e).toLowerCase()))].sort();
  return JSON.stringify({
    policy: rules.policy,
    allow: rules.policy === 'allowlist_only' ? list(rules.allowlist) : [],
    deny: list(rules.denylist),
  });
}
