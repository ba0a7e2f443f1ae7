import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { FixtureInput } from '../../main/agent/testing/fixture';
import { expect, test } from '../fixtures';
import { useScriptedProvider } from '../scripted';
import { ROOT } from '../host';

/*
 * File-edit approvals against the scripted provider: the diff is in the dialog before anything is
 * written, "Always allow edits in this workspace" lets later edits run, protected files still ask.
 */

test.use({ hostEnv: { OPENAI_API_KEY: 'sk-e2e-not-a-real-key' } });

const provider = useScriptedProvider();

const CALC = 'function add(a, b) {\n  return a - b;\n}\n';

test.beforeEach(async ({ host }) => {
  await writeFile(
    join(host.workspace, 'vtcode.toml'),
    '[agent]\nprovider = "openai"\ndefault_model = "gpt-test"\n',
  );
  await mkdir(join(host.workspace, 'src'), { recursive: true });
  await writeFile(join(host.workspace, 'src', 'calc.js'), CALC);
});

const call = (name: string, args: Record<string, unknown>) => ({
  kind: 'stream' as const,
  parts: [{ type: 'tool_call' as const, name, arguments: args }],
  usage: { input: 100, output: 10 },
});
const answer = (text: string) => ({
  kind: 'stream' as const,
  parts: [{ type: 'text' as const, text }],
  usage: { input: 100, output: 10 },
});

function script(fixture: FixtureInput): void {
  provider.setFixture(fixture);
}

async function openWorkspace(app: Page, path: string): Promise<void> {
  await app.getByLabel('Folder path').fill(path);
  await app.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(app.getByLabel('Current workspace')).toContainText(path);
}

async function send(app: Page, text: string): Promise<void> {
  const conversation = app.getByRole('main', { name: 'Conversation' });
  await conversation.getByLabel('Base URL').fill(provider.url);
  const box = app.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

async function shot(app: Page, name: string): Promise<void> {
  await app.screenshot({ path: join(ROOT, 'test-results', 'screenshots', `${name}.png`) });
}

test('an edit shows its removed and added lines before approval; Approve applies it', async ({
  app,
  host,
}) => {
  script({
    responses: [
      call('edit_file', {
        path: 'src/calc.js',
        old_str: '  return a - b;',
        new_str: '  return a + b;',
      }),
      answer('Fixed the sign.'),
    ],
  });
  await openWorkspace(app, host.workspace);
  await send(app, 'Fix add');

  const dialog = app.getByRole('dialog', { name: 'Allow edit_file?' });
  const diff = dialog.getByLabel('Proposed changes to src/calc.js');
  await expect(diff.locator('.diff-del')).toHaveText(['−removed:   return a - b;']);
  await expect(diff.locator('.diff-add')).toHaveText(['+added:   return a + b;']);
  // Only what applies to a file edit: no sandbox or network facts.
  await expect(dialog).not.toContainText('Sandbox');
  await expect(dialog).not.toContainText('Network');
  await expect(dialog).toContainText('edit_file asks first');
  await expect(dialog).toContainText('Setting: built-in default, tools.default_policy');
  // Nothing is written while the dialog waits.
  expect(await readFile(join(host.workspace, 'src', 'calc.js'), 'utf8')).toBe(CALC);

  for (const [w, h] of [
    [1024, 700],
    [1920, 1080],
  ] as const) {
    await app.setViewportSize({ width: w, height: h });
    await app.emulateMedia({ colorScheme: 'light' });
    await shot(app, `approvals - edit diff ${w}x${h} light`);
    await app.emulateMedia({ colorScheme: 'dark' });
    await shot(app, `approvals - edit diff ${w}x${h} dark`);
  }
  await app.emulateMedia({ colorScheme: 'light' });

  await dialog.getByRole('button', { name: 'Allow once' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(
    app.getByRole('main', { name: 'Conversation' }).getByRole('article', { name: 'Agent answer' }),
  ).toContainText('Fixed the sign.');
  expect(await readFile(join(host.workspace, 'src', 'calc.js'), 'utf8')).toContain('a + b');
});

test('"Always allow edits in this workspace" lets the next edit run; a .vscode/settings.json write still asks', async ({
  app,
  host,
}) => {
  script({
    responses: [
      call('write_file', { path: 'notes.txt', content: 'one\n' }),
      call('edit_file', { path: 'src/calc.js', old_str: 'a - b', new_str: 'a + b' }),
      call('write_file', { path: '.vscode/settings.json', content: '{}\n' }),
      answer('Done what I could.'),
    ],
  });
  await openWorkspace(app, host.workspace);
  await send(app, 'Make some edits');

  const first = app.getByRole('dialog', { name: 'Allow write_file?' });
  await expect(first.getByLabel('Proposed change to notes.txt')).toContainText('new file');
  const always = first.getByRole('button', { name: /Always allow edits in this workspace/ });
  await expect(always).toHaveAttribute('aria-keyshortcuts', 'Alt+E');
  // Focus stays in the dialog with the new button; its Alt shortcut answers.
  for (let i = 0; i < 8; i++) {
    await app.keyboard.press(i % 2 === 0 ? 'Tab' : 'Shift+Tab');
    expect(
      await app.evaluate(() => Boolean(document.activeElement?.closest('[role="dialog"]'))),
    ).toBe(true);
  }
  await app.keyboard.press('Alt+E');

  // The edit of src/calc.js runs with no dialog; the protected file asks, saying why.
  const protectedAsk = app.getByRole('dialog', { name: 'Allow write_file?' });
  await expect(protectedAsk.getByLabel('Proposed change to .vscode/settings.json')).toContainText(
    'Protected',
  );
  expect(await readFile(join(host.workspace, 'src', 'calc.js'), 'utf8')).toContain('a + b');
  await shot(app, 'approvals - protected file after allowing edits');
  await protectedAsk.getByRole('button', { name: /^Deny/ }).click();
  await expect(
    app.getByRole('main', { name: 'Conversation' }).getByRole('article', { name: 'Agent answer' }),
  ).toContainText('Done what I could.');

  const toml = await readFile(join(host.workspace, 'vtcode.toml'), 'utf8');
  expect(toml).toContain('write_file = "allow"');
  expect(toml).toContain('edit_file = "allow"');
  expect(toml).toContain('apply_patch = "allow"');
  // The cards: the edit ran without asking, the settings file was denied by the person.
  const cards = app.locator('details.tool-card');
  await expect(cards).toHaveCount(3);
  await expect(cards.nth(1)).toContainText('Done');
  await expect(cards.nth(2)).toContainText('Denied');
});

test('the empty state says what the policy allows and links to the setting', async ({
  app,
  host,
}) => {
  await openWorkspace(app, host.workspace);
  const summary = app.getByLabel('What the agent may do here');
  await expect(summary).toContainText('Reading and searching files is allowed');
  await expect(summary).toContainText('edits ask first');
  await expect(summary).toContainText('commands ask first');
  await app.getByRole('tab', { name: 'Terminal' }).click();
  await summary
    .getByRole('button', { name: 'built-in default: tools.default_policy' })
    .first()
    .click();
  await expect(app.getByRole('tab', { name: 'Policy' })).toHaveAttribute('aria-selected', 'true');
  await expect(app.getByRole('radiogroup', { name: 'Default policy' })).toBeFocused();
});

test('"Allow for this session" runs the same command again without asking until the grant is revoked from the header', async ({
  app,
  host,
}) => {
  const echo = call('exec_command', { command: 'echo granted' });
  script({
    responses: [
      echo,
      answer('Ran it once.'),
      echo,
      answer('Ran it again.'),
      echo,
      answer('Not run.'),
    ],
  });
  await openWorkspace(app, host.workspace);
  const conversation = app.getByRole('main', { name: 'Conversation' });
  const answers = conversation.getByRole('article', { name: 'Agent answer' });
  await send(app, 'Run echo');

  const dialog = app.getByRole('dialog', { name: 'Allow exec_command?' });
  await expect(dialog.getByLabel('What the agent wants to run')).toHaveText('echo granted');
  await expect(dialog.getByRole('button', { name: /Allow for this session/ })).toHaveAttribute(
    'aria-keyshortcuts',
    'Alt+S',
  );
  await app.setViewportSize({ width: 1024, height: 700 });
  for (const scheme of ['light', 'dark'] as const) {
    await app.emulateMedia({ colorScheme: scheme });
    await shot(app, `approvals - session grant button 1024x700 ${scheme}`);
  }
  // The shortcut opens the preview: what the grant covers, before anything is granted.
  await app.keyboard.press('Alt+S');
  const step = dialog.getByRole('region', { name: 'Allow for this session' });
  await expect(step.getByRole('list', { name: 'What the grant allows' })).toContainText(
    'exactly `echo granted`',
  );
  for (const [w, h] of [
    [1024, 700],
    [1920, 1080],
  ] as const) {
    await app.setViewportSize({ width: w, height: h });
    for (const scheme of ['light', 'dark'] as const) {
      await app.emulateMedia({ colorScheme: scheme });
      await shot(app, `approvals - session grant preview ${w}x${h} ${scheme}`);
    }
  }
  await step.getByRole('button', { name: 'Allow for this session' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(answers.last()).toContainText('Ran it once.');

  // The header lists the grant; the same command runs with no dialog, and its card says why.
  const toggle = conversation.getByRole('button', { name: '1 session grant' });
  await expect(toggle).toBeVisible();
  await send(app, 'Run echo again');
  await expect(answers.last()).toContainText('Ran it again.');
  await expect(dialog).toHaveCount(0);
  const cards = app.locator('details.tool-card');
  await expect(cards).toHaveCount(2);
  await expect(cards.nth(1).getByLabel('Allowed by a session grant: echo granted')).toHaveText(
    'Session grant',
  );
  await expect(cards.nth(1)).toContainText('allowed by a session grant: echo granted');
  await expect(cards.nth(0)).not.toContainText('session grant');

  await toggle.click();
  const list = conversation.getByRole('list', { name: 'Session grants' });
  await expect(list).toContainText('echo granted');
  for (const [w, h] of [
    [1024, 700],
    [1920, 1080],
  ] as const) {
    await app.setViewportSize({ width: w, height: h });
    for (const scheme of ['light', 'dark'] as const) {
      await app.emulateMedia({ colorScheme: scheme });
      await shot(app, `approvals - session grants in header ${w}x${h} ${scheme}`);
    }
  }
  await app.emulateMedia({ colorScheme: 'light' });
  await list.getByRole('button', { name: 'Revoke the grant for echo granted' }).click();
  await expect(toggle).toHaveCount(0);

  // Revoked: the next run asks again.
  await send(app, 'Run echo a third time');
  await expect(dialog.getByLabel('What the agent wants to run')).toHaveText('echo granted');
  await app.keyboard.press('Alt+D');
  await expect(dialog).toHaveCount(0);
  await expect(answers.last()).toContainText('Not run.');
  await expect(cards.nth(2)).toContainText('Denied');
});
