import { describe, expect, it } from 'vitest';
// The runtime's own matcher and host canonicalisation (internal modules, for this table only):
// what decideHost says must be what the proxy will do with the config runtimeNetwork gives it.
import { matchesDomainPatternWithPort } from '@anthropic-ai/sandbox-runtime/dist/sandbox/domain-pattern.js';
import { canonicalizeHost } from '@anthropic-ai/sandbox-runtime/dist/sandbox/parent-proxy.js';
import {
  canonicalHost,
  decideHost,
  entryPattern,
  networkKey,
  runtimeNetwork,
  type NetworkRules,
} from './host-rules';

/** The runtime proxy's filter order (sandbox-manager filterNetworkRequest), on its own matcher. */
function runtimeDecides(rules: NetworkRules, host: string, port: number): 'allow' | 'ask' | 'deny' {
  const net = runtimeNetwork(rules);
  const h = canonicalizeHost(host) ?? host;
  if (net.deniedDomains.some((d) => matchesDomainPatternWithPort(h, port, d))) return 'deny';
  if (net.allowedDomains.some((d) => matchesDomainPatternWithPort(h, port, d))) return 'allow';
  return net.strictAllowlist ? 'deny' : 'ask';
}

const rules = (over: Partial<NetworkRules> = {}): NetworkRules => ({
  policy: 'allowlist_only',
  allowlist: [
    { domain: '*.example.com', port: 443 },
    { domain: 'registry.npmjs.org' },
    { domain: '127.0.0.1', port: 8080 },
    { domain: '[::1]', port: 9000 },
  ],
  denylist: [{ domain: 'secret.example.com' }, { domain: '*.evil.example.com', port: 443 }],
  ...over,
});

const HOSTS: readonly [string, number][] = [
  ['api.example.com', 443],
  ['API.Example.COM.', 443],
  ['api.example.com', 80],
  ['example.com', 443],
  ['deep.api.example.com', 443],
  ['notexample.com', 443],
  ['secret.example.com', 443],
  ['secret.example.com', 8443],
  ['x.evil.example.com', 443],
  ['x.evil.example.com', 80],
  ['registry.npmjs.org', 443],
  ['registry.npmjs.org', 22],
  ['127.0.0.1', 8080],
  ['127.1', 8080],
  ['127.0.0.1', 8081],
  ['::1', 9000],
  ['[::1]', 9000],
  ['::ffff:127.0.0.1', 8080],
  ['localhost', 8080],
  ['github.com', 443],
];

describe('decideHost', () => {
  for (const policy of ['allowlist_only', 'allow_all', 'block_all'] as const) {
    it(`agrees with the runtime's proxy under ${policy}`, () => {
      const r = rules({ policy });
      for (const [host, port] of HOSTS) {
        expect([host, port, decideHost(r, host, port).decision]).toEqual([
          host,
          port,
          runtimeDecides(r, host, port),
        ]);
      }
    });
  }

  it('says which entry decided', () => {
    const r = rules();
    expect(decideHost(r, 'api.example.com', 443)).toMatchObject({
      decision: 'allow',
      by: { kind: 'allowlist', entry: { domain: '*.example.com', port: 443 } },
    });
    expect(decideHost(r, 'secret.example.com', 443)).toMatchObject({
      decision: 'deny',
      by: { kind: 'denylist', entry: { domain: 'secret.example.com' } },
    });
    expect(decideHost(r, 'secret.example.com', 443).reason).toContain(
      'secret.example.com (any port)',
    );
    expect(decideHost(r, 'github.com', 443)).toMatchObject({
      decision: 'ask',
      by: { kind: 'policy', policy: 'allowlist_only' },
    });
    expect(decideHost(rules({ policy: 'block_all' }), 'api.example.com', 443)).toMatchObject({
      decision: 'deny',
      by: { kind: 'policy', policy: 'block_all' },
    });
  });

  it.each([
    ['', 443],
    ['evil.com\u0000.example.com', 443],
    ['a b', 443],
    ['evil.com/x', 443],
    ['user@example.com', 443],
    ['example.com', 0],
    ['example.com', 70000],
    ['example.com', 1.5],
  ])('denies %j:%s as not a host', (host, port) => {
    expect(decideHost(rules({ policy: 'allow_all' }), host, port)).toMatchObject({
      decision: 'deny',
      by: { kind: 'invalid' },
    });
  });

  it('canonicalises as the runtime does', () => {
    for (const host of ['API.example.com.', '127.1', '2130706433', '::ffff:7f00:1', '[::1]', 'x']) {
      expect(canonicalHost(host)).toBe(canonicalizeHost(host));
    }
  });
});

describe('runtimeNetwork', () => {
  it('never asks under block_all or allow_all, and sends the deny list in every policy', () => {
    expect(runtimeNetwork(rules({ policy: 'block_all' }))).toEqual({
      allowedDomains: [],
      deniedDomains: ['secret.example.com', '*.evil.example.com:443'],
      strictAllowlist: true,
    });
    expect(runtimeNetwork(rules({ policy: 'allow_all' })).strictAllowlist).toBe(true);
    expect(runtimeNetwork(rules()).allowedDomains).toEqual([
      '*.example.com:443',
      'registry.npmjs.org',
      '127.0.0.1:8080',
      '[::1]:9000',
    ]);
    expect(entryPattern({ domain: '::1', port: 1 })).toBe('[::1]:1');
  });

  it('keys rules by what they enforce', () => {
    const a = rules();
    const b = rules({ allowlist: [...a.allowlist].reverse() });
    expect(networkKey(a)).toBe(networkKey(b));
    expect(networkKey(a)).not.toBe(networkKey(rules({ denylist: [] })));
    // Under allow_all the allow-list is not used, so it does not split runs apart.
    expect(networkKey(rules({ policy: 'allow_all' }))).toBe(
      networkKey(rules({ policy: 'allow_all', allowlist: [] })),
    );
  });
});
