import type { Decision, RuleRef } from '../../shared/domain/policy';
import type { VtcodeConfig } from '../config/effective';
import { compileRuleRegex } from '../config/key-specs';
import { canonicalHost, decideHost, entryText, type NetworkRules } from '../runner/host-rules';
import { BUILTIN } from './rules';

/*
 * web_fetch reaches hosts under the same network policy as commands: the `[sandbox.network]`
 * deny-list, policy word and allow-list (decideHost, the function the sandbox proxy's config and
 * "Try a host" come from), plus VT Code's `[tools.web_fetch]` keys. `[permissions]`
 * `WebFetch(domain:...)` rules are decided by the engine and combined with this there.
 */

/** What the web host policy says about one URL, and the setting that says it. */
export interface WebVerdict {
  readonly decision: Decision;
  readonly reason: string;
  readonly rule: RuleRef | null;
}

function setting(entry: string, section: string, source = BUILTIN): RuleRef {
  return { kind: 'builtin', entry, section, source };
}

/** The network rules of a config, as the sandbox proxy gets them. */
export function networkRulesOf(config: VtcodeConfig): NetworkRules {
  const n = config.sandbox.network;
  return {
    policy: n.policy,
    allowlist: n.allowlist,
    denylist: n.denylist.map((e) => ({ domain: e.domain, port: e.port })),
  };
}

/** `example.com` names example.com and its subdomains; `*.example.com` only the subdomains. */
function domainMatches(pattern: string, host: string): boolean {
  const p = pattern.trim().toLowerCase().replace(/\.+$/, '');
  if (p === '') return false;
  if (p.startsWith('*.')) return host.endsWith(p.slice(1));
  return host === p || host.endsWith(`.${p}`);
}

/**
 * Decide a URL for web_fetch by `[tools.web_fetch]` and the network policy. Never allows what
 * the network policy would not let a command reach without asking.
 */
export function decideWebUrl(config: VtcodeConfig, url: string): WebVerdict {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { decision: 'deny', reason: 'not a URL', rule: null };
  }
  const wf = config.webFetch;
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return {
      decision: 'deny',
      reason: `only http and https URLs are fetched, not ${parsed.protocol}`,
      rule: setting('web_fetch fetches http and https only', 'builtin'),
    };
  if (wf.strictHttpsOnly && parsed.protocol !== 'https:')
    return {
      decision: 'deny',
      reason: `${parsed.origin} is not https, and [tools.web_fetch] strict_https_only is on`,
      rule: setting('strict_https_only', 'tools.web_fetch'),
    };
  const host = canonicalHost(parsed.hostname.replace(/^\[|\]$/g, ''));
  if (host === null) return { decision: 'deny', reason: 'not a host', rule: null };
  const blocked = wf.blockedDomains.find((e) => domainMatches(e.entry, host));
  if (blocked)
    return {
      decision: 'deny',
      reason: `${host} is in [tools.web_fetch] blocked_domains (${blocked.entry})`,
      rule: setting(blocked.entry, 'tools.web_fetch.blocked_domains', blocked.source),
    };
  const pattern = wf.blockedPatterns.find((e) => {
    try {
      return compileRuleRegex(e.entry).test(parsed.href);
    } catch {
      return false;
    }
  });
  if (pattern)
    return {
      decision: 'deny',
      reason: `the URL matches [tools.web_fetch] blocked_patterns ${pattern.entry}`,
      rule: setting(pattern.entry, 'tools.web_fetch.blocked_patterns', pattern.source),
    };
  if (wf.mode === 'whitelist' && !wf.allowedDomains.some((d) => domainMatches(d, host)))
    return {
      decision: 'deny',
      reason: `${host} is not in [tools.web_fetch] allowed_domains (mode = "whitelist")`,
      rule: setting('mode = "whitelist"', 'tools.web_fetch'),
    };
  const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  const net = decideHost(networkRulesOf(config), host, port);
  const rule = setting(
    net.by.kind === 'denylist' || net.by.kind === 'allowlist'
      ? entryText(net.by.entry)
      : net.by.kind === 'policy'
        ? `policy = "${net.by.policy}"`
        : 'not a host',
    net.by.kind === 'denylist'
      ? 'sandbox.network.denylist'
      : net.by.kind === 'allowlist'
        ? 'sandbox.network.allowlist'
        : 'sandbox.network',
    net.by.kind === 'allowlist' ? config.sandbox.network.allowlistSource : BUILTIN,
  );
  return {
    decision: net.decision === 'ask' ? 'prompt' : net.decision,
    reason: net.decision === 'ask' ? `${host}:${port} ${net.reason}` : net.reason,
    rule,
  };
}

/**
 * Whether the user named this exact host (no wildcard) in the network allow-list: then web_fetch
 * may reach it even where it resolves to a loopback or private address (a local dev server).
 */
export function hostNamedExactly(config: VtcodeConfig, host: string): boolean {
  const h = canonicalHost(host);
  return (
    h !== null &&
    config.sandbox.network.allowlist.some(
      (e) => canonicalHost(e.domain) === h && !e.domain.includes('*'),
    )
  );
}
