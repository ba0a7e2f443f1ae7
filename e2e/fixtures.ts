import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { ROOT, startHost, type RunningHost } from './host';

/*
 * One fixture for every browser-mode spec: a host with a temp home and workspace, a page opened on
 * its URL, a screenshot saved per test (test-results/screenshots/), the host's log and the page's
 * console attached on failure, and a failure whenever the error boundary is showing.
 */
export const test = base.extend<{
  host: RunningHost;
  app: Page;
  /** Extra environment for the host (e.g. a provider key); set with `test.use({ hostEnv })`. */
  hostEnv: Record<string, string>;
  /** Whether the workspace starts out trusted (as if chosen before); the trust spec sets false. */
  trustWorkspace: boolean;
}>({
  hostEnv: [{}, { option: true }],
  trustWorkspace: [true, { option: true }],
  host: async ({ hostEnv, trustWorkspace }, use, testInfo) => {
    const host = await startHost({ extraEnv: hostEnv, trusted: trustWorkspace });
    await use(host);
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('host.log', { body: host.log(), contentType: 'text/plain' });
    }
    await host.stop();
  },

  app: async ({ page, host }, use, testInfo) => {
    const consoleLines: string[] = [];
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
    await page.goto(host.url);
    await expect(page.getByRole('main', { name: 'Conversation' })).toBeVisible();
    await use(page);

    const dir = join(ROOT, 'test-results', 'screenshots');
    await mkdir(dir, { recursive: true });
    const name = `${testInfo.titlePath
      .slice(1)
      .join(' - ')
      .replace(/[^\w.-]+/g, '_')}.png`;
    const shot = await page.screenshot({ path: join(dir, name), fullPage: true });
    await testInfo.attach('screenshot', { body: shot, contentType: 'image/png' });
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('console.log', {
        body: consoleLines.join('\n'),
        contentType: 'text/plain',
      });
    }
    await expect(page.getByTestId('error-boundary'), 'the error boundary is showing').toHaveCount(
      0,
    );
  },
});

export { expect };
