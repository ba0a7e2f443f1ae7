import { useId, useState, type FormEvent, type ReactNode } from 'react';
import {
  EMPTY_MCP_DRAFT,
  type McpDraft,
  type McpDraftErrors,
  type McpDraftField,
} from '../../stores/mcp-draft';
import { selectMcpNote } from '../../stores/mcp-slice';
import { useRoot } from '../../stores/root-store';
import { mcpNoteText } from './mcp-words';

type TextKey = 'name' | 'program' | 'args' | 'cwd' | 'url' | 'env' | 'writable';

/** Add a server to the user's vtcode.toml: a program to run in the sandbox, or a URL. */
export function McpAddForm() {
  const add = useRoot((s) => s.addMcpServer);
  const note = useRoot(selectMcpNote(''));
  const [draft, setDraft] = useState<McpDraft>(EMPTY_MCP_DRAFT);
  const [errors, setErrors] = useState<McpDraftErrors>({});
  const id = useId();
  const busy = note?.kind === 'busy';

  const change = (patch: Partial<McpDraft>, fixed: McpDraftField[]) => {
    setDraft((d) => ({ ...d, ...patch }));
    setErrors((e) => {
      const rest = { ...e };
      for (const f of [...fixed, 'form' as const]) delete rest[f];
      return rest;
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = await add(draft);
    setErrors(found ?? {});
    if (found === null) setDraft(EMPTY_MCP_DRAFT);
  };

  const error = (key: McpDraftField) =>
    errors[key] && (
      <span className="form-error small" id={`${id}-${key}-error`}>
        {errors[key]}
      </span>
    );
  const field = (key: TextKey, title: ReactNode, input: { multiline?: boolean; hint?: string }) => {
    const props = {
      value: draft[key],
      spellCheck: false,
      autoComplete: 'off',
      placeholder: input.hint,
      'aria-invalid': errors[key] ? true : undefined,
      'aria-describedby': errors[key] ? `${id}-${key}-error` : undefined,
      onChange: (e: { target: { value: string } }) => change({ [key]: e.target.value }, [key]),
    };
    // The error is outside the label so the input's name stays its title.
    return (
      <div className={`field mcp-field-${key}`}>
        <label htmlFor={`${id}-${key}`}>{title}</label>
        {input.multiline ? (
          <textarea id={`${id}-${key}`} rows={2} {...props} />
        ) : (
          <input id={`${id}-${key}`} {...props} />
        )}
        {error(key)}
      </div>
    );
  };

  const stdio = draft.kind === 'command';
  return (
    <form
      className="token-add mcp-add"
      aria-label="Add an MCP server"
      onSubmit={(e) => void submit(e)}
    >
      <h4 className="mcp-add-title">Add a server</h4>
      <div className="custom-provider-grid">
        {field('name', 'Name', { hint: 'files' })}
        <fieldset className="mcp-kind">
          <legend>Runs as</legend>
          <label className="check">
            <input
              type="radio"
              name={`${id}-kind`}
              checked={stdio}
              onChange={() => change({ kind: 'command' }, ['url'])}
            />
            Command
          </label>
          <label className="check">
            <input
              type="radio"
              name={`${id}-kind`}
              checked={!stdio}
              onChange={() => change({ kind: 'url' }, ['program', 'args', 'cwd', 'writable'])}
            />
            URL
          </label>
        </fieldset>
      </div>
      {stdio ? (
        <>
          {field('program', 'Program', { hint: 'npx, node, /usr/local/bin/server' })}
          {field('args', 'Arguments (one per line, or one line split on spaces)', {
            multiline: true,
            hint: '-y @modelcontextprotocol/server-filesystem .',
          })}
          {field('cwd', 'Working folder (optional)', { hint: 'the workspace' })}
        </>
      ) : (
        field('url', 'URL', { hint: 'https://mcp.example.com/mcp' })
      )}
      {field('env', 'Variables (NAME=value, one per line, optional; not for secrets)', {
        multiline: true,
        hint: 'LOG_LEVEL=info',
      })}
      {stdio && (
        <>
          <label className="check mcp-network">
            <input
              type="checkbox"
              checked={draft.network}
              onChange={(e) => change({ network: e.target.checked }, [])}
            />
            Allow network (the network policy still decides each host)
          </label>
          {field('writable', 'Folders it may write (one per line; none: read-only)', {
            multiline: true,
            hint: 'out',
          })}
        </>
      )}
      <div className="mcp-add-actions">
        <button type="submit" className="primary" disabled={busy}>
          Add server
        </button>
        <span className="muted small">Written to your user vtcode.toml.</span>
      </div>
      {error('form')}
      {note && (
        <p
          className={`provider-note note-${note.kind === 'error' ? 'error' : 'muted'} small`}
          role={note.kind === 'error' ? 'alert' : 'status'}
        >
          {mcpNoteText(note)}
        </p>
      )}
    </form>
  );
}
