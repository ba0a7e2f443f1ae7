import { useRoot } from '../stores/root-store';

const MODE = {
  read_only: 'read-only',
  workspace_write: 'workspace write',
  external: 'external',
} as const;
const NETWORK = {
  allowlist_only: 'allow-listed hosts',
  allow_all: 'any host',
  block_all: 'no network',
} as const;

/** The sandbox the open workspace's commands run under, always in view; red when there is none. */
export function SandboxBadge() {
  const sandbox = useRoot((s) => (s.policy.state === 'ready' ? s.policy.snapshot.sandbox : null));
  if (!sandbox) return null;
  if (sandbox.defaultPolicy === 'danger_full_access') {
    return (
      <span className="pill pill-danger" role="status" aria-label="Sandbox">
        Unsandboxed: full access
      </span>
    );
  }
  const hosts =
    sandbox.network.policy === 'allowlist_only' ? ` (${sandbox.network.allowlist.length})` : '';
  return (
    <span
      className="pill"
      role="status"
      aria-label="Sandbox"
      title="How commands run in this workspace ([sandbox] in vtcode.toml)"
    >
      Sandbox: {MODE[sandbox.defaultPolicy]} · {NETWORK[sandbox.network.policy]}
      {hosts}
    </span>
  );
}
