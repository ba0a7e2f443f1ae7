import type { HostCheckRequest, HostCheckResult } from '../../shared/domain/network';
import type { VtcodeConfig } from '../config/effective';
import { canonicalHost, decideHost } from '../runner/host-rules';

/**
 * "Try a host": what the sandbox would do with a connection to `host:port` under the config in
 * force, and which entry (in which file) decided. The same decideHost the proxy config comes from.
 */
export function checkHost(config: VtcodeConfig, request: HostCheckRequest): HostCheckResult {
  const port = request.port ?? 443;
  const network = config.sandbox.network;
  const verdict = decideHost(network, request.host, port);
  const host = canonicalHost(request.host) ?? request.host;
  const by = verdict.by;
  let entry: HostCheckResult['entry'] = null;
  if (by.kind === 'denylist') {
    const own = network.denylist.find(
      (e) => e.domain === by.entry.domain && e.port === by.entry.port,
    );
    entry = {
      list: 'denylist',
      domain: by.entry.domain,
      ...(by.entry.port === undefined ? {} : { port: by.entry.port }),
      file: own?.source.file ?? null,
    };
  } else if (by.kind === 'allowlist') {
    entry = {
      list: 'allowlist',
      domain: by.entry.domain,
      ...(by.entry.port === undefined ? {} : { port: by.entry.port }),
      file: network.allowlistSource?.file ?? null,
    };
  }
  return {
    host,
    port,
    decision: verdict.decision,
    reason: verdict.reason,
    entry,
    policy: network.policy,
  };
}
