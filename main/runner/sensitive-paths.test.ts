import { describe, expect, it } from 'vitest';
import { resolveAppPaths } from '../platform/paths';
import { sensitiveReadRules } from './sensitive-paths';

const appPaths = resolveAppPaths({}, 'linux', '/home/u');

describe('sensitiveReadRules', () => {
  it('denies the defaults, the keyring and the app config', () => {
    const { denyRead } = sensitiveReadRules(
      { useDefaults: true, additional: [], exceptions: [] },
      appPaths,
      '/w',
    );
    expect(denyRead).toEqual(
      expect.arrayContaining([
        '/home/u/.ssh',
        '/home/u/.aws',
        '/home/u/.kube',
        '/home/u/.gnupg',
        '/home/u/.config/gcloud',
        '/home/u/.local/share/keyrings',
        '/home/u/.config/vtcode-desktop',
        '/home/u/.local/share/vtcode-desktop',
      ]),
    );
  });

  it('keeps the app config denied without the defaults, adds additional, lifts exceptions', () => {
    const rules = sensitiveReadRules(
      {
        useDefaults: false,
        additional: ['~/.secrets', 'private', '/etc/shadow'],
        exceptions: ['~/.secrets/public', '/etc/shadow'],
      },
      appPaths,
      '/w',
    );
    expect(rules.denyRead).toEqual([
      '/home/u/.config/vtcode-desktop',
      '/home/u/.local/share/vtcode-desktop',
      '/home/u/.secrets',
      '/w/private',
    ]);
    expect(rules.allowRead).toEqual(['/home/u/.secrets/public']);
  });
});
