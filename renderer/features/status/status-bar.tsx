import { useEffect, useRef, useState } from 'react';
import { useDismiss } from '../../app/use-dismiss';
import { useRoot } from '../../stores/root-store';

const LABEL = {
  ok: 'All checks passed',
  warn: 'Some checks need attention',
  error: 'Setup problem',
} as const;

/** Host, version and the machine's health, with the details one click away. */
export function StatusBar() {
  const info = useRoot((s) => s.info);
  const health = useRoot((s) => s.health);
  const healthError = useRoot((s) => s.healthError);
  const connection = useRoot((s) => s.connection);
  const openSettingsAt = useRoot((s) => s.openSettingsAt);
  const checkHealth = useRoot((s) => s.checkHealth);
  // Asked for once the bar is on screen: the host's checks (programs on PATH, the keychain, the
  // model) take it tens of milliseconds of CPU that the first screen needs more (issue 18).
  useEffect(() => {
    void checkHealth();
  }, [checkHealth]);
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const popover = useRef<HTMLDivElement>(null);
  useDismiss(open, () => setOpen(false), button, popover);
  const status = health?.status;

  return (
    <footer className="status-bar" role="contentinfo">
      <span className={`dot dot-${connection}`} aria-hidden="true" />
      <span>
        {connection === 'open'
          ? 'Connected'
          : connection === 'connecting'
            ? 'Connecting…'
            : 'Disconnected'}
      </span>
      {info && (
        <span className="muted">
          v{info.version} · Node {info.nodeVersion}
          {info.electronVersion ? ` · Electron ${info.electronVersion}` : ''}
        </span>
      )}
      <span className="spacer" />
      <button
        ref={button}
        type="button"
        className={`health-button health-${status ?? 'unknown'}`}
        aria-expanded={open}
        aria-controls="health-details"
        onClick={() => setOpen(!open)}
      >
        {healthError ? 'Health check failed' : status ? LABEL[status] : 'Checking…'}
      </button>
      {open && health && (
        <div
          ref={popover}
          id="health-details"
          className="health-popover"
          role="region"
          aria-label="Health"
        >
          <ul>
            {health.checks.map((check) => (
              <li key={check.id} className={`health-${check.status}`}>
                <strong>{check.label}</strong>: {check.detail}
                {check.fix && <div className="small">{check.fix}</div>}
                {check.settingsField && (
                  <button
                    type="button"
                    className="link-button small"
                    onClick={() => {
                      setOpen(false);
                      openSettingsAt({ field: check.settingsField ?? 'provider', provider: null });
                    }}
                  >
                    {check.id === 'model' ? 'Connect a model' : 'Open Settings'}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </footer>
  );
}
