import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { useScriptedProvider } from '../scripted';
import { ROOT } from '../host';

/*
 * A new user, the default configuration and no user file: open a git repository, answer the trust
 * question, and ask the agent to write a file with a shell command.
 */

test.use({ hostEnv: { OPENAI_API_KEY: 'sk-e2e-not-a-real-key' }, trustWorkspace: false });

const provider = useScriptedProvider();

test.beforeEach(({ host }) => {
  execFileSync('git', ['init', '-q'], { cwd: host.workspace });
  provider.setFixture({
    responses: [
      {
        kind: 'stream',
        parts: [
          { type: 'tool_call', name: 'exec_command', arguments: { command: 'echo ok > out.txt' } },
        ],
      },
      { kind: 'stream', parts: [{ type: 'text', text: 'Finished.' }] },
    ],
  });
});

async function openFolder(app: Page, path: string): Promise<void> {
  await app.getByLabel('Folder path').fill(path);
  await app.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(app.getByLabel('Current workspace')).toContainText(path);
}

/** Choose the model in the header (there is no vtcode.toml), then send a message. */
async function ask(app: Page, text: string): Promise<void> {
  const conversation = app.getByRole('main', { name: 'Conversation' });
  await conversation
    .getByRole('group', { name: 'Provider and model for new sessions' })
    .getByRole('combobox', { name: 'Provider' })
    .fill('openai');
  await conversation
    .getByRole('group', { name: 'Provider and model for new sessions' })
    .getByLabel('Model', { exact: true })
    .fill('gpt-test');
  await conversation
    .getByRole('group', { name: 'Provider and model for new sessions' })
    .getByLabel('Base URL')
    .fill(provider.url);
  const box = app.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

test('a trusted folder: the first shell command writes the file', async ({ app, host }) => {
  await openFolder(app, host.workspace);
  const trust = app.getByRole('dialog', { name: 'Do you trust the files in this folder?' });
  await expect(trust).toBeVisible();
  await app.screenshot({ path: join(ROOT, 'test-results', 'screenshots', 'trust - dialog.png') });
  await trust.getByRole('button', { name: 'Trust this folder' }).click();
  await expect(trust).toHaveCount(0);
  const banner = app.getByRole('banner');
  await expect(banner.getByRole('button', { name: 'Folder trust: Trusted' })).toBeVisible();
  await expect(banner.getByRole('button', { name: 'Sandbox', exact: true })).toHaveText(
    'Sandbox: workspace write · allow-listed hosts (0)',
  );

  await ask(app, 'Write ok into out.txt with a shell command');
  const dialog = app.getByRole('dialog', { name: 'Allow exec_command?' });
  await expect(dialog).toContainText('workspace_write');
  await dialog.getByRole('button', { name: 'Allow once' }).click();
  const conversation = app.getByRole('main', { name: 'Conversation' });
  await expect(conversation.getByRole('article', { name: 'Agent answer' })).toContainText(
    'Finished.',
  );
  expect(await readFile(join(host.workspace, 'out.txt'), 'utf8')).toBe('ok\n');
});

test('a folder opened read-only: the write fails and the card says why and how', async ({
  app,
  host,
}) => {
  await openFolder(app, host.workspace);
  const trust = app.getByRole('dialog', { name: 'Do you trust the files in this folder?' });
  await trust.getByRole('button', { name: 'Open read-only' }).click();
  const banner = app.getByRole('banner');
  await expect(banner.getByRole('button', { name: 'Folder trust: Read-only' })).toBeVisible();
  await expect(banner.getByRole('button', { name: 'Sandbox', exact: true })).toContainText(
    'read-only',
  );

  await ask(app, 'Write ok into out.txt with a shell command');
  const dialog = app.getByRole('dialog', { name: 'Allow exec_command?' });
  await expect(dialog).toContainText('read_only');
  await dialog.getByRole('button', { name: 'Allow once' }).click();
  const conversation = app.getByRole('main', { name: 'Conversation' });
  await expect(conversation.getByRole('article', { name: 'Agent answer' })).toContainText(
    'Finished.',
  );
  const card = conversation.locator('details.tool-card');
  await card.locator('summary').click();
  await expect(card).toContainText('this folder is open read-only (not trusted)');
  await expect(card).toContainText('trust the folder');
  expect(existsSync(join(host.workspace, 'out.txt'))).toBe(false);

  // Changed later from the top bar: the next command may write.
  await banner.getByRole('button', { name: 'Folder trust: Read-only' }).click();
  await app.getByRole('button', { name: 'Trust this folder' }).click();
  await expect(banner.getByRole('button', { name: 'Sandbox', exact: true })).toContainText(
    'workspace write',
  );
});

test('a tightened policy is obeyed at the next tool call, and the dialog shows it', async ({
  app,
  host,
}) => {
  const call = (command: string) => ({
    kind: 'stream' as const,
    parts: [{ type: 'tool_call' as const, name: 'exec_command', arguments: { command } }],
  });
  const say = (text: string) => ({
    kind: 'stream' as const,
    parts: [{ type: 'text' as const, text }],
  });
  provider.setFixture({
    responses: [
      call('echo a > a.txt'),
      say('First done.'),
      call('echo b > b.txt'),
      say('Second done.'),
    ],
  });
  await openFolder(app, host.workspace);
  await app.getByRole('button', { name: 'Trust this folder' }).click();
  await ask(app, 'Write a.txt');
  const dialog = app.getByRole('dialog', { name: 'Allow exec_command?' });
  await expect(dialog).toContainText('workspace_write');
  await dialog.getByRole('button', { name: 'Allow once' }).click();
  const conversation = app.getByRole('main', { name: 'Conversation' });
  await expect(conversation.getByRole('article', { name: 'Agent answer' }).last()).toContainText(
    'First done.',
  );
  expect(existsSync(join(host.workspace, 'a.txt'))).toBe(true);

  // Mid-session, the person tightens the sandbox in the user file.
  const policy = app.getByRole('tabpanel', { name: 'Policy' });
  await policy.getByRole('combobox', { name: 'File to edit' }).selectOption('user');
  await policy.getByRole('combobox', { name: 'Commands run' }).selectOption('read_only');
  await policy.getByRole('button', { name: 'Save' }).click();
  await expect(
    app.getByRole('banner').getByRole('button', { name: 'Sandbox', exact: true }),
  ).toContainText('read-only');

  const box = app.getByRole('textbox', { name: 'Message' });
  await box.fill('Write b.txt');
  await box.press('Enter');
  await expect(dialog).toContainText('read_only');
  await dialog.getByRole('button', { name: 'Allow once' }).click();
  await expect(conversation.getByRole('article', { name: 'Agent answer' }).last()).toContainText(
    'Second done.',
  );
  expect(existsSync(join(host.workspace, 'b.txt'))).toBe(false);
});

test('the policy panel disables what the workspace file cannot set, and says why', async ({
  app,
  host,
}) => {
  await openFolder(app, host.workspace);
  await app.getByRole('button', { name: 'Trust this folder' }).click();
  const policy = app.getByRole('tabpanel', { name: 'Policy' });
  const mode = policy.getByRole('combobox', { name: 'Commands run' });
  await expect(mode.locator('option[value="danger_full_access"]')).toBeDisabled();
  await expect(mode.locator('option[value="danger_full_access"]')).toContainText(
    'set it in the user file',
  );
  await expect(mode.locator('option[value="workspace_write"]')).toBeEnabled();
  await policy.getByRole('button', { name: 'Edit the user file' }).click();
  await expect(policy.getByRole('combobox', { name: 'File to edit' })).toHaveValue('user');
  await expect(mode.locator('option[value="danger_full_access"]')).toBeEnabled();
});
