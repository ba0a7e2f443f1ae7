import type { SandboxRuntimeConfig } from '@anthropic-ai/sandbox-runtime';

/*
 * Tokens commands use but never see (the sandbox runtime's credential masking). Each bound token
 * becomes a `credentials.envVars` entry `{ name, mode: 'mask', injectHosts }`: inside the sandbox
 * the variable holds a placeholder (`fake_value_<uuid>`), and the runtime's proxy swaps it for the
 * real value in requests to the bound hosts only. Over HTTPS that needs TLS termination: the proxy
 * presents certificates from an ephemeral CA, and the runtime points the trust variables of tools
 * inside (SSL_CERT_FILE, CURL_CA_BUNDLE, NODE_EXTRA_CA_CERTS, GIT_SSL_CAINFO, REQUESTS_CA_BUNDLE,
 * ...) at a bundle of that CA plus the usual roots.
 *
 * The runtime reads a masked variable's real value from `process.env` while it wraps a command.
 * `withTokenValues` puts the values there for the synchronous part of the wrap only, and as
 * non-enumerable properties of a copy of the environment: a child process started in that window
 * (spawn copies the enumerable variables) does not inherit them, and the C environment that native
 * code sees never holds them.
 */

/** One token as the sandbox masks it. */
export interface MaskedToken {
  readonly envVar: string;
  /** Host names, `*.suffix` wildcards, IPv4 or bracketed IPv6 addresses. */
  readonly hosts: readonly string[];
  readonly value: string;
}

/** The tokens for one run and the revision of the bindings they were read under. */
export interface MaskedTokenSet {
  readonly revision: string;
  readonly tokens: readonly MaskedToken[];
}

/** Where the runner gets tokens (credentials/token-store.ts in the app). */
export interface MaskedTokenSource {
  /** Changes whenever a binding does; cheap enough to read for every run. */
  revision(): Promise<string>;
  forSandbox(): Promise<MaskedTokenSet>;
}

export const NO_TOKENS: MaskedTokenSet = { revision: 'none', tokens: [] };

type CredentialsConfig = NonNullable<SandboxRuntimeConfig['credentials']>;
type TlsTerminate = NonNullable<SandboxRuntimeConfig['network']['tlsTerminate']>;

/** The proxy matches bare hosts: `[::1]` is `::1` there. */
function runtimeHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host.toLowerCase();
}

/** The host part of an allow-list entry (`domain`, `domain:port`, `[v6]`, `[v6]:port`). */
function entryHost(entry: string): string {
  if (entry.startsWith('[')) return runtimeHost(entry.slice(0, entry.indexOf(']') + 1));
  const colon = entry.lastIndexOf(':');
  return (colon === -1 ? entry : entry.slice(0, colon)).toLowerCase();
}

/** Whether one host could match both patterns (exact, `*.suffix` or `*`). */
export function hostPatternsOverlap(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === '*' || y === '*') return true;
  const wx = x.startsWith('*.');
  const wy = y.startsWith('*.');
  if (!wx && !wy) return x === y;
  if (wx && !wy) return y.endsWith(x.slice(1));
  if (!wx && wy) return x.endsWith(y.slice(1));
  return x.slice(1).endsWith(y.slice(1)) || y.slice(1).endsWith(x.slice(1));
}

/**
 * The session-wide `credentials` block. It must exist when the runtime starts, or its proxy never
 * wires the substitution in. `allowPlaintextInject` (tests only) lets the proxy put a token into a
 * plain-HTTP request; the app never sends a token unencrypted.
 */
export function sessionCredentials(allowPlaintextInject: boolean): CredentialsConfig {
  return { allowPlaintextInject };
}

/** The per-wrap `credentials` block: one masked variable per token, injected at its hosts only. */
export function wrapCredentials(set: MaskedTokenSet): CredentialsConfig {
  return {
    envVars: set.tokens.map((t) => ({
      name: t.envVar,
      mode: 'mask' as const,
      injectHosts: t.hosts.map(runtimeHost),
    })),
  };
}

/** Where the host's own roots usually are; the runtime skips the ones that are missing. */
export const SYSTEM_CA_BUNDLES: readonly string[] = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

/**
 * TLS termination for a run's allow-list: none without tokens; with tokens, only connections to
 * hosts an allow-list entry shares with a bound host are terminated, the rest stay end-to-end
 * (`excludeDomains`). Under `allow_all` (`*`) every connection is terminated. The host's own roots
 * go into the trust bundle, so a tool inside still trusts what it trusted before.
 */
export function tlsTermination(
  set: MaskedTokenSet,
  domains: readonly string[],
): TlsTerminate | undefined {
  if (set.tokens.length === 0) return undefined;
  const bound = set.tokens.flatMap((t) => t.hosts.map(runtimeHost));
  const excludeDomains = [...new Set(domains.map(entryHost))].filter(
    (host) => !bound.some((b) => hostPatternsOverlap(host, b)),
  );
  return { excludeDomains, extraCaCertPaths: [...SYSTEM_CA_BUNDLES] };
}

/**
 * Run `call` (the runtime's wrap) with the tokens' values readable as `process.env[NAME]`, and
 * only for its synchronous part: the environment is put back before this returns (see above).
 */
export function withTokenValues<T>(set: MaskedTokenSet, call: () => T): T {
  if (set.tokens.length === 0) return call();
  const original = process.env;
  const scoped: NodeJS.ProcessEnv = { ...original };
  for (const token of set.tokens) {
    Object.defineProperty(scoped, token.envVar, {
      value: token.value,
      enumerable: false,
      configurable: true,
      writable: false,
    });
  }
  process.env = scoped;
  try {
    return call();
  } finally {
    process.env = original;
  }
}
