import {
  NETWORK_POLICY_RANK,
  SANDBOX_MODE_RANK,
  type ConfigIssue,
  type NetworkAllowEntry,
} from '../../shared/domain/policy';
import type { LayerValue } from './layer';

/**
 * A cloned repository's vtcode.toml must not loosen the sandbox: a workspace value for these keys
 * is taken only when it is at least as tight as what the user file (or the built-in default)
 * already says. Tightening (read_only, block_all, a narrower allow-list) is always taken. Same
 * spirit as the deny lists, which a workspace can only add to.
 */
export const SANDBOX_GUARDED_KEYS: ReadonlySet<string> = new Set([
  'sandbox.enabled',
  'sandbox.default_policy',
  'sandbox.network.policy',
  'sandbox.network.allowlist',
]);

/** What the workspace may not go past when the user file is silent. */
export const SANDBOX_DEFAULTS: Readonly<Record<string, unknown>> = {
  'sandbox.enabled': false,
  'sandbox.default_policy': 'read_only',
  'sandbox.network.policy': 'allowlist_only',
  'sandbox.network.allowlist': [],
};

const POLICY_RANK = SANDBOX_MODE_RANK;
const NETWORK_RANK = NETWORK_POLICY_RANK;

const WHY = 'a workspace file cannot loosen the sandbox; set it in the user config';

/** The user's entry covers the workspace's: same port, and the same domain or a wildcard over it. */
function covers(user: NetworkAllowEntry, ws: NetworkAllowEntry): boolean {
  if (user.port !== ws.port) return false;
  const u = user.domain.toLowerCase();
  const w = ws.domain.toLowerCase();
  if (u === w) return true;
  // `*.example.com` covers `api.example.com` and `*.api.example.com`, not `example.com`.
  return u.startsWith('*.') && w.endsWith(u.slice(1));
}

/**
 * Decide one workspace value of a guarded key against the baseline (the user file's value, else
 * the default). Returns the value to use (null: ignore it) and a warning when anything was dropped.
 */
export function guardWorkspaceSandbox(
  key: string,
  v: LayerValue,
  baseline: unknown,
  baselineFrom: string,
  file: string,
): { keep: LayerValue | null; issue: ConfigIssue | null } {
  const issue = (message: string): ConfigIssue => ({
    file,
    key: v.writtenKey,
    line: v.line,
    column: null,
    message,
    severity: 'warning',
  });
  const looser = (what: string, than: string): { keep: null; issue: ConfigIssue } => ({
    keep: null,
    issue: issue(`ignored: ${what} is looser than ${than} from ${baselineFrom}; ${WHY}`),
  });
  switch (key) {
    case 'sandbox.enabled':
      return v.value === false && baseline === true
        ? looser('enabled = false', 'enabled = true')
        : { keep: v, issue: null };
    case 'sandbox.default_policy':
    case 'sandbox.network.policy': {
      const rank = key === 'sandbox.default_policy' ? POLICY_RANK : NETWORK_RANK;
      const mine = rank[String(v.value)] ?? Number.MAX_SAFE_INTEGER;
      const theirs = rank[String(baseline)] ?? 0;
      if (mine > theirs) return looser(`"${String(v.value)}"`, `"${String(baseline)}"`);
      // Whatever the user file allows, a workspace file never goes past workspace_write.
      if (key === 'sandbox.default_policy' && mine > (POLICY_RANK.workspace_write ?? 1))
        return {
          keep: null,
          issue: issue(
            `ignored: a workspace file never sets "${String(v.value)}" (at most "workspace_write"); set it in the user config`,
          ),
        };
      return { keep: v, issue: null };
    }
    case 'sandbox.network.allowlist': {
      // Rule: a workspace entry is honoured only when an entry of the user's allowlist covers it,
      // so the effective list is the workspace's list cut down to what the user already allows.
      const user = baseline as readonly NetworkAllowEntry[];
      const entries = v.value as readonly NetworkAllowEntry[];
      const kept = entries.filter((e) => user.some((u) => covers(u, e)));
      const dropped = entries.filter((e) => !kept.includes(e));
      if (dropped.length === 0) return { keep: v, issue: null };
      const names = dropped.map((e) => `${e.domain}:${e.port}`).join(', ');
      return {
        keep: { ...v, value: kept },
        issue: issue(
          `ignored ${names}: not covered by [sandbox.network] allowlist in ${baselineFrom}; ${WHY}`,
        ),
      };
    }
    default:
      return { keep: v, issue: null };
  }
}
