import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '../fixtures';
import { useScriptedProvider } from '../scripted';
import { ROOT } from '../host';

/*
 * The first hour, from an empty home: nothing configured, no key anywhere. The welcome screen's
 * first step connects a model (a local OpenAI-compatible endpoint that wants a key), Test passes
 * against it, the folder is trusted, and the first message streams an answer.
 */

const KEY = 'local-e2e-key-0123456789abcdef';
const shots = join(ROOT, 'test-results', 'screenshots');

const provider = useScriptedProvider({ models: ['local-model', 'local-small'], requireKey: KEY });

test.describe('from an empty home', () => {
  test.use({ trustWorkspace: false });

  test('connect a model, test it, trust the folder, and get a first streamed answer', async ({
    app,
    host,
  }) => {
    provider.setFixture({
      responses: [
        {
          kind: 'stream',
          parts: [{ type: 'text', text: 'Hello from your local model.' }],
          usage: { input: 12, output: 6 },
        },
      ],
    });
    const conversation = app.getByRole('main', { name: 'Conversation' });
    // Health does not pretend all is well: no model is connected yet.
    const health = app.getByRole('button', { name: 'Some checks need attention' });
    await expect(health).toBeVisible();
    await health.click();
    const details = app.getByRole('region', { name: 'Health' });
    await expect(details).toContainText('Model');
    await expect(details).toContainText('No model is connected yet');
    await details.getByRole('button', { name: 'Connect a model' }).click();

    // The first step of the welcome screen is the form, and the Health link focused it.
    const form = conversation.getByRole('region', { name: 'Connect a model' });
    await expect(form).toBeVisible();
    const providerSelect = form.getByRole('combobox', { name: 'Provider' });
    await expect(providerSelect).toBeFocused();
    await expect(form.getByRole('alert')).toHaveCount(0);
    await app.setViewportSize({ width: 1024, height: 700 });
    await app.screenshot({ path: join(shots, 'first-run-welcome-1024.png') });
    await app.setViewportSize({ width: 1400, height: 880 });

    await providerSelect.selectOption({ label: 'Another endpoint (OpenAI-compatible)' });
    // Saving without the fields says what is missing, next to each field.
    await form.getByRole('button', { name: 'Save and use' }).click();
    await expect(form.getByRole('alert').first()).toBeVisible();
    await form.getByLabel('Base URL').fill(provider.url);
    await form.getByLabel('API key (if the endpoint needs one)').fill(KEY);

    // Test before the model is chosen: it lists what the endpoint offers.
    await form.getByRole('button', { name: 'Test' }).click();
    const status = form.getByRole('status');
    await expect(status).toContainText('Test passed');
    await expect(status).toContainText('choose one');
    await status.getByRole('button', { name: 'Use local-model' }).click();
    await expect(form.getByLabel('Model')).toHaveValue('local-model');
    await form.getByRole('button', { name: 'Test' }).click();
    await expect(status).toContainText('The model local-model is available');
    const testRequest = provider.requests.at(-1);
    expect(testRequest?.path).toBe('/v1/models');
    expect(testRequest?.headers.authorization).toBe(`Bearer ${KEY}`);
    await app.screenshot({ path: join(shots, 'first-run-tested.png') });

    await form.getByRole('button', { name: 'Save and use' }).click();
    await expect(conversation.getByText('Model connected:')).toBeVisible();
    await expect(conversation).toContainText('local (custom) · local-model');
    await expect(conversation).toContainText('from your settings');
    // Saved in the user's file, the key in the keychain: never in a file, never in the project.
    const userToml = await readFile(
      join(host.home, '.config', 'vtcode-desktop', 'vtcode.toml'),
      'utf8',
    );
    expect(userToml).toContain('provider = "local"');
    expect(userToml).toContain('default_model = "local-model"');
    expect(userToml).not.toContain(KEY);

    // Open the folder and trust it.
    await app.getByLabel('Folder path').fill(host.workspace);
    await app.getByRole('button', { name: 'Open', exact: true }).click();
    const trust = app.getByRole('dialog');
    await expect(trust).toBeVisible();
    await trust.getByRole('button', { name: /Trust/ }).first().click();
    await expect(app.getByLabel('Current workspace')).toContainText(host.workspace);
    await expect(conversation.getByLabel('Active provider and model')).toContainText(
      'local (custom) · local-model',
    );
    await expect(conversation.getByLabel('Active provider and model')).toContainText(
      'from your settings',
    );
    await expect(conversation.getByRole('region', { name: 'Connect a model' })).toHaveCount(0);
    await expect(app.getByRole('button', { name: 'All checks passed' })).toBeVisible();

    const box = app.getByRole('textbox', { name: 'Message' });
    await box.fill('Hello?');
    await box.press('Enter');
    await expect(conversation.getByRole('article', { name: 'Agent answer' })).toContainText(
      'Hello from your local model.',
    );
    const chat = provider.requests.at(-1);
    expect(chat?.path).toBe('/v1/chat/completions');
    expect(chat?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(JSON.stringify(chat?.body)).toContain('"model":"local-model"');
    await expect(conversation.getByLabel('Active provider and model')).toContainText('local-model');
    await app.screenshot({ path: join(shots, 'first-run-answer.png') });
  });
});

test('a missing key is said in the header and the error links to the exact Settings field', async ({
  app,
  host,
}) => {
  const userDir = join(host.home, '.config', 'vtcode-desktop');
  await mkdir(userDir, { recursive: true });
  await writeFile(
    join(userDir, 'vtcode.toml'),
    '[agent]\nprovider = "anthropic"\ndefault_model = "claude-test"\n',
  );
  await app.getByLabel('Folder path').fill(host.workspace);
  await app.getByRole('button', { name: 'Open', exact: true }).click();
  const conversation = app.getByRole('main', { name: 'Conversation' });
  const active = conversation.getByLabel('Active provider and model');
  await expect(active).toContainText('no API key');
  // The first Send does not give CLI advice; it names the fix and links to it.
  const box = app.getByRole('textbox', { name: 'Message' });
  await box.fill('Hello?');
  await box.press('Enter');
  const alert = conversation.getByRole('alert').filter({ hasText: 'Anthropic' });
  await expect(alert).toBeVisible();
  await expect(alert).not.toContainText('--model');
  await alert.getByRole('button', { name: 'Open Settings › API keys' }).click();
  const settings = app.getByRole('region', { name: 'Settings' });
  await expect(settings.getByLabel('API key for Anthropic')).toBeFocused();
  await app.screenshot({ path: join(shots, 'first-run-missing-key.png') });
});

test.describe('when the workspace file names the model', () => {
  test('the header says the workspace file chose it', async ({ app, host }) => {
    await writeFile(
      join(host.workspace, 'vtcode.toml'),
      `[agent]\nprovider = "ollama"\ndefault_model = "qwen-local"\n`,
    );
    await app.getByLabel('Folder path').fill(host.workspace);
    await app.getByRole('button', { name: 'Open', exact: true }).click();
    const active = app
      .getByRole('main', { name: 'Conversation' })
      .getByLabel('Active provider and model');
    await expect(active).toContainText('Ollama · qwen-local');
    await expect(active).toContainText('from this workspace’s vtcode.toml');
  });
});

test('the header picks for the next session do not carry over to another workspace', async ({
  app,
  host,
}) => {
  const other = join(host.home, 'projects', 'other-app');
  await mkdir(other, { recursive: true });
  await app.getByLabel('Folder path').fill(host.workspace);
  await app.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(app.getByLabel('Current workspace')).toContainText(host.workspace);
  const picks = app
    .getByRole('main', { name: 'Conversation' })
    .getByRole('group', { name: 'Provider and model for new sessions' });
  await picks.getByRole('combobox', { name: 'Provider' }).fill('anthropic');
  await picks.getByLabel('Model', { exact: true }).fill('claude-test');
  const active = app
    .getByRole('main', { name: 'Conversation' })
    .getByLabel('Active provider and model');
  await expect(active).toContainText('claude-test');

  await app.getByLabel('Folder path').fill(other);
  await app.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(app.getByLabel('Current workspace')).toContainText(other);
  await expect(picks.getByRole('combobox', { name: 'Provider' })).toHaveValue('');
  await expect(picks.getByLabel('Model', { exact: true })).toHaveValue('');
  await expect(active).not.toContainText('claude-test');
});
