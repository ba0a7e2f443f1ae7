import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';

async function openWorkspace(app: Page, path: string): Promise<void> {
  await app.getByLabel('Folder path').fill(path);
  await app.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(app.getByLabel('Current workspace')).toContainText(path);
}

test.beforeEach(async ({ host }) => {
  await writeFile(
    join(host.workspace, 'vtcode.toml'),
    [
      '# Shared with VT Code: keep my comments',
      '[agent]',
      'provider = "anthropic"',
      '',
      '[tools.policies]',
      'run_pty_cmd = "prompt"',
      '',
      '[commands]',
      'allow_list = ["git status"]',
      'deny_glob = ["rm *"]',
      '',
    ].join('\n'),
  );
});

test('the try-a-command box explains each part live', async ({ app, host }) => {
  await openWorkspace(app, host.workspace);
  const policy = app.getByRole('tabpanel', { name: 'Policy' });
  await policy.getByLabel('Command to try').fill('git status && rm -rf build');
  await expect(policy.getByTestId('try-verdict')).toContainText('Deny');
  const parts = policy.getByRole('list', { name: 'Parts of the command' });
  await expect(parts.getByRole('listitem')).toHaveCount(2);
  await expect(parts.getByRole('listitem').nth(0)).toContainText(
    'allowed by allow_list `git status`',
  );
  await expect(parts.getByRole('listitem').nth(1)).toContainText('denied by deny_glob `rm *`');
  await policy.getByLabel('Command to try').fill('git status');
  await expect(policy.getByTestId('try-verdict')).toContainText('Allow');
  await expect(parts.getByRole('listitem')).toHaveCount(1);
});

test('editing the matrix and rules, then saving, writes vtcode.toml and keeps what we do not own', async ({
  app,
  host,
}) => {
  await openWorkspace(app, host.workspace);
  const policy = app.getByRole('tabpanel', { name: 'Policy' });
  await policy.getByRole('radio', { name: 'exec_command: Deny' }).check();
  await policy.getByRole('radio', { name: 'read_file: Ask' }).check();
  const allowGlobs = policy.getByRole('group', { name: 'Allow globs' });
  await allowGlobs.getByLabel('New Allow globs rule').fill('npm test*');
  await allowGlobs.getByRole('button', { name: 'Add' }).click();
  await expect(policy.getByText('3 unsaved changes')).toBeVisible();
  await policy.getByRole('button', { name: 'Save' }).click();
  await expect(policy.getByText('Saved', { exact: true })).toBeVisible();

  const text = await readFile(join(host.workspace, 'vtcode.toml'), 'utf8');
  expect(text).toContain('run_pty_cmd = "deny"');
  expect(text).toContain('read_file = "prompt"');
  expect(text).toMatch(/allow_glob = \[\s*"npm test\*"\s*\]/);
  expect(text).toContain('# Shared with VT Code: keep my comments');
  expect(text).toContain('provider = "anthropic"');
  await policy.getByLabel('Command to try').fill('npm test -- --ci');
  await expect(policy.getByTestId('try-verdict')).toContainText('Allow');
});

test('the sandbox state is always in view, and red when commands run unsandboxed', async ({
  app,
  host,
}) => {
  await openWorkspace(app, host.workspace);
  const badge = app.getByRole('banner').getByRole('button', { name: 'Sandbox', exact: true });
  await expect(badge).toHaveText('Sandbox: workspace write · allow-listed hosts (0)');
  // The badge opens the sandbox settings from anywhere.
  await app.getByRole('tab', { name: 'Terminal' }).click();
  await badge.click();
  await expect(app.getByRole('tab', { name: 'Policy' })).toHaveAttribute('aria-selected', 'true');
  await expect(app.getByRole('region', { name: 'Sandbox' })).toBeInViewport();
  // Only the user file may turn the sandbox off; the policy screen writes it there.
  const policy = app.getByRole('tabpanel', { name: 'Policy' });
  await policy.getByRole('combobox', { name: 'File to edit' }).selectOption('user');
  await policy.getByRole('combobox', { name: 'Commands run' }).selectOption('danger_full_access');
  await policy.getByRole('button', { name: 'Save' }).click();
  await expect(badge).toHaveText('Unsandboxed: full access');
  await expect(badge).toHaveCSS('color', /rgb\((200, 50, 43|240, 98, 90)\)/);
});

test('a bad regex is flagged as you type and cannot be added', async ({ app, host }) => {
  await openWorkspace(app, host.workspace);
  const denyRegex = app.getByRole('group', { name: 'Deny regexes' });
  await denyRegex.getByLabel('New Deny regexes rule').fill('(curl|wget');
  await expect(denyRegex.getByRole('alert')).toContainText('Not a valid regular expression');
  await expect(denyRegex.getByRole('button', { name: 'Add' })).toBeDisabled();
  await denyRegex.getByLabel('New Deny regexes rule').fill('^(curl|wget)\\b');
  await expect(denyRegex.getByRole('alert')).toHaveCount(0);
  await expect(denyRegex.getByRole('button', { name: 'Add' })).toBeEnabled();
});

test('Revert drops unsaved edits; an edit made on disk is picked up', async ({ app, host }) => {
  await openWorkspace(app, host.workspace);
  const policy = app.getByRole('tabpanel', { name: 'Policy' });
  await policy.getByRole('radio', { name: 'exec_command: Allow' }).check();
  await expect(policy.getByText('1 unsaved change')).toBeVisible();
  await policy.getByRole('button', { name: 'Revert' }).click();
  await expect(policy.getByRole('radio', { name: 'exec_command: Ask' })).toBeChecked();

  const file = join(host.workspace, 'vtcode.toml');
  await writeFile(
    file,
    (await readFile(file, 'utf8')).replace('run_pty_cmd = "prompt"', 'run_pty_cmd = "deny"'),
  );
  await expect(policy.getByRole('radio', { name: 'exec_command: Deny' })).toBeChecked();
});

test('a broken vtcode.toml is reported with its line, and the last good policy stays', async ({
  app,
  host,
}) => {
  await openWorkspace(app, host.workspace);
  const policy = app.getByRole('tabpanel', { name: 'Policy' });
  await expect(policy.getByRole('radio', { name: 'exec_command: Ask' })).toBeChecked();
  await writeFile(
    join(host.workspace, 'vtcode.toml'),
    '[tools.policies]\nrun_pty_cmd = "sometimes"\n',
  );
  const issues = policy.getByRole('alert', { name: 'Problems in the policy files' });
  await expect(issues).toContainText('vtcode.toml:2');
  await expect(issues).toContainText('sometimes');
  await expect(policy.getByRole('radio', { name: 'exec_command: Ask' })).toBeChecked();
});

test('the matrix has one row per tool the agent has, each described; other names are listed apart', async ({
  app,
  host,
}) => {
  await writeFile(
    join(host.workspace, 'vtcode.toml'),
    ['[tools.policies]', 'run_pty_cmd = "deny"', 'web_search = "allow"', ''].join('\n'),
  );
  await openWorkspace(app, host.workspace);
  const tools = app.getByRole('region', { name: 'Tools' });
  const rows = tools.locator('table.matrix tbody tr');
  await expect(rows.locator('th code')).toHaveText([
    'read_file',
    'list_files',
    'code_search',
    'write_file',
    'edit_file',
    'apply_patch',
    'exec_command',
    'web_fetch',
  ]);
  for (const row of await rows.all()) {
    await expect(row.locator('.tool-summary')).toHaveText(/\w+ \w+/);
  }
  await expect(tools.getByRole('row', { name: /exec_command/ })).toContainText(
    'Run a shell command',
  );
  // The older name decides exec_command's row and is shown apart, saying so.
  await expect(tools.getByRole('radio', { name: 'exec_command: Deny' })).toBeChecked();
  const others = tools.getByRole('list', { name: 'Other tool entries' });
  await expect(others.getByRole('listitem').filter({ hasText: 'run_pty_cmd' })).toContainText(
    'older name of exec_command',
  );
  await expect(others.getByRole('listitem').filter({ hasText: 'web_search' })).toContainText(
    'not a tool this app has',
  );
  await expect(tools.getByRole('radio', { name: /^web_search:/ })).toHaveCount(0);
  await expect(tools.getByRole('radio', { name: /^run_pty_cmd:/ })).toHaveCount(0);
});
