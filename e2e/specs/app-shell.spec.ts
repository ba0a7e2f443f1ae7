import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '../fixtures';

test('the first screen is the app shell with every region', async ({ app }) => {
  await expect(app.getByRole('navigation', { name: 'Sessions' })).toBeVisible();
  await expect(app.getByRole('main', { name: 'Conversation' })).toBeVisible();
  await expect(app.getByRole('tabpanel', { name: 'Policy' })).toBeVisible();
  await expect(app.getByRole('textbox', { name: 'Message' })).toBeVisible();
  await expect(app.getByRole('heading', { name: 'Welcome to VT Code Desktop' })).toBeVisible();
  await expect(app.getByText('Browser mode')).toBeVisible();
  await expect(app.getByText('Connected', { exact: true })).toBeVisible();
  // The health check ran against the real machine.
  await expect(app.getByRole('button', { name: /checks|Setup problem/ })).toBeVisible();
  await app.getByRole('tab', { name: 'Terminal' }).click();
  await expect(app.getByRole('tabpanel', { name: 'Terminal' })).toBeVisible();
  await expect(app.getByRole('tabpanel', { name: 'Policy' })).toBeHidden();
});

test('opening a workspace by path shows it everywhere and survives a reload', async ({
  app,
  host,
}) => {
  await app.getByLabel('Folder path').fill(host.workspace);
  await app.getByRole('button', { name: 'Open', exact: true }).click();
  const current = app.getByLabel('Current workspace');
  await expect(current).toContainText('demo-app');
  await expect(current).toContainText(host.workspace);
  await expect(app.getByRole('heading', { name: 'demo-app' })).toBeVisible();
  await expect(app.getByRole('list', { name: 'Recent workspaces' })).toContainText('demo-app');

  await app.reload();
  await expect(app.getByLabel('Current workspace')).toContainText('demo-app');
});

test('a bad path gets a clear error and nothing opens', async ({ app, host }) => {
  await app.getByLabel('Folder path').fill(join(host.home, 'does-not-exist'));
  await app.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(app.getByRole('alert')).toContainText('No such folder');
  await expect(app.getByLabel('Current workspace')).toContainText('No workspace open');
});

test('the folder browser walks the host file system and opens a folder', async ({ app, host }) => {
  await mkdir(join(host.home, 'projects', 'second'), { recursive: true });
  await app.getByRole('button', { name: 'Browse…' }).click();
  const dialog = app.getByRole('dialog', { name: 'Choose a workspace folder' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: /projects/ }).click();
  await dialog.getByRole('button', { name: /second/ }).click();
  await expect(dialog).toContainText(join(host.home, 'projects', 'second'));
  await dialog.getByRole('button', { name: 'Open this folder' }).click();
  await expect(dialog).toBeHidden();
  await expect(app.getByLabel('Current workspace')).toContainText('second');
});
