import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { useScriptedProvider } from '../scripted';
import { ROOT } from '../host';

/*
 * Policy you can see (issue 15), past the Activity view (activity.spec.ts): an edit to a rule
 * shows, before Save, exactly the past decisions it would change; lint flags a rule that allows
 * anything and its one-click fix is staged and saved.
 */

test.use({ hostEnv: { OPENAI_API_KEY: 'sk-e2e-not-a-real-key' } });

const provider = useScriptedProvider();

const call = (name: string, args: Record<string, unknown>) => ({
  kind: 'stream' as const,
  parts: [{ type: 'tool_call' as const, name, arguments: args }],
  usage: { input: 100, output: 10 },
});

async function shot(app: Page, name: string): Promise<void> {
  await app.screenshot({ path: join(ROOT, 'test-results', 'screenshots', `${name}.png`) });
}

async function openWorkspace(app: Page, path: string): Promise<void> {
  await app.getByLabel('Folder path').fill(path);
  await app.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(app.getByLabel('Current workspace')).toContainText(path);
}

test('an edited rule shows in the what-if panel exactly the past decisions it changes, then saves', async ({
  app,
  host,
}) => {
  const file = join(host.workspace, 'vtcode.toml');
  await writeFile(
    file,
    [
      '[agent]',
      'provider = "openai"',
      'default_model = "gpt-test"',
      '',
      '# kept on save',
      '[commands]',
      'allow_list = ["git status"]',
      'deny_glob = ["rm *"]',
      '',
    ].join('\n'),
  );
  provider.setFixture({
    responses: [
      call('exec_command', { command: 'git status' }),
      call('exec_command', { command: 'ls -la' }),
      call('exec_command', { command: 'rm -rf build' }),
      { kind: 'stream', parts: [{ type: 'text', text: 'Done.' }], usage: { input: 1, output: 1 } },
    ],
  });
  await openWorkspace(app, host.workspace);
  const conversation = app.getByRole('main', { name: 'Conversation' });
  await conversation.getByLabel('Base URL').fill(provider.url);
  const box = app.getByRole('textbox', { name: 'Message' });
  await box.fill('Look around');
  await box.press('Enter');
  await app
    .getByRole('dialog', { name: 'Allow exec_command?' })
    .getByRole('button', { name: 'Allow once' })
    .click();
  await expect(conversation.getByRole('article', { name: 'Agent answer' })).toContainText('Done.');

  // Drop the rule that allowed `git status`: only that past decision changes (allow -> ask).
  const policy = app.getByRole('tabpanel', { name: 'Policy' });
  await policy.getByRole('button', { name: 'Delete Allow list rule git status' }).click();
  await expect(policy.getByText('1 unsaved change')).toBeVisible();
  const whatIf = policy.getByRole('region', { name: 'What-if: past decisions under your edits' });
  await expect(whatIf.getByTestId('what-if-summary')).toHaveText(
    /^1 of 3 past decisions would change\./,
  );
  const changed = whatIf.getByRole('list', { name: 'allow to prompt' });
  await expect(changed.getByRole('listitem')).toHaveCount(1);
  await expect(changed).toContainText('git status');
  await expect(whatIf).not.toContainText('ls -la');
  await expect(whatIf).not.toContainText('rm -rf build');
  // The try-a-command box checks against the unsaved edits too.
  await policy.getByLabel('Command to try').fill('git status');
  await expect(policy.getByTestId('try-verdict')).toContainText(/Ask/);
  await shot(app, 'policy insight - what-if');

  await policy.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(policy.getByText('Saved', { exact: true })).toBeVisible();
  await expect(whatIf).toBeHidden();
  const saved = await readFile(file, 'utf8');
  expect(saved).not.toContain('git status');
  expect(saved).toContain('# kept on save');
  expect(saved).toContain('deny_glob = ["rm *"]');
});

test('lint flags an allow_glob that allows any command, and its fix is staged and saved', async ({
  app,
  host,
}) => {
  const file = join(host.workspace, 'vtcode.toml');
  await writeFile(file, '[commands]\nallow_glob = ["*", "cargo check *"]\n');
  await openWorkspace(app, host.workspace);
  const policy = app.getByRole('tabpanel', { name: 'Policy' });
  const globs = policy.getByRole('group', { name: 'Allow globs' });
  await expect(globs).toContainText(/allows any command/);
  await shot(app, 'policy insight - lint');
  await globs.getByRole('button', { name: 'Fix: remove allow_glob *' }).click();
  await expect(policy.getByText('1 unsaved change')).toBeVisible();
  await policy.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(policy.getByText('Saved', { exact: true })).toBeVisible();
  await expect(globs).not.toContainText(/allows any command/);
  await expect(globs.getByRole('button', { name: /^Fix: / })).toHaveCount(0);
  const saved = await readFile(file, 'utf8');
  expect(saved).toMatch(/allow_glob = \[\s*"cargo check \*"\s*\]/);
});
