import { useEffect, useRef } from 'react';
import type { KeychainState } from '../../../shared/domain/credentials';
import { useRoot } from '../../stores/root-store';
import { McpSection } from './mcp-section';
import { ModelSettings } from './model-settings';
import { ProviderRow } from './provider-row';
import { THEME_CHOICES, type ThemeChoice } from './theme';
import { TokensSection } from './tokens-section';
import './settings.css';

const THEME_WORDS: Record<ThemeChoice, string> = {
  system: 'System',
  light: 'Light',
  dark: 'Dark',
};

/** Light, Dark or follow the OS. */
function ThemePicker() {
  const choice = useRoot((s) => s.themeChoice);
  const setChoice = useRoot((s) => s.setThemeChoice);
  return (
    <fieldset className="theme-picker">
      <legend>Theme</legend>
      {THEME_CHOICES.map((value) => (
        <label key={value} className="check">
          <input
            type="radio"
            name="theme"
            value={value}
            checked={choice === value}
            onChange={() => setChoice(value)}
          />
          {THEME_WORDS[value]}
        </label>
      ))}
      <span className="muted small">System follows the light or dark setting of your OS.</span>
    </fieldset>
  );
}

/** Whether keys can go to the OS keychain; when not, exactly why and how to fix it. */
function KeychainNotice({ keychain }: { keychain: KeychainState }) {
  if (keychain.available) {
    return <p className="keychain keychain-ok small">Keychain available: keys are stored there.</p>;
  }
  return (
    <div className="keychain keychain-problem" role="alert">
      <strong>Keychain unavailable:</strong> {keychain.message}
      <div className="small">How to fix: {keychain.fix}</div>
      <div className="small">
        Until then a key can be kept for this session only (in memory, gone when the app quits).
      </div>
    </div>
  );
}

/** The theme, the model, API keys per provider, tokens for commands, MCP servers, in a sheet over the app (Escape closes it). */
export function SettingsPanel() {
  const credentials = useRoot((s) => s.credentials);
  const close = useRoot((s) => s.closeSettings);
  const heading = useRef<HTMLHeadingElement>(null);
  const sheet = useRef<HTMLElement>(null);
  const target = useRoot((s) => s.settingsTarget);
  const clearTarget = useRoot((s) => s.clearSettingsTarget);
  const openedAt = useRef(target);
  const agentLoaded = useRoot((s) => s.agentSettings.state === 'loaded');
  const keysLoaded = credentials.state === 'loaded';

  // Opened at a field (from an error, the header or Health): focus it once it is there.
  useEffect(() => {
    if (!target || !sheet.current) return;
    const selector =
      target.field === 'key'
        ? `[data-settings-key="${CSS.escape(target.provider ?? '')}"]`
        : `[data-settings-field="${target.field}"]`;
    const found =
      sheet.current.querySelector<HTMLElement>(selector) ??
      (target.field === 'key' ? sheet.current.querySelector<HTMLElement>('.providers') : null) ??
      sheet.current.querySelector<HTMLElement>('[data-settings-field="provider"]');
    if (!found) return;
    found.scrollIntoView({ block: 'center' });
    found.focus();
    clearTarget();
  }, [target, agentLoaded, keysLoaded, clearTarget]);

  useEffect(() => {
    // Opened at a field, the field gets focus (below); otherwise the heading does.
    if (!openedAt.current) heading.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      // A modal dialog over the sheet (an approval) keeps its Escape; so does a popover.
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      if (document.querySelector('[aria-modal="true"]')) return;
      close();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      // Give focus back to the Settings button that opened the sheet.
      document.getElementById('settings-button')?.focus();
    };
  }, [close]);

  return (
    <section ref={sheet} className="settings-sheet" role="region" aria-labelledby="settings-title">
      <div className="settings-header">
        <h2 id="settings-title" ref={heading} tabIndex={-1}>
          Settings
        </h2>
        <button type="button" aria-label="Close settings" onClick={close}>
          Close
        </button>
      </div>
      <ThemePicker />
      <ModelSettings />
      <h3>API keys</h3>
      <p className="muted small">
        Keys go to the OS keychain through the app’s main process and are never shown again; only
        their last four characters are.
      </p>
      {credentials.state === 'loading' || credentials.state === 'idle' ? (
        <p className="muted small">Reading the keychain…</p>
      ) : credentials.state === 'error' ? (
        <p className="form-error" role="alert">
          {credentials.message}
        </p>
      ) : (
        <>
          <KeychainNotice keychain={credentials.list.keychain} />
          <ul className="providers" aria-label="Providers">
            {credentials.list.providers.map((p) => (
              <ProviderRow key={p.provider} provider={p} keychain={credentials.list.keychain} />
            ))}
          </ul>
        </>
      )}
      <TokensSection />
      <McpSection />
    </section>
  );
}
