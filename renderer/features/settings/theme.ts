/*
 * The app's theme: follow the OS (the default), or a fixed Light or Dark. The choice lives in
 * localStorage and shows as data-theme on <html>, which app.css reads; no attribute means "system".
 */

export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];
export type ResolvedTheme = 'light' | 'dark';

const THEME_KEY = 'vtcode-desktop:theme';

function isThemeChoice(value: unknown): value is ThemeChoice {
  return typeof value === 'string' && (THEME_CHOICES as readonly string[]).includes(value);
}

/** The stored choice; anything unreadable counts as "system". */
export function readThemeChoice(storage: Pick<Storage, 'getItem'>): ThemeChoice {
  try {
    const value = storage.getItem(THEME_KEY);
    return isThemeChoice(value) ? value : 'system';
  } catch {
    return 'system';
  }
}

/** Remember the choice ("system" removes it). */
export function writeThemeChoice(
  storage: Pick<Storage, 'setItem' | 'removeItem'>,
  choice: ThemeChoice,
): void {
  try {
    if (choice === 'system') storage.removeItem(THEME_KEY);
    else storage.setItem(THEME_KEY, choice);
  } catch {
    // Storage can be full or disabled; the theme still applies for this window.
  }
}

/** Put the choice on <html> so the stylesheet picks its colours. */
export function applyThemeChoice(root: HTMLElement, choice: ThemeChoice): void {
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
}

/** Light or dark as the user sees it now. */
export function resolveTheme(choice: ThemeChoice, osPrefersDark: boolean): ResolvedTheme {
  if (choice === 'system') return osPrefersDark ? 'dark' : 'light';
  return choice;
}
