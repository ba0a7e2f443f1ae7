import { describe, expect, it } from 'vitest';
import { resolveAppPaths } from './paths';

describe('resolveAppPaths', () => {
  it('follows XDG on Linux', () => {
    const paths = resolveAppPaths({ XDG_CONFIG_HOME: '/x/cfg' }, 'linux', '/home/u');
    expect(paths.configDir).toBe('/x/cfg/vtcode-desktop');
    expect(paths.dataDir).toBe('/home/u/.local/share/vtcode-desktop');
    expect(paths.logDir).toBe('/home/u/.local/share/vtcode-desktop/logs');
  });

  it('ignores an empty XDG variable', () => {
    expect(resolveAppPaths({ XDG_CONFIG_HOME: '' }, 'linux', '/h').configDir).toBe(
      '/h/.config/vtcode-desktop',
    );
  });

  it('uses Application Support on macOS', () => {
    expect(resolveAppPaths({}, 'darwin', '/Users/u').configDir).toBe(
      '/Users/u/Library/Application Support/vtcode-desktop',
    );
  });

  it('puts everything under VTCODE_DESKTOP_HOME when set', () => {
    const paths = resolveAppPaths({ VTCODE_DESKTOP_HOME: '/t' }, 'linux', '/h');
    expect(paths).toMatchObject({
      configDir: '/t/config',
      dataDir: '/t/data',
      logDir: '/t/data/logs',
    });
  });
});
