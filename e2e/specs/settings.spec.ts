import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startScriptedProvider } from '../../main/agent/testing/scripted-provider';
import { expect, test } from '../fixtures';
import { ROOT } from '../host';

/** Every regular file under `dir` whose bytes contain `needle`. */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = await readFile(path).catch(() => Buffer.alloc(0));
    if (bytes.includes(needle)) found.push(path);
  }
  return found;
}

/** Record every bridge frame from here on (the page reloads so its WebSocket is new). */
async function recordBridge(app: Page) {
  const sent: string[] = [];
  const received: string[] = [];
  app.on('websocket', (ws) => {
    ws.on('framesent', (f) => sent.push(String(f.payload)));
    ws.on('framereceived', (f) => received.push(String(f.payload)));
  });
  await app.reload();
  await expect(app.getByText('Connected', { exact: true })).toBeVisible();
  return { sent, received };
}

async function openSettings(app: Page) {
  await app.getByRole('button', { name: 'Settings' }).click();
  const settings = app.getByRole('region', { name: 'Settings' });
  await expect(settings).toBeVisible();
  await expect(settings.getByRole('list', { name: 'Providers' })).toBeVisible();
  return settings;
}

const keychainExpected = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);

test('an API key entered in the UI leaves no trace in the DOM, the bridge or the host', async ({
  app,
  host,
}) => {
  const key = `sk-e2e-${randomBytes(24).toString('hex')}`;
  const bridge = await recordBridge(app);
  const settings = await openSettings(app);
  if (keychainExpected) {
    await expect(settings.getByText('Keychain available')).toBeVisible();
  } else {
    await expect(settings.getByRole('alert')).toContainText('Keychain unavailable');
  }

  const openai = settings.getByRole('group', { name: 'OpenAI', exact: true });
  await expect(openai).toContainText('Missing');
  const input = openai.getByLabel('API key for OpenAI');
  await expect(input).toHaveAttribute('type', 'password');
  await input.fill(key);
  await openai.getByRole('button', { name: 'Save' }).click();

  const where = keychainExpected ? 'in the keychain' : 'for this session only';
  await expect(openai.getByRole('status')).toContainText(`Saved ${where} (…${key.slice(-4)})`);
  await expect(openai).toContainText(keychainExpected ? 'Stored in the keychain' : 'session only');
  await expect(openai.getByLabel('Key ends with')).toHaveText(`…${key.slice(-4)}`);
  await expect(input).toHaveValue('');
  await expect(openai.getByRole('button', { name: 'Replace' })).toBeVisible();

  // Test makes a real call from main; this machine has no network, so the outcome is in words.
  await openai.getByRole('button', { name: 'Test the OpenAI key' }).click();
  await expect(openai.getByRole('status')).toContainText('Test:');

  // No trace in the DOM or any input.
  expect(await app.content()).not.toContain(key);
  const values = await app
    .locator('input, textarea')
    .evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));
  expect(values.join('\n')).not.toContain(key);
  // The bridge: the key crosses once, renderer -> main, in keys:set; nothing sends it back.
  const withKey = bridge.sent.filter((f) => f.includes(key));
  expect(withKey).toHaveLength(1);
  expect(JSON.parse(withKey[0] ?? '{}')).toMatchObject({
    type: 'invoke',
    channel: 'keys:set',
    payload: { provider: 'openai', key },
  });
  expect(bridge.received.length).toBeGreaterThan(0);
  expect(bridge.received.filter((f) => f.includes(key))).toEqual([]);
  expect(bridge.received.some((f) => f.includes(key.slice(7, 30)))).toBe(false);
  // The host's log and every file under its home (config, data, sessions, logs).
  expect(host.log()).not.toContain(key);
  expect(await filesContaining(host.home, key)).toEqual([]);
  // Nor in the page's storage.
  const storage = await app.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
  expect(storage).not.toContain(key);

  // Delete asks first, then the provider is back to missing.
  await openai.getByRole('button', { name: 'Delete the OpenAI key' }).click();
  const confirm = openai.getByRole('group', { name: 'Confirm deleting the OpenAI key' });
  await confirm.getByRole('button', { name: 'Keep it' }).click();
  await expect(openai).toContainText(keychainExpected ? 'Stored in the keychain' : 'session only');
  await openai.getByRole('button', { name: 'Delete the OpenAI key' }).click();
  await confirm.getByRole('button', { name: 'Delete key' }).click();
  await expect(openai.getByRole('status')).toContainText('Deleted from');
  await expect(openai).toContainText('Missing');
});

test('a key with an unexpected prefix is saved with a warning; a bad one is refused', async ({
  app,
}) => {
  const settings = await openSettings(app);
  const openai = settings.getByRole('group', { name: 'OpenAI', exact: true });
  const input = openai.getByLabel('API key for OpenAI');
  await input.fill('has space in it');
  await openai.getByRole('button', { name: 'Save' }).click();
  await expect(openai.getByRole('status')).toContainText(/whitespace|space/i);
  await expect(openai).toContainText('Missing');

  await input.fill(`zz-${randomBytes(16).toString('hex')}`);
  await input.press('Enter');
  await expect(openai.getByText(/Warning: OpenAI keys usually start with "sk-"/)).toBeVisible();
  await expect(openai.getByRole('status')).toContainText('Saved');
});

test('the theme follows the OS until Light or Dark is chosen, and the choice is kept', async ({
  app,
}) => {
  const html = app.locator('html');
  await app.emulateMedia({ colorScheme: 'dark' });
  await expect(html).not.toHaveAttribute('data-theme', /.*/);
  await expect(app.locator('body')).toHaveCSS('background-color', 'rgb(22, 24, 29)');

  const settings = await openSettings(app);
  await settings.getByRole('radio', { name: 'Light' }).check();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await expect(app.locator('body')).toHaveCSS('background-color', 'rgb(246, 247, 249)');

  await app.reload();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await expect(app.locator('body')).toHaveCSS('background-color', 'rgb(246, 247, 249)');

  await app.emulateMedia({ colorScheme: 'light' });
  const again = await openSettings(app);
  await again.getByRole('radio', { name: 'Dark' }).check();
  await expect(app.locator('body')).toHaveCSS('background-color', 'rgb(22, 24, 29)');
  await again.getByRole('radio', { name: 'System' }).check();
  await expect(html).not.toHaveAttribute('data-theme', /.*/);
  await expect(app.locator('body')).toHaveCSS('background-color', 'rgb(246, 247, 249)');

  // Escape closes the sheet and gives focus back to the Settings button.
  await app.keyboard.press('Escape');
  await expect(again).toBeHidden();
  await expect(app.getByRole('button', { name: 'Settings' })).toBeFocused();

  // Keyboard only: open, move to Dark, and leave it open in dark for the screenshot.
  await app.keyboard.press('Enter');
  const last = app.getByRole('region', { name: 'Settings' });
  await expect(last.getByRole('heading', { name: 'Settings' })).toBeFocused();
  await last.getByRole('radio', { name: 'System' }).focus();
  await app.keyboard.press('ArrowRight');
  await app.keyboard.press('ArrowRight');
  await expect(last.getByRole('radio', { name: 'Dark' })).toBeChecked();
  await expect(html).toHaveAttribute('data-theme', 'dark');
});

test('the model and a custom provider set in Settings land in vtcode.toml and drive the agent', async ({
  app,
  host,
}) => {
  const provider = await startScriptedProvider({
    responses: [
      {
        kind: 'stream',
        parts: [{ type: 'text', text: 'Hello from the local endpoint.' }],
        usage: { input: 10, output: 5 },
      },
    ],
  });
  try {
    await app.getByLabel('Folder path').fill(host.workspace);
    await app.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(app.getByLabel('Current workspace')).toContainText(host.workspace);
    await expect(app.getByText('No vtcode.toml here', { exact: false })).toBeVisible();
    const settings = await openSettings(app);
    const model = settings.getByRole('region', { name: 'Model' });
    await expect(model.getByLabel('Model in force')).toContainText('cannot start yet');

    // The user file is where Settings saves unless the workspace is chosen.
    await expect(model.getByRole('radio', { name: 'Your user settings' })).toBeChecked();
    await model.getByRole('button', { name: 'Add a custom provider' }).click();
    const row = model.getByRole('group', { name: 'Custom provider new custom provider' });
    // A new row shows no errors before anything was typed.
    await expect(row.getByRole('alert')).toHaveCount(0);
    await row.getByLabel('Name').fill('local');
    const local = model.getByRole('group', { name: 'Custom provider local' });
    // Checked as it is typed: a URL the agent could not call is flagged, and Save stays off.
    await local.getByLabel('Base URL').fill('ftp://example.test');
    await expect(local.getByRole('alert')).toContainText('http:// or https://');
    const save = model.getByRole('button', { name: 'Save model settings' });
    await save.click();
    await expect(model.getByRole('status')).toHaveText('Fix the marked fields to save.');
    await local.getByLabel('Base URL').fill(provider.url);
    await expect(local.getByRole('alert')).toHaveCount(0);
    await local.getByLabel('API format').selectOption('openai-chat');
    await save.click();
    await expect(model.getByRole('status')).toContainText('Saved to');

    // The workspace picks it among the user's providers.
    await model.getByRole('radio', { name: 'This workspace' }).check();
    // An endpoint that is to get a key goes in the user file: a workspace file's are sent none.
    await expect(
      model.getByText('Endpoints saved in this workspace are sent no API key'),
    ).toBeVisible();
    await model.getByRole('combobox', { name: 'Provider', exact: true }).selectOption('local');
    await model.getByLabel('Default model').fill('local-model');
    await expect(model.getByRole('status')).toHaveText('Unsaved changes');
    await save.click();
    await expect(model.getByRole('status')).toContainText('Saved to');
    await expect(model.getByLabel('Model in force')).toContainText('local (custom) · local-model');
    await model.screenshot({
      path: join(ROOT, 'test-results', 'screenshots', 'settings-model-section.png'),
    });

    const userToml = await readFile(
      join(host.home, '.config', 'vtcode-desktop', 'vtcode.toml'),
      'utf8',
    );
    expect(userToml).toContain('[[custom_providers]]');
    expect(userToml).toContain('name = "local"');
    expect(userToml).toContain(`base_url = "${provider.url}"`);
    expect(userToml).toContain('api_format = "openai-chat"');
    const toml = await readFile(join(host.workspace, 'vtcode.toml'), 'utf8');
    expect(toml).not.toContain('[[custom_providers]]');
    expect(toml).toMatch(/\[agent\]\nprovider = "local"\ndefault_model = "local-model"/);

    // The new endpoint gets a key row; a key entered there is what the agent sends.
    const keyRow = settings.getByRole('group', { name: 'local (custom)' });
    await keyRow.getByLabel('API key for local (custom)').fill('local-key-0123456789abcdef');
    await keyRow.getByRole('button', { name: 'Save' }).click();
    await expect(keyRow).toContainText('…cdef');
    await app.screenshot({ path: join(ROOT, 'test-results', 'screenshots', 'settings-model.png') });
    await settings.getByRole('button', { name: 'Close settings' }).click();
    // The new conversation's facts follow the file that Settings just created.
    await expect(app.getByText('vtcode.toml found: its policy applies.')).toBeVisible();

    const box = app.getByRole('textbox', { name: 'Message' });
    await box.fill('Hello?');
    await box.press('Enter');
    await expect(
      app
        .getByRole('main', { name: 'Conversation' })
        .getByRole('article', { name: 'Agent answer' }),
    ).toContainText('Hello from the local endpoint.');
    const request = provider.requests.at(-1);
    expect(JSON.stringify(request?.body)).toContain('"model":"local-model"');
    expect(request?.headers.authorization).toBe('Bearer local-key-0123456789abcdef');
  } finally {
    await provider.close();
  }
});
