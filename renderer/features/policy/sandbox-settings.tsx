import { useState, type FormEvent } from 'react';
import {
  NETWORK_POLICY_RANK,
  SANDBOX_MODE_RANK,
  type NetworkAllowEntry,
  type PolicySnapshot,
} from '../../../shared/domain/policy';
import type { PolicyEdit } from '../../../shared/domain/policy-edit';
import { useRoot } from '../../stores/root-store';
import { DenyList } from './deny-list';
import { TryHost } from './try-host';

type Edits = Readonly<Record<string, PolicyEdit>>;

function edited<K extends PolicyEdit['kind']>(
  edits: Edits,
  key: string,
  kind: K,
): Extract<PolicyEdit, { kind: K }> | null {
  const edit = edits[key];
  return edit?.kind === kind ? (edit as Extract<PolicyEdit, { kind: K }>) : null;
}

const MODE_RANK = SANDBOX_MODE_RANK;
const NETWORK_RANK = NETWORK_POLICY_RANK;
const SANDBOX_KEYS = /^sandbox\.(enabled|default_policy|default_mode|network\.)/;

/**
 * Why the workspace file cannot set this value (null: it can). A workspace file never loosens the
 * sandbox past the user file, and an untrusted folder's commands are read-only whatever it says.
 */
function workspaceLimit(
  snapshot: PolicySnapshot,
  kind: 'mode' | 'network',
  value: string,
): string | null {
  if (kind === 'mode' && snapshot.trust !== 'trusted' && value !== 'read_only')
    return 'this folder is open read-only: trust it first';
  const ranks = kind === 'mode' ? MODE_RANK : NETWORK_RANK;
  const ceiling =
    kind === 'mode' ? snapshot.workspaceCeiling.mode : snapshot.workspaceCeiling.network;
  return (ranks[value] ?? 99) > (ranks[ceiling] ?? 0)
    ? `looser than the user file's ${ceiling}: set it in the user file`
    : null;
}

/** `[sandbox]`: the mode, the network policy and allow-list, and extra sensitive paths. */
export function SandboxSettings({ snapshot }: { snapshot: PolicySnapshot }) {
  const edits = useRoot((s) => s.policyEdits);
  const stage = useRoot((s) => s.stagePolicyEdit);
  const target = useRoot((s) => s.policyTarget);
  const setTarget = useRoot((s) => s.setPolicyTarget);
  const limit = (kind: 'mode' | 'network', value: string): string | null =>
    target === 'workspace' ? workspaceLimit(snapshot, kind, value) : null;
  const option = (kind: 'mode' | 'network', value: string, label: string) => {
    const why = limit(kind, value);
    return (
      <option key={value} value={value} disabled={why !== null} title={why ?? undefined}>
        {why ? `${label} (${why})` : label}
      </option>
    );
  };
  // Warnings about the sandbox keys, shown here rather than only in the list at the top.
  const sandboxIssues = snapshot.issues.filter((i) => i.key !== null && SANDBOX_KEYS.test(i.key));
  const mode =
    edited(edits, 'sandbox-policy', 'sandbox-policy')?.value ?? snapshot.sandbox.defaultPolicy;
  const network =
    edited(edits, 'network-policy', 'network-policy')?.value ?? snapshot.sandbox.network.policy;
  const allowlist =
    edited(edits, 'network-allowlist', 'network-allowlist')?.value ??
    snapshot.sandbox.network.allowlist;
  const additional =
    edited(edits, 'sensitive-paths:additional', 'sensitive-paths')?.value ??
    snapshot.sandbox.sensitivePaths.additional;

  return (
    <section className="policy-section" aria-label="Sandbox">
      <h3>Sandbox</h3>
      <label className="field">
        <span>Commands run</span>
        <select
          aria-label="Commands run"
          value={mode === 'external' ? 'workspace_write' : mode}
          onChange={(e) =>
            stage({
              kind: 'sandbox-policy',
              value: e.target.value as 'read_only' | 'workspace_write' | 'danger_full_access',
            })
          }
        >
          {option('mode', 'read_only', 'Read-only: no writes anywhere')}
          {option('mode', 'workspace_write', 'Workspace write: writes only inside the workspace')}
          {option('mode', 'danger_full_access', 'Unsandboxed (full access)')}
        </select>
      </label>
      {snapshot.trust !== 'trusted' && (
        <p className="note small" role="note">
          This folder is open read-only: commands run read-only and its vtcode.toml only tightens,
          whatever is set here. Change it with the trust badge in the top bar.
        </p>
      )}
      {sandboxIssues.length > 0 && (
        <div className="field-issues" role="alert" aria-label="Sandbox settings that were ignored">
          <ul>
            {sandboxIssues.map((issue, index) => (
              <li key={index}>
                <code>{issue.key}</code>: {issue.message}
              </li>
            ))}
          </ul>
          {target === 'workspace' && (
            <button type="button" onClick={() => setTarget('user')}>
              Set in user file
            </button>
          )}
        </div>
      )}
      {target === 'workspace' && snapshot.trust === 'trusted' && (
        <p className="muted small">
          Looser values than the user file&apos;s ({snapshot.workspaceCeiling.mode},{' '}
          {snapshot.workspaceCeiling.network}) are set in the user file.{' '}
          <button type="button" className="link-button" onClick={() => setTarget('user')}>
            Edit the user file
          </button>
        </p>
      )}
      {mode === 'danger_full_access' && (
        <p className="danger-note" role="alert">
          Unsandboxed: commands can read and write anything your account can, and reach any network.
        </p>
      )}
      <label className="field">
        <span>Network</span>
        <select
          aria-label="Network"
          value={network}
          onChange={(e) =>
            stage({ kind: 'network-policy', value: e.target.value as typeof network })
          }
        >
          {option('network', 'allowlist_only', 'Only the domains below')}
          {option('network', 'block_all', 'No network')}
          {option('network', 'allow_all', 'Any domain')}
        </select>
      </label>
      <AllowList
        entries={allowlist}
        onChange={(value) => stage({ kind: 'network-allowlist', value })}
      />
      <DenyList
        entries={snapshot.sandbox.network.denylist}
        target={target}
        edited={edited(edits, 'network-denylist', 'network-denylist')?.value ?? null}
        onChange={(value) => stage({ kind: 'network-denylist', value })}
      />
      {network === 'allowlist_only' && (
        <p className="muted small">
          A command connecting to a host not listed is paused while the app asks you (headless runs
          are denied). IP entries also stop names that resolve to them.
        </p>
      )}
      <TryHost />
      <PathList
        label="Extra sensitive paths (never readable)"
        entries={additional}
        onChange={(value) => stage({ kind: 'sensitive-paths', list: 'additional', value })}
      />
      <p className="muted small">
        Always protected: ~/.ssh, ~/.aws, ~/.kube, ~/.gnupg and the app&apos;s own config and key
        files.
      </p>
    </section>
  );
}

function AllowList({
  entries,
  onChange,
}: {
  entries: readonly NetworkAllowEntry[];
  onChange: (v: NetworkAllowEntry[]) => void;
}) {
  const [domain, setDomain] = useState('');
  const [port, setPort] = useState('443');
  const portNumber = Number(port);
  const problem =
    domain === ''
      ? null
      : !/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(domain)
        ? 'Not a domain name (e.g. api.github.com or *.npmjs.org).'
        : !Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535
          ? 'The port must be a number from 1 to 65535.'
          : null;
  const add = (event: FormEvent) => {
    event.preventDefault();
    if (domain === '' || problem) return;
    onChange([...entries, { domain: domain.toLowerCase(), port: portNumber }]);
    setDomain('');
  };
  return (
    <div className="rule-list" role="group" aria-label="Allowed domains">
      <div className="rule-list-title">Allowed domains</div>
      <ul>
        {entries.map((entry, index) => (
          <li key={`${entry.domain}:${entry.port}`}>
            <code>
              {entry.domain}:{entry.port}
            </code>
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove ${entry.domain}`}
              onClick={() => onChange(entries.filter((_, i) => i !== index))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form className="rule-add" onSubmit={add}>
        <input
          type="text"
          aria-label="Domain"
          placeholder="api.github.com"
          value={domain}
          onChange={(e) => setDomain(e.target.value)}
        />
        <input
          type="text"
          aria-label="Port"
          className="port"
          value={port}
          onChange={(e) => setPort(e.target.value)}
        />
        <button type="submit" disabled={domain === '' || problem !== null}>
          Add
        </button>
      </form>
      {problem && <p className="form-error small">{problem}</p>}
    </div>
  );
}

function PathList({
  label,
  entries,
  onChange,
}: {
  label: string;
  entries: readonly string[];
  onChange: (v: string[]) => void;
}) {
  const [path, setPath] = useState('');
  const add = (event: FormEvent) => {
    event.preventDefault();
    if (path.trim() === '') return;
    onChange([...entries, path.trim()]);
    setPath('');
  };
  return (
    <div className="rule-list" role="group" aria-label={label}>
      <div className="rule-list-title">{label}</div>
      <ul>
        {entries.map((entry, index) => (
          <li key={entry}>
            <code>{entry}</code>
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove ${entry}`}
              onClick={() => onChange(entries.filter((_, i) => i !== index))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form className="rule-add" onSubmit={add}>
        <input
          type="text"
          aria-label="New sensitive path"
          placeholder="~/.config/secrets"
          value={path}
          onChange={(e) => setPath(e.target.value)}
        />
        <button type="submit" disabled={path.trim() === ''}>
          Add
        </button>
      </form>
    </div>
  );
}
