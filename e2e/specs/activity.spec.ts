import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { useScriptedProvider } from '../scripted';
import { ROOT } from '../host';

/*
 * Policy › Activity: a session with allowed, asked and denied calls is listed with who decided;
 * a row opens its rule in the Rules view and its call in the conversation; "Add a rule like this"
 * stages an unsaved rule.
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

test('the Activity view lists each decision with who made it, and links to rule and call', async ({
  app,
  host,
}) => {
  await writeFile(
    join(host.workspace, 'vtcode.toml'),
    '[agent]\nprovider = "openai"\ndefault_model = "gpt-test"\n\n[commands]\ndeny_glob = ["rm *"]\n',
  );
  await writeFile(join(host.workspace, 'notes.txt'), 'draft\n');
  provider.setFixture({
    responses: [
      call('read_file', { path: 'notes.txt' }),
      call('write_file', { path: 'notes.txt', content: 'final\n' }),
      call('exec_command', { command: 'rm -rf build' }),
      call('exec_command', { command: 'npm test' }),
      {
        kind: 'stream',
        parts: [{ type: 'text', text: 'Done.' }],
        usage: { input: 100, output: 10 },
      },
    ],
  });
  await app.getByLabel('Folder path').fill(host.workspace);
  await app.getByRole('button', { name: 'Open', exact: true }).click();
  const conversation = app.getByRole('main', { name: 'Conversation' });
  await conversation.getByLabel('Base URL').fill(provider.url);
  const box = app.getByRole('textbox', { name: 'Message' });
  await box.fill('Finish the notes');
  await box.press('Enter');

  const write = app.getByRole('dialog', { name: 'Allow write_file?' });
  await write.getByRole('button', { name: 'Allow once' }).click();
  const npm = app.getByRole('dialog', { name: 'Allow exec_command?' });
  await npm.getByRole('button', { name: /^Deny/ }).first().click();
  await expect(conversation.getByRole('article', { name: 'Agent answer' })).toContainText('Done.');

  const policy = app.getByRole('tabpanel', { name: 'Policy' });
  await policy.getByRole('tab', { name: 'Activity' }).click();
  const list = policy.getByRole('list', { name: 'Activity records' });
  await expect(list.getByRole('listitem')).toHaveCount(6);
  await expect(policy.getByText(/6 records · 2 allowed · 2 asked · 2 denied/)).toBeVisible();
  const rm = list.getByRole('listitem', { name: /exec_command deny: rm -rf build/ });
  await expect(rm).toContainText('rule `rm *` (deny_glob, workspace vtcode.toml)');
  await expect(list.getByText('you: allowed once')).toBeVisible();
  await expect(list.getByText('you: denied')).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    await app.emulateMedia({ colorScheme: scheme });
    await shot(app, `activity - list ${scheme}`);
  }
  await app.emulateMedia({ colorScheme: 'light' });

  // Filters: only denials, then text.
  await policy.getByLabel('Decision').selectOption('deny');
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await policy.getByLabel('Search the activity').fill('build');
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await rm.getByRole('button', { name: 'Details' }).click();
  await expect(rm).toContainText('Parts of the command');
  await shot(app, 'activity - details');

  // The rule that denied it, in the Rules view.
  await rm.getByRole('button', { name: 'Show the rule that denied this' }).click();
  await expect(policy.getByRole('tab', { name: 'Rules' })).toHaveAttribute('aria-selected', 'true');
  await expect(policy.locator('[data-policy-target="rule:deny_glob:rm *"]')).toBeFocused();

  // Its call in the conversation.
  await policy.getByRole('tab', { name: 'Activity' }).click();
  await policy.getByLabel('Search the activity').fill('');
  await policy.getByLabel('Decision').selectOption('');
  const asked = list.getByRole('listitem', { name: /exec_command prompt: npm test/ });
  await asked.getByRole('button', { name: 'Show this call in the conversation' }).click();
  await expect(conversation.locator('.tool-card.call-focus-flash')).toContainText('npm test');

  // A rule like this: previewed, then staged as an unsaved edit.
  await asked.getByRole('button', { name: 'Add a rule like this' }).click();
  const preview = asked.getByRole('group', { name: 'Add a rule like this' });
  await expect(preview.getByRole('list', { name: 'Rules to add' })).toContainText('^npm test$');
  await shot(app, 'activity - rule preview');
  await preview.getByRole('button', { name: 'Stage this rule' }).click();
  await expect(policy.getByText('1 unsaved change')).toBeVisible();
  await expect(policy.locator('[data-policy-target="rule:allow_regex:^npm test$"]')).toBeVisible();
  await shot(app, 'activity - staged rule');
});
