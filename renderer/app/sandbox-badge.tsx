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
  const setSide = useRoot((s) => s.setSidePanel);
  // The badge opens the sandbox settings: the Policy panel, scrolled to its Sandbox section.
  const open = (): void => {
    setSide('policy');
    requestAnimationFrame(() =>
      document.querySelector('section[aria-label="Sandbox"]')?.scrollIntoView({ block: 'start' }),
    );
  };
  if (!sandbox) return null;
  if (sandbox.defaultPolicy === 'danger_full_access') {
    return (
      <button
        type="button"
        className="pill pill-danger pill-button"
        aria-label="Sandbox"
        title="Open the sandbox settings"
        onClick={open}
      >
        Unsandboxed: full access
      </button>
    );
  }
  const hosts =
    sandbox.network.policy === 'allowlist_only' ? ` (${sandbox.network.allowlist.length})` : '';
  return (
    <button
      type="button"
      className="pill pill-button"
      aria-label="Sandbox"
      title="How commands run in this workspace ([sandbox] in vtcode.toml): click for the settings"
      onClick={open}
    >
      Sandbox: {MODE[sandbox.defaultPolicy]} · {NETWORK[sandbox.network.policy]}
      {hosts}
    </button>
  );
}
