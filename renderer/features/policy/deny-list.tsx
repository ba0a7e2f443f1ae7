import { useState, type FormEvent } from 'react';
import type { NetworkDenyEntry } from '../../../shared/domain/policy';
import type { HostDenyEntry } from '../../../shared/domain/policy-edit';
import type { SaveTarget } from '../../stores/policy-draft';
import { SourceTag } from './source-tag';

const HOST = /^(\*\.)?[a-z0-9_-]{1,63}(\.[a-z0-9_-]{1,63})*$|^\[[0-9a-f:.]{2,45}\]$/i;

/** What a typed deny entry is wrong about, or null. */
export function denyEntryProblem(domain: string, port: string): string | null {
  if (domain === '') return null;
  if (!HOST.test(domain))
    return 'Not a host (e.g. tracker.example, *.example.com, 10.0.0.1 or [::1]).';
  if (port.trim() === '') return null;
  const n = Number(port);
  return Number.isInteger(n) && n >= 1 && n <= 65535
    ? null
    : 'The port must be a number from 1 to 65535, or empty for every port.';
}

function label(e: { domain: string; port?: number | undefined }): string {
  return e.port === undefined ? `${e.domain} (any port)` : `${e.domain}:${e.port}`;
}

/**
 * `[sandbox.network] denylist`: hosts commands never reach, whatever the policy or allow-list. The
 * lists of both files join; the entries of the file being edited can be removed here, the other
 * file's are shown with their source.
 */
export function DenyList({
  entries,
  target,
  edited,
  onChange,
}: {
  /** Every entry in force (both files), with its file. */
  entries: readonly NetworkDenyEntry[];
  target: SaveTarget;
  /** The target file's list as edited (null: unchanged). */
  edited: readonly HostDenyEntry[] | null;
  onChange: (value: HostDenyEntry[]) => void;
}) {
  const [domain, setDomain] = useState('');
  const [port, setPort] = useState('');
  const own: HostDenyEntry[] =
    edited !== null
      ? [...edited]
      : entries
          .filter((e) => e.source.layer === target)
          .map((e) =>
            e.port === undefined ? { domain: e.domain } : { domain: e.domain, port: e.port },
          );
  const others = entries.filter((e) => e.source.layer !== target);
  const problem = denyEntryProblem(domain.trim(), port);
  const add = (event: FormEvent) => {
    event.preventDefault();
    const d = domain.trim().toLowerCase();
    if (d === '' || problem) return;
    const entry: HostDenyEntry =
      port.trim() === '' ? { domain: d } : { domain: d, port: Number(port) };
    if (!own.some((e) => e.domain === entry.domain && e.port === entry.port))
      onChange([...own, entry]);
    setDomain('');
    setPort('');
  };
  return (
    <div className="rule-list" role="group" aria-label="Denied hosts">
      <div className="rule-list-title">Denied hosts (never reached; a workspace file may add)</div>
      <ul>
        {own.map((entry, index) => (
          <li key={`own:${label(entry)}`}>
            <code>{label(entry)}</code>
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove denied ${label(entry)}`}
              onClick={() => onChange(own.filter((_, i) => i !== index))}
            >
              ×
            </button>
          </li>
        ))}
        {others.map((entry) => (
          <li key={`other:${entry.source.layer}:${label(entry)}`}>
            <code>{label(entry)}</code> <SourceTag source={entry.source} />
          </li>
        ))}
      </ul>
      <form className="rule-add" onSubmit={add}>
        <input
          type="text"
          aria-label="Host to deny"
          placeholder="tracker.example or *.ads.example"
          value={domain}
          onChange={(e) => setDomain(e.target.value)}
        />
        <input
          type="text"
          aria-label="Port to deny (empty: every port)"
          className="port"
          placeholder="any"
          value={port}
          onChange={(e) => setPort(e.target.value)}
        />
        <button type="submit" disabled={domain.trim() === '' || problem !== null}>
          Deny
        </button>
      </form>
      {problem && <p className="form-error small">{problem}</p>}
    </div>
  );
}
