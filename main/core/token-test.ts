import type { TokenTestResult } from '../../shared/domain/tokens';
import type { TokenStore } from '../credentials/token-store';
import { hostPatternsOverlap } from '../runner/masked-tokens';
import type { RunnerService } from '../runner/runner-service';
import { SandboxUnavailableError } from '../runner/sandbox-check';
import type { RunnerSandboxSettings } from '../runner/settings';

/*
 * Settings › Tokens › Test: one request to the token's first (non-wildcard) host, made the way a
 * command would make it: `curl` in the sandbox, under the workspace's network policy, with
 * `Authorization: Bearer $VAR` holding the placeholder the proxy swaps for the token. Only the
 * HTTP status comes back; the token is never in the command, its output or the answer.
 * `--noproxy ''`: the sandbox has no direct route, so even a loopback host goes through the proxy
 * (the runtime's NO_PROXY names loopback).
 */

export interface TokenTestInput {
  readonly name: string;
  readonly tokens: TokenStore;
  readonly runner: RunnerService;
  /** The open workspace the command runs in; null when none is open. */
  readonly workspace: string | null;
  /** The workspace's runner settings (network policy included). */
  readonly settings: () => Promise<RunnerSandboxSettings>;
  readonly redact: (text: string) => string;
  /** Tests point the request at a local server; the app uses `https://<host><testPath>`. */
  readonly urlFor?: (host: string, testPath: string) => string;
  readonly timeoutSeconds?: number;
}

const MARK = 'vtcode-token-test';

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Whether the network policy lets commands reach `host` on `port`. */
export function networkAllows(
  network: RunnerSandboxSettings['network'],
  host: string,
  port: number,
): boolean {
  switch (network.policy) {
    case 'allow_all':
      return true;
    case 'block_all':
      return false;
    case 'allowlist_only':
      return network.allowlist.some(
        (e) => (e.port === undefined || e.port === port) && hostPatternsOverlap(e.domain, host),
      );
    default: {
      const never: never = network.policy;
      throw new Error(`unknown network policy ${String(never)}`);
    }
  }
}

function portOf(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'http:' ? 80 : 443;
}

/** Test a token as a command would use it; never throws for what the user can fix. */
export async function testToken(input: TokenTestInput): Promise<TokenTestResult> {
  const { name } = input;
  const result = (
    outcome: TokenTestResult['outcome'],
    message: string,
    extra: { httpStatus?: number | null; url?: string | null } = {},
  ): TokenTestResult => ({
    name,
    outcome,
    message: input.redact(message),
    httpStatus: extra.httpStatus ?? null,
    url: extra.url ?? null,
  });
  const binding = await input.tokens.binding(name);
  if (!binding) return result('no-token', `There is no token named "${name}".`);
  if (!(await input.tokens.hasToken(name))) {
    return result('no-token', `The keychain holds no token for "${name}"; set it again.`);
  }
  const host = binding.hosts.find((h) => !h.startsWith('*.'));
  if (!host) {
    return result(
      'unavailable',
      `"${name}" is bound to wildcard hosts only (${binding.hosts.join(', ')}); there is no single host to test.`,
    );
  }
  if (!input.workspace) {
    return result(
      'unavailable',
      'Open a workspace: the test runs as its commands do, under its network policy.',
    );
  }
  const url = new URL(
    input.urlFor?.(host, binding.testPath) ?? `https://${host}${binding.testPath}`,
  );
  const shown = `${url.origin}${url.pathname}`;
  let settings: RunnerSandboxSettings;
  try {
    settings = await input.settings();
  } catch (error) {
    return result('unavailable', error instanceof Error ? error.message : String(error));
  }
  if (settings.mode === 'danger_full_access') {
    return result(
      'unavailable',
      'Commands here run without the sandbox ([sandbox] default_policy = "danger_full_access"), and tokens are given to sandboxed commands only.',
      { url: shown },
    );
  }
  if (!networkAllows(settings.network, host, portOf(url))) {
    return result(
      'blocked',
      `Commands cannot reach ${host}: [sandbox.network] policy = "${settings.network.policy}" does not allow it. Add { domain = "${host}", port = ${portOf(url)} } to [[sandbox.network.allowlist]] in your vtcode.toml.`,
      { url: shown },
    );
  }
  const command = [
    `command -v curl >/dev/null 2>&1 || { echo ${MARK}-no-curl; exit 0; }`,
    `curl -sS -o /dev/null -m 15 --noproxy '' -w '${MARK}-status=%{http_code}\\n' -H "Authorization: Bearer $${binding.envVar}" ${shellQuote(url.href)}`,
    `echo "${MARK}-curl=$?"`,
  ].join('; ');
  let text: string;
  let violations: number;
  try {
    const runId = await input.runner.start({
      request: { command, timeoutSeconds: input.timeoutSeconds ?? 30 },
      workspace: input.workspace,
      settings,
    });
    const done = await input.runner.wait(runId);
    text = done.text;
    violations = done.exit.violations;
  } catch (error) {
    if (error instanceof SandboxUnavailableError) return result('unavailable', error.message);
    return result(
      'unavailable',
      `The test command could not run: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (text.includes(`${MARK}-no-curl`)) {
    return result('unavailable', 'curl is not installed, so the test cannot make its request.', {
      url: shown,
    });
  }
  const status = Number(/vtcode-token-test-status=(\d{3})/.exec(text)?.[1] ?? 0);
  if (violations > 0 || /blocked by network allowlist/i.test(text)) {
    return result('blocked', `The sandbox blocked the request to ${host}.`, { url: shown });
  }
  if (status === 0) {
    const why = /curl: \(\d+\)[^\r\n]*/.exec(text)?.[0] ?? 'no answer';
    return result('unreachable', `${shown} could not be reached: ${why}`, { url: shown });
  }
  const answered = { httpStatus: status, url: shown };
  if (status === 401 || status === 403) {
    return result('rejected', `${host} refused the token (HTTP ${status}).`, answered);
  }
  if (status >= 200 && status < 400) {
    return result('ok', `${host} accepted the request (HTTP ${status}).`, answered);
  }
  return result('unexpected-response', `${host} answered HTTP ${status}.`, answered);
}
