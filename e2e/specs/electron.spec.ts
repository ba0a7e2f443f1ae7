import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { eventChannels, invokeChannels } from '../../shared/ipc/contract';
import { makeSandboxDirs, ROOT, testEnv } from '../host';

/** The installed Electron binary, or the reason this machine has none. */
function electronBinary(): { path: string } | { reason: string } {
  const dir = join(ROOT, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      reason:
        "Electron's binary is not installed here (node_modules/electron has no path.txt; its download is out of reach)",
    };
  }
  const path = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(path) ? { path } : { reason: `Electron's binary is missing at ${path}` };
}

const binary = electronBinary();
const display =
  process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

test('the desktop window opens with the security baseline', async () => {
  test.skip('reason' in binary, 'reason' in binary ? binary.reason : '');
  test.skip(!display, 'no display: run under xvfb-run to test the Electron window');
  if (!('path' in binary)) return;

  const dirs = await makeSandboxDirs();
  const app = await electron.launch({
    executablePath: binary.path,
    args: [ROOT],
    env: testEnv(dirs.home),
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('main', { name: 'Conversation' })).toBeVisible();
    await expect(window.getByText('Desktop', { exact: true })).toBeVisible();
    expect(window.url()).toBe('app://vtcode/index.html');

    // Context isolation, sandbox and no Node integration, as the renderer sees them: no require,
    // no process, no ipcRenderer; only the contract's named operations.
    const surface = await window.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      domains: Object.keys((window as unknown as { vtcode: object }).vtcode).sort(),
    }));
    const domains = [...new Set([...invokeChannels, ...eventChannels].map((c) => c.split(':')[0]))];
    expect(surface).toEqual({
      require: 'undefined',
      process: 'undefined',
      domains: domains.sort(),
    });

    // Navigation away from the app is blocked.
    await window.evaluate(() => {
      location.href = 'https://example.com/';
    });
    await window.waitForTimeout(500);
    expect(window.url()).toBe('app://vtcode/index.html');

    await window.screenshot({
      path: join(ROOT, 'test-results', 'screenshots', 'electron-first-screen.png'),
    });
  } finally {
    await app.close();
  }
});
