import { useState, type FormEvent } from 'react';
import { useRoot } from '../../stores/root-store';

/** Open a folder: native dialog (desktop), in-app browser (any host), a typed path, or a recent one. */
export function WorkspacePicker() {
  const host = useRoot((s) => s.info?.host ?? null);
  const recent = useRoot((s) => s.recent);
  const opening = useRoot((s) => s.opening);
  const error = useRoot((s) => s.workspaceError);
  const openWorkspace = useRoot((s) => s.openWorkspace);
  const forgetRecent = useRoot((s) => s.forgetRecent);
  const pickNativeFolder = useRoot((s) => s.pickNativeFolder);
  const openBrowser = useRoot((s) => s.openBrowser);
  const [path, setPath] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void openWorkspace(path, window.sessionStorage).then((ok) => {
      if (ok) setPath('');
    });
  };

  return (
    <section className="workspace-picker" aria-label="Open a workspace">
      <h2>Workspace</h2>
      <div className="button-row">
        {host === 'electron' && (
          <button
            type="button"
            className="primary"
            onClick={() => void pickNativeFolder(window.sessionStorage)}
          >
            Open Folder…
          </button>
        )}
        <button
          type="button"
          className={host === 'electron' ? '' : 'primary'}
          onClick={() => void openBrowser()}
        >
          Browse…
        </button>
      </div>
      <form className="path-form" onSubmit={submit}>
        <label htmlFor="workspace-path">Folder path</label>
        <div className="input-row">
          <input
            id="workspace-path"
            type="text"
            value={path}
            placeholder="~/projects/my-app"
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setPath(e.target.value)}
          />
          <button type="submit" disabled={opening}>
            {opening ? 'Opening…' : 'Open'}
          </button>
        </div>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <h3>Recent</h3>
      {recent.length === 0 ? (
        <p className="muted small">Folders you open appear here.</p>
      ) : (
        <ul className="recent-list" aria-label="Recent workspaces">
          {recent.map((entry) => (
            <li key={entry.path} className={entry.exists ? '' : 'missing'}>
              <button
                type="button"
                className="recent-open"
                disabled={!entry.exists}
                title={entry.exists ? entry.path : `${entry.path} (no longer exists)`}
                onClick={() => void openWorkspace(entry.path, window.sessionStorage)}
              >
                <span className="recent-name">{entry.name}</span>
                <span className="recent-path">{entry.path}</span>
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove ${entry.name} from recent workspaces`}
                onClick={() => void forgetRecent(entry.path)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
