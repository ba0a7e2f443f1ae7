import { useRef, useState, type FormEvent } from 'react';
import type { McpServerView } from '../../../shared/domain/mcp';
import { useRoot } from '../../stores/root-store';

/**
 * A server's secrets: their names, Delete, and a form whose value goes from the password input
 * straight to main (the keychain). A value is never shown, nor kept in state.
 */
export function McpSecrets({ server, busy }: { server: McpServerView; busy: boolean }) {
  const setSecret = useRoot((s) => s.setMcpSecret);
  const deleteSecret = useRoot((s) => s.deleteMcpSecret);
  const [name, setName] = useState('');
  const valueInput = useRef<HTMLInputElement>(null);
  const how =
    server.transport === 'http'
      ? 'sent as a request header of that name'
      : 'given to the server as an environment variable';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = valueInput.current;
    if (!input) return;
    const value = input.value;
    input.value = '';
    if (await setSecret(server.name, name, value)) setName('');
  };

  return (
    <details className="mcp-secrets">
      <summary className="small">
        Secrets:{' '}
        {server.secrets.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          server.secrets.join(', ')
        )}
      </summary>
      <p className="muted small">
        Kept in the OS keychain and {how}; only their names are shown here.
      </p>
      {server.secrets.length > 0 && (
        <ul className="mcp-secret-list" aria-label={`Secrets of ${server.name}`}>
          {server.secrets.map((secret) => (
            <li key={secret}>
              <code>{secret}</code>
              <button
                type="button"
                disabled={busy}
                aria-label={`Delete the secret ${secret} of ${server.name}`}
                onClick={() => void deleteSecret(server.name, secret)}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="mcp-secret-form"
        aria-label={`Add a secret for ${server.name}`}
        onSubmit={(e) => void submit(e)}
      >
        <label className="field">
          <span>Variable</span>
          <input
            value={name}
            placeholder="API_KEY"
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Value</span>
          <input
            ref={valueInput}
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="Paste the secret"
          />
        </label>
        <button type="submit" disabled={busy}>
          Save secret
        </button>
      </form>
    </details>
  );
}
