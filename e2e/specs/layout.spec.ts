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
      // Scrolled to its end, and at its narrowest, the panel still fits and keeps Save in view.
      await policy.evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await expectInViewport(app, policy.getByRole('button', { name: 'Save', exact: true }));
      await shot(app, `${name}-policy-end`);
      const handle = app.getByRole('separator', { name: 'Resize the inspector' });
      await handle.focus();
      await app.keyboard.press('Home');
      await expect(handle).toHaveAttribute('aria-valuenow', '340');
      await expectNoHorizontalScroll(app);
      await expectInViewport(app, policy.getByRole('button', { name: 'Save', exact: true }));
      await policy.evaluate((el) => el.scrollTo(0, 0));
      await expectInViewport(app, policy.getByRole('columnheader', { name: 'From' }));
      // The whole grid fits the narrowest inspector: its section has nothing to scroll sideways.
      const tools = policy.getByRole('region', { name: 'Tools' });
      expect(await tools.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
      await shot(app, `${name}-policy-narrow`);
      await app.keyboard.press('Enter');

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

/** The width a pane is drawn at. */
async function widthOf(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  expect(box).not.toBeNull();
  return Math.round(box?.width ?? 0);
}

test('the splitters resize with the keyboard and the mouse, and the sizes survive a reload', async ({
  app,
}) => {
  const sidebar = app.locator('#pane-sidebar');
  const inspector = app.getByRole('complementary', { name: 'Inspector' });
  const sidebarHandle = app.getByRole('separator', { name: 'Resize the sessions sidebar' });
  const inspectorHandle = app.getByRole('separator', { name: 'Resize the inspector' });
  await expect(sidebarHandle).toHaveAttribute('aria-valuenow', '260');
  await expect(sidebarHandle).toHaveAttribute('aria-valuemin', '200');
  expect(await widthOf(sidebar)).toBe(260);

  // Arrows move the handle 16 px, Shift+arrow 64 px; the pane follows.
  await sidebarHandle.focus();
  await app.keyboard.press('ArrowRight');
  await app.keyboard.press('ArrowRight');
  await app.keyboard.press('Shift+ArrowRight');
  await expect(sidebarHandle).toHaveAttribute('aria-valuenow', '356');
  expect(await widthOf(sidebar)).toBe(356);
  // Home is the narrowest the pane goes.
  await app.keyboard.press('Home');
  await expect(sidebarHandle).toHaveAttribute('aria-valuenow', '200');
  await app.keyboard.press('ArrowRight');
  await expect(sidebarHandle).toHaveAttribute('aria-valuenow', '216');

  // The inspector is on the right: moving its handle left widens it.
  const before = await widthOf(inspector);
  await inspectorHandle.focus();
  await app.keyboard.press('Shift+ArrowLeft');
  await expect(inspectorHandle).toHaveAttribute('aria-valuenow', String(before + 64));
  expect(await widthOf(inspector)).toBe(before + 64);

  // Dragging works too.
  const box = await inspectorHandle.boundingBox();
  if (!box) throw new Error('the inspector handle is not drawn');
  await app.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await app.mouse.down();
  await app.mouse.move(box.x + box.width / 2 + 100, box.y + box.height / 2, { steps: 5 });
  await app.mouse.up();
  await expect(inspectorHandle).toHaveAttribute('aria-valuenow', String(before + 64 - 100));

  await app.reload();
  await expect(sidebarHandle).toHaveAttribute('aria-valuenow', '216');
  await expect(inspectorHandle).toHaveAttribute('aria-valuenow', String(before - 36));
  expect(await widthOf(sidebar)).toBe(216);
  expect(await widthOf(inspector)).toBe(before - 36);

  // A double-click puts a pane back to its first width.
  await sidebarHandle.dblclick();
  await expect(sidebarHandle).toHaveAttribute('aria-valuenow', '260');

  // End makes the inspector as wide as the window allows; the conversation keeps its room and the
  // page still does not scroll sideways, even in the smallest window.
  await app.setViewportSize({ width: 1024, height: 700 });
  await inspectorHandle.focus();
  await app.keyboard.press('End');
  const max = Number(await inspectorHandle.getAttribute('aria-valuemax'));
  await expect(inspectorHandle).toHaveAttribute('aria-valuenow', String(max));
  expect(await widthOf(app.getByRole('main', { name: 'Conversation' }))).toBeGreaterThanOrEqual(
    360,
  );
  await expectNoHorizontalScroll(app);
});

test('the health popover closes with Escape and on a click outside', async ({ app }) => {
  const button = app.getByRole('button', { name: /checks|Setup problem/ });
  const popover = app.getByRole('region', { name: 'Health' });
  await button.click();
  await expect(popover).toBeVisible();
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  await shot(app, 'health-popover');
  await app.keyboard.press('Escape');
  await expect(popover).toBeHidden();
  await expect(button).toBeFocused();
  await expect(button).toHaveAttribute('aria-expanded', 'false');

  // A click inside keeps it open; a click outside closes it.
  await button.click();
  await popover.locator('li').first().click();
  await expect(popover).toBeVisible();
  await app.getByRole('heading', { name: 'Welcome to VT Code Desktop' }).click();
  await expect(popover).toBeHidden();

  // Over the Settings sheet, Escape closes the popover only.
  await app.getByRole('button', { name: 'Settings' }).click();
  const settings = app.getByRole('region', { name: 'Settings' });
  await expect(settings).toBeVisible();
  await button.click();
  await expect(popover).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(popover).toBeHidden();
  await expect(settings).toBeVisible();
  await expect(button).toBeFocused();
});

test('dialogs give focus back to the button that opened them', async ({ app, host }) => {
  const browse = app.getByRole('button', { name: 'Browse…' });
  await browse.click();
  const browser = app.getByRole('dialog', { name: 'Choose a workspace folder' });
  await expect(browser).toBeVisible();
  // Folder icons are drawn (SVG), not left to a font that may have no emoji.
  await expect(browser.getByRole('button', { name: 'projects' }).locator('svg')).toHaveCount(1);
  await shot(app, 'folder-browser');
  await app.keyboard.press('Escape');
  await expect(browser).toBeHidden();
  await expect(browse).toBeFocused();

  await openWorkspace(app, host.workspace);
  const badge = app.getByRole('button', { name: 'Folder trust: Trusted' });
  await badge.click();
  const trust = app.getByRole('dialog', { name: 'Do you trust the files in this folder?' });
  await expect(trust).toBeVisible();
  // Focus stays in the modal dialog.
  for (let i = 0; i < 5; i += 1) await app.keyboard.press('Tab');
  await expect(trust.locator(':focus')).toHaveCount(1);
  await app.keyboard.press('Escape');
  await expect(trust).toBeHidden();
  await expect(badge).toBeFocused();
});
