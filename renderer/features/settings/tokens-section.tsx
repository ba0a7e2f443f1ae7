import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { TokenBinding, TokenTestResult } from '../../../shared/domain/tokens';
import { useRoot } from '../../stores/root-store';
import { checkTokenDraft, type TokenDraft, type TokenDraftErrors } from '../../stores/token-draft';
import { selectTokenNote, type TokenNote } from '../../stores/tokens-slice';

type Tone = 'ok' | 'warn' | 'error' | 'muted';

function testTone(result: TokenTestResult): Tone {
  return result.outcome === 'ok' ? 'ok' : result.outcome === 'blocked' ? 'warn' : 'error';
}

/** The last outcome for a token, in a sentence. */
export function tokenNoteText(n: TokenNote): { text: string; tone: Tone } {
  switch (n.kind) {
    case 'busy':
      return { text: `${n.action[0]?.toUpperCase()}${n.action.slice(1)}…`, tone: 'muted' };
    case 'saved':
      return {
        text: `${n.result.replaced ? 'Replaced' : 'Saved'} ${n.result.name} (${n.result.hint}): commands see a placeholder in $${n.result.envVar}, sent as the token to ${n.result.hosts.join(', ')} only.`,
        tone: 'ok',
      };
    case 'tested':
      return { text: `Test: ${n.result.message}`, tone: testTone(n.result) };
    case 'deleted':
      return { text: n.removed ? 'Deleted.' : 'There was nothing to delete.', tone: 'ok' };
    case 'error':
      return { text: n.message, tone: 'error' };
    default: {
      const unreachable: never = n;
      throw new Error(`unknown note ${JSON.stringify(unreachable)}`);
    }
  }
}

function Note({ note }: { note: TokenNote | undefined }) {
  if (!note) return null;
  const shown = tokenNoteText(note);
  return (
    <>
      {note.kind === 'saved' &&
        note.result.warnings.map((w) => (
          <p key={w} className="provider-note note-warn small">
            Warning: {w}
          </p>
        ))}
      <p className={`provider-note note-${shown.tone} small`} role="status">
        {shown.text}
      </p>
    </>
  );
}

/** One binding: name, variable, hosts, last characters; Test and Delete. */
function TokenRow({ token }: { token: TokenBinding }) {
  const testToken = useRoot((s) => s.testToken);
  const deleteToken = useRoot((s) => s.deleteToken);
  const note = useRoot(selectTokenNote(token.name));
  const [confirmDelete, setConfirmDelete] = useState(false);
  const busy = note?.kind === 'busy';
  return (
    <li className="provider" role="group" aria-label={`Token ${token.name}`}>
      <div className="provider-head">
        <strong className="provider-name">{token.name}</strong>
        <code className="token-var" aria-label="Variable">
          ${token.envVar}
        </code>
        {token.hint ? (
          <code className="key-hint" aria-label="Token ends with">
            {token.hint}
          </code>
        ) : (
          <span className="key-missing small">not in the keychain</span>
        )}
        <span
          className="key-env muted"
          title="The proxy puts the token into requests to these hosts only"
        >
          sent only to {token.hosts.join(', ')}
        </span>
      </div>
      <div className="provider-actions">
        <span className="spacer" />
        <button
          type="button"
          disabled={busy || token.hint === null}
          aria-label={`Test the ${token.name} token`}
          title={`One request to ${token.hosts[0] ?? ''}${token.testPath}, as a command in this workspace would make it`}
          onClick={() => void testToken(token.name)}
        >
          Test
        </button>
        {!confirmDelete && (
          <button
            type="button"
            disabled={busy}
            aria-label={`Delete the ${token.name} token`}
            onClick={() => setConfirmDelete(true)}
          >
            Delete
          </button>
        )}
      </div>
      {confirmDelete && (
        <div
          className="confirm"
          role="group"
          aria-label={`Confirm deleting the ${token.name} token`}
        >
          <span className="small">Delete the {token.name} token and its binding?</span>
          <button
            type="button"
            className="danger"
            onClick={() => {
              setConfirmDelete(false);
              void deleteToken(token.name);
            }}
          >
            Delete token
          </button>
          <button type="button" onClick={() => setConfirmDelete(false)}>
            Keep it
          </button>
        </div>
      )}
      <Note note={note} />
    </li>
  );
}

const EMPTY = { name: '', envVar: '', hosts: '', testPath: '' };

/** Name, variable, hosts and the token; the token goes from its input straight to main. */
function AddToken() {
  const saveToken = useRoot((s) => s.saveToken);
  const note = useRoot(selectTokenNote(''));
  const [fields, setFields] = useState(EMPTY);
  const [errors, setErrors] = useState<TokenDraftErrors>({});
  const valueInput = useRef<HTMLInputElement>(null);
  const busy = note?.kind === 'busy';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = valueInput.current;
    if (!input) return;
    const draft: TokenDraft = { ...fields, value: input.value };
    const found = checkTokenDraft(draft);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    // The token goes from the input straight to main; it is never kept in state.
    input.value = '';
    if (await saveToken(draft)) setFields(EMPTY);
  };

  const field = (key: keyof typeof EMPTY, title: string, placeholder: string) => (
    <label className="field">
      <span>{title}</span>
      <input
        value={fields[key]}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={errors[key] ? true : undefined}
        onChange={(e) => {
          setFields((f) => ({ ...f, [key]: e.target.value }));
          setErrors(({ [key]: _fixed, ...rest }) => rest);
        }}
      />
      {errors[key] && <span className="form-error small">{errors[key]}</span>}
    </label>
  );

  return (
    <form className="token-add" aria-label="Add a token" onSubmit={(e) => void submit(e)}>
      <div className="custom-provider-grid">
        {field('name', 'Name', 'github')}
        {field('envVar', 'Variable commands read', 'GH_TOKEN')}
        {field('hosts', 'Hosts it is sent to', 'api.github.com, uploads.github.com')}
        {field('testPath', 'Test path (optional)', '/user')}
      </div>
      <label className="field">
        <span>Token</span>
        <div className="key-form">
          <input
            ref={valueInput}
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="Paste the token"
            aria-label="Token value"
            aria-invalid={errors.value ? true : undefined}
            disabled={busy}
          />
          <button type="submit" className="primary" disabled={busy}>
            Add token
          </button>
        </div>
        {errors.value && <span className="form-error small">{errors.value}</span>}
      </label>
      <Note note={note} />
    </form>
  );
}

/** Settings › Tokens for commands: the bindings (masked), with Add, Test and Delete. */
export function TokensSection() {
  const tokens = useRoot((s) => s.tokens);
  const loadTokens = useRoot((s) => s.loadTokens);
  useEffect(() => {
    void loadTokens();
  }, [loadTokens]);
  return (
    <section className="tokens-section" aria-labelledby="tokens-title">
      <h3 id="tokens-title">Tokens for commands</h3>
      <p className="muted small">
        A token for a tool the agent runs (gh, npm, a private registry). Commands in the sandbox see
        only a placeholder in its variable; the sandbox proxy puts the real token into HTTPS
        requests to the hosts you name, and nowhere else. Those hosts must still be allowed by the
        network policy. The token stays in the keychain; only its last four characters are shown.
      </p>
      {tokens.state === 'loading' || tokens.state === 'idle' ? (
        <p className="muted small">Reading the tokens…</p>
      ) : tokens.state === 'error' ? (
        <p className="form-error" role="alert">
          {tokens.message}
        </p>
      ) : (
        <>
          {!tokens.list.keychain.available && (
            // Not an alert: the API keys section above already raises the same one.
            <p className="keychain keychain-problem small">
              Keychain unavailable: {tokens.list.keychain.message} {tokens.list.keychain.fix}
            </p>
          )}
          {tokens.list.tokens.length > 0 && (
            <ul className="providers" aria-label="Tokens">
              {tokens.list.tokens.map((t) => (
                <TokenRow key={t.name} token={t} />
              ))}
            </ul>
          )}
        </>
      )}
      <AddToken />
    </section>
  );
}
