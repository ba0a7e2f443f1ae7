import type { ITheme } from '@xterm/xterm';
import type { ResolvedTheme } from '../settings/theme';

/* Terminal colours for each app theme; ANSI colours chosen to stay readable on the background. */

const dark: ITheme = {
  background: '#13151a',
  foreground: '#e4e7ec',
  cursor: '#e4e7ec',
  selectionBackground: '#33415c',
  black: '#1d2027',
  red: '#f0625a',
  green: '#4cc274',
  yellow: '#e0a53a',
  blue: '#4c8bf5',
  magenta: '#c678dd',
  cyan: '#3fb6c6',
  white: '#d0d4db',
  brightBlack: '#6b7380',
  brightRed: '#ff8a80',
  brightGreen: '#7ee2a0',
  brightYellow: '#f5c86a',
  brightBlue: '#82adff',
  brightMagenta: '#e0a3f0',
  brightCyan: '#7fd8e4',
  brightWhite: '#ffffff',
};

const light: ITheme = {
  background: '#fbfbfc',
  foreground: '#1c1f24',
  cursor: '#1c1f24',
  selectionBackground: '#c9dafc',
  black: '#1c1f24',
  red: '#c8322b',
  green: '#2f8a4c',
  yellow: '#946200',
  blue: '#2f6fde',
  magenta: '#a23dbd',
  cyan: '#0e7c8a',
  white: '#8a929d',
  brightBlack: '#5f6873',
  brightRed: '#e0443c',
  brightGreen: '#3aa35c',
  brightYellow: '#b7791f',
  brightBlue: '#4c8bf5',
  brightMagenta: '#c04fe0',
  brightCyan: '#1597a8',
  brightWhite: '#5f6873',
};

/** xterm.js colours for the app's light or dark theme. */
export function xtermTheme(theme: ResolvedTheme): ITheme {
  return theme === 'dark' ? dark : light;
}
