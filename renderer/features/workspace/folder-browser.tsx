import { useEffect, useRef } from 'react';
import { useFocusTrap } from '../../app/focus-trap';
import { FolderIcon, ParentFolderIcon } from '../../app/icons';
import { useRoot } from '../../stores/root-store';

/** A folder browser over the host's file system: works in the desktop app and in browser mode. */
export function FolderBrowser() {
  const browser = useRoot((s) => s.browser);
  const openBrowser = useRoot((s) => s.openBrowser);
  const closeBrowser = useRoot((s) => s.closeBrowser);
  const openWorkspace = useRoot((s) => s.openWorkspace);
  const dialogRef = useRef<HTMLDivElement>(null);
  const trap = useFocusTrap(dialogRef);

  useEffect(() => {
    dialogRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') closeBrowser();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [closeBrowser]);

  if (!browser) return null;
  const listing = browser.listing;

  return (
    <div className="modal-backdrop">
      <div
        ref={dialogRef}
        className="modal folder-browser"
        role="dialog"
        aria-modal="true"
        aria-labelledby="folder-browser-title"
        tabIndex={-1}
        onKeyDown={trap}
      >
        <h2 id="folder-browser-title">Choose a workspace folder</h2>
        <div className="folder-current" aria-live="polite">
          {listing ? listing.path : 'Loading…'}
        </div>
        {browser.error && (
          <p className="form-error" role="alert">
            {browser.error}
          </p>
        )}
        <ul className="folder-list" aria-label="Folders" aria-busy={browser.loading}>
          {listing?.parent && (
            <li>
              <button type="button" onClick={() => void openBrowser(listing.parent ?? undefined)}>
                <ParentFolderIcon /> Parent folder
              </button>
            </li>
          )}
          {listing?.entries.map((entry) => (
            <li key={entry.path}>
              <button type="button" onClick={() => void openBrowser(entry.path)}>
                <FolderIcon /> {entry.name}
              </button>
            </li>
          ))}
          {listing && listing.entries.length === 0 && (
            <li className="muted small">No sub-folders.</li>
          )}
        </ul>
        {listing?.truncated && <p className="muted small">Only the first 500 folders are shown.</p>}
        <div className="modal-actions">
          <button type="button" onClick={closeBrowser}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            disabled={!listing}
            onClick={() => listing && void openWorkspace(listing.path, window.sessionStorage)}
          >
            Open this folder
          </button>
        </div>
      </div>
    </div>
  );
}
