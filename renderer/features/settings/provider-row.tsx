import { useId, useRef, useState, type FormEvent } from 'react';
import type { KeychainState, ProviderCredential } from '../../../shared/domain/credentials';
import { useRoot } from '../../stores/root-store';
import { selectProviderNote, type ProviderNote } from '../../stores/settings-slice';

/** Where a provider's key comes from, in words. */
export function statusText(p: ProviderCredential): string {
  switch (p.status) {
    case 'stored':
      return p.storage === 'session-only' ? 'Stored · session only' : 'Stored in the keychain';
    case 'from-environment':
      return `From environment${p.envVarFound ? ` (${p.envVarFound})` : ''}`;
    case 'missing':
      return 'Missing';
    default: {
      const unreachable: never = p.status;
      throw new Error(`unknown status ${String(unreachable)}`);
    }
  }
}

/** The last outcome for a provider, in a sentence. */
export function noteText(n: ProviderNote): {
  text: string;
  tone: 'ok' | 'warn' | 'error' | 'muted';
} {
  switch (n.kind) {
    case 'busy':
      return { text: `${n.action[0]?.toUpperCase()}${n.action.slice(1)}…`, tone: 'muted' };
    case 'saved': {
      const where = n.result.storage === 'keychain' ? 'in the keychain' : 'for this session only';
      const verb = n.imported ? 'Imported' : n.result.replaced ? 'Replaced' : 'Saved';
      const url = n.result.baseUrl ? `, sent only to ${n.result.baseUrl}` : '';
      return { text: `${verb} ${where} (${n.result.hint})${url}.`, tone: 'ok' };
    }
    case 'tested':
      return {
        text: `Test: ${n.result.message}${n.result.httpStatus ? ` (HTTP ${n.result.httpStatus})` : ''}`,
        tone: n.result.outcome === 'ok' ? 'ok' : 'error',
      };
    case 'deleted':
      return {
        text:
          n.removedFrom.length > 0
            ? `Deleted from ${n.removedFrom.map((k) => (k === 'keychain' ? 'the keychain' : 'this session')).join(' and ')}.`
            : 'There was no stored key to delete.',
        tone: 'ok',
      };
    case 'error':
      return { text: n.message, tone: 'error' };
    default: {
      const unreachable: never = n;
      throw new Error(`unknown note ${JSON.stringify(unreachable)}`);
    }
  }
}

/** One provider: status, masked hint, a masked key entry, and Test / Delete / Import. */
export function ProviderRow({
  provider,
  keychain,
}: {
  provider: ProviderCredential;
  keychain: KeychainState;
}) {
  const saveKey = useRoot((s) => s.saveKey);
  const testKey = useRoot((s) => s.testKey);
  const deleteKey = useRoot((s) => s.deleteKey);
  const importKey = useRoot((s) => s.importKey);
  const note = useRoot(selectProviderNote(provider.provider));
  const keyInput = useRef<HTMLInputElement>(null);
  const [sessionOnly, setSessionOnly] = useState(!keychain.available);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const inputId = useId();
  const busy = note?.kind === 'busy';
  const stored = provider.status === 'stored';
  const { label } = provider;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = keyInput.current;
    if (!input) return;
    // The key goes from the input straight to main; it is never kept in state.
    const key = input.value;
    input.value = '';
    await saveKey(provider.provider, key, sessionOnly || !keychain.available);
  };

  const shown = note ? noteText(note) : null;
  return (
    <li className="provider" role="group" aria-label={label}>
      <div className="provider-head">
        <strong className="provider-name">{label}</strong>
        <span className={`key-status key-${provider.status}`}>{statusText(provider)}</span>
        {provider.hint && (
          <code className="key-hint" aria-label="Key ends with">
            {provider.hint}
          </code>
        )}
        {provider.status === 'from-environment' && provider.hint === null && (
          <span
            className="key-env muted"
            title="The variable was named by vtcode.toml (api_key_env) and could hold any secret, so none of it is shown"
          >
            value not shown
          </span>
        )}
        {provider.status === 'stored' && provider.baseUrl && (
          <span
            className="key-env muted"
            title="A stored key is sent to the URL it was saved for and nowhere else"
          >
            sent only to {provider.baseUrl}
          </span>
        )}
        {provider.status === 'missing' && provider.envVars.length > 0 && (
          <span className="key-env muted">looks in {provider.envVars.join(', ')}</span>
        )}
        {provider.storage === 'session-only' && (
          <span className="pill pill-warn" title="Held in memory; gone when the app quits">
            session only
          </span>
        )}
      </div>
      <form className="key-form" onSubmit={(e) => void submit(e)}>
        <label htmlFor={inputId} className="visually-hidden">
          {`API key for ${label}`}
        </label>
        <input
          id={inputId}
          ref={keyInput}
          data-settings-key={provider.provider}
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder={stored ? 'Paste a new key to replace it' : 'Paste an API key'}
          disabled={busy}
        />
        <button type="submit" className="primary" disabled={busy}>
          {stored ? 'Replace' : 'Save'}
        </button>
      </form>
      <div className="provider-actions">
        <label className="check small">
          <input
            type="checkbox"
            checked={sessionOnly || !keychain.available}
            disabled={!keychain.available}
            onChange={(e) => setSessionOnly(e.target.checked)}
          />
          Keep for this session only
        </label>
        <span className="spacer" />
        <button
          type="button"
          disabled={busy || provider.status === 'missing'}
          aria-label={`Test the ${label} key`}
          onClick={() => void testKey(provider.provider)}
        >
          Test
        </button>
        {provider.canImport && (
          <button
            type="button"
            disabled={busy}
            aria-label={`Import the ${label} key from ${provider.envVarFound ?? 'the environment'}`}
            onClick={() => void importKey(provider.provider)}
          >
            Import from environment
          </button>
        )}
        {stored && !confirmDelete && (
          <button
            type="button"
            disabled={busy}
            aria-label={`Delete the ${label} key`}
            onClick={() => setConfirmDelete(true)}
          >
            Delete
          </button>
        )}
      </div>
      {confirmDelete && (
        <div className="confirm" role="group" aria-label={`Confirm deleting the ${label} key`}>
          <span className="small">Delete the stored {label} key?</span>
          <button
            type="button"
            className="danger"
            onClick={() => {
              setConfirmDelete(false);
              void deleteKey(provider.provider);
            }}
          >
            Delete key
          </button>
          <button type="button" onClick={() => setConfirmDelete(false)}>
            Keep it
          </button>
        </div>
      )}
      {note?.kind === 'saved' &&
        note.result.warnings.map((w) => (
          <p key={w} className="provider-note note-warn small">
            Warning: {w}
          </p>
        ))}
      {shown && (
        <p className={`provider-note note-${shown.tone} small`} role="status">
          {shown.text}
        </p>
      )}
    </li>
  );
}
