import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { ROOT } from '../host';

/*
 * The shell fits every window from 1024x700 up: no sideways page scroll, the Policy panel's Save
 * and the matrix's "From" column in view, the terminal's run tabs scrolling inside their strip.
 * Each size and theme is saved as test-results/screenshots/layout-*.png to look at.
 */

const SIZES = [
  { width: 1024, height: 700 },
  { width: 1920, height: 1080 },
] as const;
const THEMES = ['light', 'dark'] as const;
const SHOTS = join(ROOT, 'test-results', 'screenshots');

async function shot(app: Page, name: string) {
  await mkdir(SHOTS, { recursive: true });
  await app.screenshot({ path: join(SHOTS, `layout-${name}.png`) });
}

/** The page never scrolls sideways; a failure names the elements that stick out. */
async function expectNoHorizontalScroll(app: Page) {
  const { scrollWidth, clientWidth, outside } = await app.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const outside = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5)
      .slice(0, 8)
      .map(
        (el) => `${el.tagName.toLowerCase()}.${el.className} → ${el.getBoundingClientRect().right}`,
      );
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth: width, outside };
  });
  expect(scrollWidth, `the page scrolls sideways: ${outside.join('; ')}`).toBeLessThanOrEqual(
    clientWidth,
  );
}

/** The element is drawn, and wholly inside the window. */
async function expectInViewport(app: Page, locator: Locator) {
  await expect(locator).toBeVisible();
  const box = await locator.boundingBox();
  const view = app.viewportSize();
  expect(box).not.toBeNull();
  expect(view).not.toBeNull();
  if (!box || !view) return;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(view.width);
  expect(box.y + box.height).toBeLessThanOrEqual(view.height);
}

async function openWorkspace(app: Page, workspace: string) {
  await app.getByLabel('Folder path').fill(workspace);
  await app.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(app.getByLabel('Current workspace')).toContainText(workspace);
}

for (const size of SIZES) {
  for (const theme of THEMES) {
    const name = `${size.width}x${size.height}-${theme}`;
    test(`every panel fits at ${size.width}x${size.height} in the ${theme} theme`, async ({
      app,
      host,
    }) => {
      await app.setViewportSize(size);
      // The stored theme setting, as the Settings sheet leaves it.
      await app.evaluate((t) => localStorage.setItem('vtcode-desktop:theme', t), theme);
      await app.reload();
      await expect(app.locator('html')).toHaveAttribute('data-theme', theme);
      await openWorkspace(app, host.workspace);

      // Policy: Save and the matrix's From column are in view, nothing scrolls sideways.
      const policy = app.getByRole('tabpanel', { name: 'Policy' });
      await expect(policy.getByRole('table')).toBeVisible();
      await expectNoHorizontalScroll(app);
      await expectInViewport(app, policy.getByRole('button', { name: 'Save', exact: true }));
      await expectInViewport(app, policy.getByRole('columnheader', { name: 'From' }));
      await shot(app, `${name}-policy`);

      // Settings over the app.
      await app.getByRole('button', { name: 'Settings' }).click();
      const settings = app.getByRole('region', { name: 'Settings' });
      await expect(settings.getByRole('list', { name: 'Providers' })).toBeVisible();
      await expectNoHorizontalScroll(app);
      await expectInViewport(app, settings.getByRole('button', { name: 'Close settings' }));
      await shot(app, `${name}-settings`);
      await app.keyboard.press('Escape');
      await expect(settings).toBeHidden();

      // Terminal with several runs whose tabs together are wider than the panel.
      await app.getByRole('tab', { name: 'Terminal' }).click();
      const terminal = app.getByRole('tabpanel', { name: 'Terminal' });
      for (let i = 1; i <= 7; i += 1) {
        await terminal
          .getByRole('textbox', { name: 'Command' })
          .fill(`echo run-${i}-of-seven-runs`);
        await terminal.getByRole('button', { name: 'Run', exact: true }).click();
        await expect(terminal.getByRole('tab')).toHaveCount(i);
      }
      await expect(terminal.getByRole('status', { name: 'Run status' })).toHaveText('Exit 0');
      await expectNoHorizontalScroll(app);
      const strip = terminal.getByRole('tablist', { name: 'Runs' });
      await expectInViewport(app, strip);
      // The strip scrolls itself; the newest (selected) tab is scrolled into view.
      const overflow = await strip.evaluate((el) => el.scrollWidth > el.clientWidth);
      expect(overflow).toBe(true);
      const stripBox = await strip.boundingBox();
      const tabBox = await terminal.getByRole('tab', { selected: true }).boundingBox();
      expect(stripBox && tabBox).toBeTruthy();
      if (stripBox && tabBox) {
        expect(tabBox.x).toBeGreaterThanOrEqual(stripBox.x);
        expect(tabBox.x + tabBox.width).toBeLessThanOrEqual(stripBox.x + stripBox.width + 0.5);
      }
      await expectInViewport(app, terminal.getByRole('textbox', { name: 'Command' }));
      await shot(app, `${name}-terminal`);
    });
  }
}
