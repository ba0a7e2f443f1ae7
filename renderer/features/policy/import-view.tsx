import { useEffect, useState } from 'react';
import type { PolicySnapshot } from '../../../shared/domain/policy';
import type { ImportFrom, ImportRow } from '../../../shared/domain/policy-import';
import { chosenEntryCount, detectRequest } from '../../stores/policy-import-slice';
import { useRoot } from '../../stores/root-store';

const FROM: readonly { id: ImportFrom; label: string; paste: string }[] = [
  {
    id: 'claude',
    label: 'Claude Code',
    paste: '{ "permissions": { "allow": ["Bash(npm run test:*)"] } }',
  },
  {
    id: 'codex',
    label: 'Codex',
    paste: 'prefix_rule(pattern = ["git", "status"], decision = "allow")',
  },
];

const STATUS: Readonly<Record<ImportRow['status'], string>> = {
  new: 'adds',
  duplicate: 'already there',
  'not-mapped': 'not mapped',
};

/**
 * Policy › Import: Claude Code's or Codex's rules, found on this machine or pasted, shown rule by
 * rule as the vtcode.toml entries they become; the chosen ones are added on "Add N rules".
 */
export function ImportView(_props: { snapshot: PolicySnapshot }) {
  const state = useRoot((s) => s.policyImport);
  const previewImport = useRoot((s) => s.previewImport);
  const toggle = useRoot((s) => s.toggleImportRow);
  const apply = useRoot((s) => s.applyImport);
  const dirty = useRoot((s) => Object.keys(s.policyEdits).length > 0);
  const [from, setFrom] = useState<ImportFrom>('claude');
  const [target, setTarget] = useState<'workspace' | 'user'>('workspace');
  const [pasted, setPasted] = useState('');

  useEffect(() => {
    void previewImport(detectRequest(from, target));
  }, [from, target, previewImport]);

  const ready = state.state === 'ready' ? state : null;
  const count = ready ? chosenEntryCount(ready.preview.rows, ready.chosen) : 0;
  const label = `Add ${count} rule${count === 1 ? '' : 's'}`;

  return (
    <section className="policy-section import-view" aria-label="Import rules">
      <h3>Import rules</h3>
      <div className="import-controls">
        <div role="radiogroup" aria-label="Import from" className="import-from">
          {FROM.map((f) => (
            <label key={f.id} className="chip">
              <input
                type="radio"
                name="import-from"
                checked={from === f.id}
                onChange={() => setFrom(f.id)}
              />
              {f.label}
            </label>
          ))}
        </div>
        <label className="field inline">
          <span>Add to</span>
          <select
            aria-label="Add rules to"
            value={target}
            onChange={(e) => setTarget(e.target.value as 'workspace' | 'user')}
          >
            <option value="workspace">Workspace file</option>
            <option value="user">User file</option>
          </select>
        </label>
      </div>
      <ImportFiles from={from} target={target} />
      <form
        className="import-paste"
        onSubmit={(e) => {
          e.preventDefault();
          if (pasted.trim() !== '')
            void previewImport({ from, source: { kind: 'text', text: pasted }, target });
        }}
      >
        <textarea
          aria-label="Rules to import"
          placeholder={FROM.find((f) => f.id === from)?.paste}
          spellCheck={false}
          rows={3}
          value={pasted}
          onChange={(e) => setPasted(e.target.value)}
        />
        <button type="submit" disabled={pasted.trim() === ''}>
          Preview pasted rules
        </button>
      </form>
      {state.state === 'loading' && <p className="muted small">Reading the rules…</p>}
      {state.state === 'error' && (
        <p className="form-error small" role="alert">
          {state.message}
        </p>
      )}
      {ready && (
        <>
          {ready.preview.notes.map((n) => (
            <p key={n} className="banner-inline" role="note">
              {n}
            </p>
          ))}
          <ImportTable rows={ready.preview.rows} chosen={ready.chosen} onToggle={toggle} />
          <div className="import-footer">
            <span className="muted small" title={ready.preview.targetFile}>
              into {ready.preview.targetFile}
            </span>
            {ready.error && (
              <span className="form-error small" role="alert">
                {ready.error}
              </span>
            )}
            {ready.done && (
              <span className="small" role="status">
                {ready.done}
              </span>
            )}
            <button
              type="button"
              className="primary"
              aria-label={label}
              disabled={count === 0 || ready.applying || dirty}
              title={dirty ? 'Save or revert your changes first' : undefined}
              onClick={() => void apply()}
            >
              {ready.applying ? 'Adding…' : label}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

function ImportFiles(props: { from: ImportFrom; target: 'workspace' | 'user' }) {
  const state = useRoot((s) => s.policyImport);
  const previewImport = useRoot((s) => s.previewImport);
  if (state.state !== 'ready' || state.preview.files.length === 0) return null;
  const detect = state.request.source.kind === 'detect';
  return (
    <ul className="import-files" aria-label="Files found">
      {state.preview.files.map((f) => (
        <li key={f.path} className={f.status === 'read' ? '' : 'muted'}>
          <code>{f.path}</code>{' '}
          <span className="small">
            {f.status === 'read' ? '' : f.status}
            {f.problem ? `: ${f.problem}` : ''}
          </span>
          {f.status === 'read' &&
            detect &&
            state.preview.files.filter((x) => x.status === 'read').length > 1 && (
              <button
                type="button"
                className="link-button"
                onClick={() =>
                  void previewImport({
                    from: props.from,
                    source: { kind: 'file', path: f.path },
                    target: props.target,
                  })
                }
              >
                only this file
              </button>
            )}
        </li>
      ))}
      {!detect && (
        <li>
          <button
            type="button"
            className="link-button"
            onClick={() => void previewImport(detectRequest(props.from, props.target))}
          >
            all files found
          </button>
        </li>
      )}
    </ul>
  );
}

function ImportTable(props: {
  rows: readonly ImportRow[];
  chosen: readonly string[];
  onToggle: (id: string) => void;
}) {
  if (props.rows.length === 0) return <p className="muted small">No rules to import.</p>;
  return (
    <table className="matrix import-table" aria-label="Rules to import">
      <thead>
        <tr>
          <th scope="col">Add</th>
          <th scope="col">Rule</th>
          <th scope="col">vtcode.toml</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr
            key={row.id}
            className={row.status === 'new' ? '' : 'import-row-off'}
            data-status={row.status}
          >
            <td>
              {row.status === 'new' ? (
                <input
                  type="checkbox"
                  aria-label={`Import ${row.source}`}
                  checked={props.chosen.includes(row.id)}
                  onChange={() => props.onToggle(row.id)}
                />
              ) : (
                <span className="source-tag">{STATUS[row.status]}</span>
              )}
            </td>
            <td>
              <code>{row.source}</code>
              <div className="small muted">
                {row.where}
                {row.file ? ` · ${row.file.split('/').slice(-2).join('/')}` : ' · pasted'}
              </div>
            </td>
            <td>
              {row.changes.map((c) => (
                <div key={`${c.list}:${c.entry}`} className={c.present ? 'muted' : ''}>
                  <code>
                    {c.list} = &quot;{c.entry}&quot;
                  </code>
                  {c.present && <span className="small"> (there already)</span>}
                </div>
              ))}
              {row.why && <div className="small muted">{row.why}</div>}
              {row.note && <div className="small muted">{row.note}</div>}
              {row.warning && (
                <div className="danger-note" role="note">
                  ⚠ {row.warning}
                </div>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
