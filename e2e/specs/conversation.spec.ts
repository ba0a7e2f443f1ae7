import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { FixtureInput } from '../../main/agent/testing/fixture';
import { expect, test } from '../fixtures';
import { useScriptedProvider } from '../scripted';
import { ROOT, startHost } from '../host';

/*
 * The conversation against the scripted provider (a real HTTP server speaking OpenAI's streaming
 * wire format): streaming, approvals through the dialog, the terminal, the policy file, and a
 * session resumed by a new host.
 */

const KEY_ENV = {
  OPENAI_API_KEY: 'sk-e2e-not-a-real-key',
  ANTHROPIC_API_KEY: 'sk-ant-e2e-not-a-real-key',
};
test.use({ hostEnv: KEY_ENV });

const provider = useScriptedProvider();

test.beforeEach(async ({ host }) => {
  await writeFile(
    join(host.workspace, 'vtcode.toml'),
    [
      '[agent]',
      'provider = "openai"',
      'default_model = "gpt-test"',
      '',
      '[tools.policies]',
      'run_pty_cmd = "prompt"',
      '',
    ].join('\n'),
  );
});

function script(fixture: FixtureInput): number {
  const before = provider.requests.length;
  provider.setFixture(fixture);
  return before;
}

const toolCall = (command: string) => ({
  kind: 'stream' as const,
  parts: [{ type: 'tool_call' as const, name: 'exec_command', arguments: { command } }],
  usage: { input: 120, output: 12 },
});
const answer = (text: string) => ({
  kind: 'stream' as const,
  parts: [{ type: 'text' as const, text }],
  usage: { input: 200, output: 20 },
});

/** A screenshot of a moment the fixture's end-of-test screenshot cannot see (a dialog). */
async function snapshot(app: Page, name: string): Promise<void> {
  await app.screenshot({ path: join(ROOT, 'test-results', 'screenshots', `${name}.png`) });
}

async function openWorkspace(app: Page, path: string): Promise<void> {
  await app.getByLabel('Folder path').fill(path);
  await app.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(app.getByLabel('Current workspace')).toContainText(path);
}

/** Point new sessions at the scripted provider, then send a message with Enter. */
async function send(app: Page, text: string): Promise<void> {
  const conversation = app.getByRole('main', { name: 'Conversation' });
  const baseUrl = conversation.getByLabel('Base URL');
  if ((await baseUrl.inputValue()) !== provider.url) await baseUrl.fill(provider.url);
  const box = app.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

test('an answer streams in as Markdown with highlighted code, then shows its usage', async ({
  app,
  host,
}) => {
  const code = '```ts\nconst answer: number = 42;\n```';
  script({
    responses: [
      {
        kind: 'stream',
        parts: [
          { type: 'text', text: `Hello from the **scripted** model.\n\n${code}\n\nThat is all.` },
        ],
        usage: { input: 1500, output: 40 },
        chunkSize: 6,
        chunkDelayMs: 60,
      },
    ],
  });
  await openWorkspace(app, host.workspace);
  const conversation = app.getByRole('main', { name: 'Conversation' });
  await send(app, 'Say hello');

  await expect(conversation.getByRole('article', { name: 'Your message' })).toContainText(
    'Say hello',
  );
  const reply = conversation.getByRole('article', { name: 'Agent answer' });
  // Mid-stream: part of the answer is there, the rest is not yet, and Stop is offered.
  await expect(reply).toContainText('Hello from');
  await expect(reply).not.toContainText('That is all.');
  await expect(conversation.getByRole('button', { name: 'Stop' })).toBeVisible();
  await expect(conversation.getByRole('status')).toHaveText('Agent is answering…');

  await expect(reply).toContainText('That is all.');
  await expect(reply.locator('strong')).toHaveText('scripted');
  await expect(reply.locator('code .hljs-keyword').first()).toHaveText('const');
  await expect(reply.getByRole('button', { name: 'Copy code' })).toBeVisible();
  await expect(conversation.getByRole('status')).toHaveText('Ready');
  await expect(conversation.getByText(/1\.5k in · 40 out/).first()).toBeVisible();
  await expect(conversation.getByLabel('Active provider and model')).toHaveText(
    'openai · gpt-test',
  );
  await expect(conversation.getByRole('button', { name: 'Send' })).toBeVisible();
  // The new session is listed in the sidebar.
  await expect(
    app.getByRole('list', { name: 'Sessions of this workspace' }).getByRole('listitem'),
  ).toHaveCount(1);
});

test('reasoning streams into a collapsed section above the answer (Anthropic wire format)', async ({
  app,
  host,
}) => {
  script({
    responses: [
      {
        kind: 'stream',
        parts: [
          { type: 'reasoning', text: 'The user wants a greeting; keep it short.' },
          { type: 'text', text: 'Hi there.' },
        ],
        usage: { input: 50, output: 12 },
      },
    ],
  });
  await openWorkspace(app, host.workspace);
  const conversation = app.getByRole('main', { name: 'Conversation' });
  await conversation
    .getByRole('group', { name: 'Provider and model for new sessions' })
    .getByRole('combobox', { name: 'Provider' })
    .fill('anthropic');
  await conversation
    .getByRole('group', { name: 'Provider and model for new sessions' })
    .getByLabel('Model', { exact: true })
    .fill('claude-test');
  await send(app, 'Greet me');
  const reply = conversation.getByRole('article', { name: 'Agent answer' });
  await expect(reply).toContainText('Hi there.');
  expect(provider.requests.at(-1)?.wire).toBe('anthropic');
  const reasoning = reply.locator('details.reasoning');
  await expect(reasoning.locator('summary')).toHaveText('Reasoning');
  // Collapsed until opened: the thinking is there, but not shown.
  await expect(reasoning.getByText('keep it short')).toBeHidden();
  await reasoning.locator('summary').click();
  await expect(reasoning.getByText('The user wants a greeting; keep it short.')).toBeVisible();
  await expect(conversation.getByLabel('Active provider and model')).toHaveText(
    'anthropic · claude-test',
  );
});

test('Allow once runs the command in the terminal and its result reaches the conversation', async ({
  app,
  host,
}) => {
  script({ responses: [toolCall('echo hi'), answer('The command printed hi.')] });
  await openWorkspace(app, host.workspace);
  await send(app, 'Run echo hi');

  const dialog = app.getByRole('dialog', { name: 'Allow exec_command?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('What the agent wants to run')).toHaveText('echo hi');
  await expect(dialog).toContainText(host.workspace);
  await expect(dialog).toContainText('workspace_write');
  await expect(dialog.getByRole('button', { name: 'Allow once' })).toHaveAttribute(
    'aria-keyshortcuts',
    'Alt+A',
  );
  await dialog.getByRole('button', { name: 'Allow once' }).click();
  await expect(dialog).toHaveCount(0);

  const conversation = app.getByRole('main', { name: 'Conversation' });
  await expect(conversation.getByRole('article', { name: 'Agent answer' })).toContainText(
    'The command printed hi.',
  );
  const card = conversation.locator('details.tool-card');
  await expect(card).toContainText('Done');
  await card.locator('summary').click();
  await expect(card).toContainText('Allowed once by you');
  await expect(card.locator('.tool-result')).toContainText('hi');

  await app.getByRole('tab', { name: 'Terminal' }).click();
  const terminal = app.getByRole('tabpanel', { name: 'Terminal' });
  await expect(
    terminal.getByRole('group', { name: 'Output of echo hi' }).locator('.xterm-rows'),
  ).toContainText('hi');
  // The model was given the command's output.
  const last = JSON.stringify(provider.requests.at(-1)?.body);
  expect(last).toContain('hi');
});

test('Deny with a reason: the call is refused and the model is told why', async ({ app, host }) => {
  const first = script({
    responses: [toolCall('touch notes.txt'), answer('Fine, I will not touch it.')],
  });
  await openWorkspace(app, host.workspace);
  await send(app, 'Create notes.txt');

  const dialog = app.getByRole('dialog', { name: 'Allow exec_command?' });
  await dialog.getByLabel('Reason for the model if you deny (optional)').fill('not in this repo');
  // The keyboard shortcut, not the mouse.
  await app.keyboard.press('Alt+D');
  await expect(dialog).toHaveCount(0);

  const conversation = app.getByRole('main', { name: 'Conversation' });
  await expect(conversation.getByRole('article', { name: 'Agent answer' })).toContainText(
    'Fine, I will not touch it.',
  );
  await expect(conversation.locator('details.tool-card')).toContainText('Denied');
  const toModel = JSON.stringify(provider.requests.slice(first).at(-1)?.body);
  expect(toModel).toContain('not in this repo');
});

test('Always allow shows the rule first, then it is in vtcode.toml and the Policy panel', async ({
  app,
  host,
}) => {
  script({ responses: [toolCall('echo always'), answer('Ran it.')] });
  await openWorkspace(app, host.workspace);
  await send(app, 'Run echo always');

  const dialog = app.getByRole('dialog', { name: 'Allow exec_command?' });
  await dialog.getByRole('button', { name: 'Always allow' }).click();
  const rules = dialog.getByRole('list', { name: 'Rules to add' });
  // Exactly this command: an anchored allow_regex entry, shown as it will be saved.
  await expect(rules).toContainText('allow_regex = "^echo always$"');
  await expect(dialog).toContainText(join(host.workspace, 'vtcode.toml'));
  await snapshot(app, 'conversation - always allow preview');
  await dialog.getByRole('button', { name: 'Add rule and allow' }).click();
  await expect(dialog).toHaveCount(0);

  await expect(
    app.getByRole('main', { name: 'Conversation' }).getByRole('article', { name: 'Agent answer' }),
  ).toContainText('Ran it.');
  const toml = await readFile(join(host.workspace, 'vtcode.toml'), 'utf8');
  expect(toml).toMatch(/allow_regex = \[\s*"\^echo always\$"\s*\]/);
  expect(toml).toContain('default_model = "gpt-test"');
  const policy = app.getByRole('tabpanel', { name: 'Policy' });
  await expect(
    policy.getByRole('button', { name: 'Delete Allow regexes rule ^echo always$' }),
  ).toBeVisible();
});

test('two calls of one turn ask one after the other; Alt+A allows once', async ({ app, host }) => {
  script({
    responses: [
      {
        kind: 'stream',
        parts: [
          { type: 'tool_call', name: 'exec_command', arguments: { command: 'echo one' } },
          { type: 'tool_call', name: 'exec_command', arguments: { command: 'echo two' } },
        ],
      },
      answer('Both done.'),
    ],
  });
  await openWorkspace(app, host.workspace);
  await send(app, 'Run two commands');
  const dialog = app.getByRole('dialog', { name: 'Allow exec_command?' });
  await expect(dialog.getByLabel('What the agent wants to run')).toHaveText('echo one');
  await snapshot(app, 'conversation - approval dialog');
  // Focus stays in the dialog: Tab and Shift+Tab cycle inside it, and Alt shortcuts still work.
  const focusInDialog = () =>
    app.evaluate(() => Boolean(document.activeElement?.closest('[role="dialog"]')));
  for (let i = 0; i < 12; i++) {
    await app.keyboard.press(i % 3 === 0 ? 'Tab' : 'Shift+Tab');
    expect(await focusInDialog()).toBe(true);
  }
  await app.keyboard.press('Alt+A');
  await expect(dialog.getByLabel('What the agent wants to run')).toHaveText('echo two');
  await dialog.getByRole('button', { name: 'Allow once' }).click();
  await expect(
    app.getByRole('main', { name: 'Conversation' }).getByRole('article', { name: 'Agent answer' }),
  ).toContainText('Both done.');
});

test('a session is resumed after the host restarts, with its messages', async ({ app, host }) => {
  script({ responses: [answer('Remember the number 7.'), answer('It was 7.')] });
  await openWorkspace(app, host.workspace);
  await send(app, 'Pick a number');
  const conversation = app.getByRole('main', { name: 'Conversation' });
  await expect(conversation.getByRole('article', { name: 'Agent answer' })).toContainText(
    'Remember the number 7.',
  );
  await expect(conversation.getByRole('status')).toHaveText('Ready');

  await host.stop({ keepDirs: true });
  const again = await startHost({
    dirs: { root: host.root, home: host.home, workspace: host.workspace },
    extraEnv: KEY_ENV,
  });
  try {
    await app.goto(again.url);
    await openWorkspace(app, host.workspace);
    const sessions = app.getByRole('list', { name: 'Sessions of this workspace' });
    await expect(sessions.getByRole('listitem')).toHaveCount(1);
    await app.getByRole('main', { name: 'Conversation' }).getByLabel('Base URL').fill(provider.url);
    await sessions.getByRole('button', { name: /turn/ }).click();
    await expect(conversation.getByRole('article', { name: 'Your message' })).toContainText(
      'Pick a number',
    );
    await expect(conversation.getByRole('article', { name: 'Agent answer' })).toContainText(
      'Remember the number 7.',
    );
    // And it goes on where it stopped: the model gets the earlier turn as history.
    await send(app, 'What was it?');
    await expect(conversation.getByRole('article', { name: 'Agent answer' }).last()).toContainText(
      'It was 7.',
    );
    expect(JSON.stringify(provider.requests.at(-1)?.body)).toContain('Remember the number 7.');
    await expect(sessions.getByRole('listitem')).toContainText('2 turns');
    await expect(sessions.getByRole('listitem')).toContainText('Pick a number');
    await snapshot(app, 'conversation - resumed after restart');
  } finally {
    await again.stop({ keepDirs: true });
  }
});

test('Revert turn asks first, naming the files, then puts them back', async ({ app, host }) => {
  script({
    responses: [
      {
        kind: 'stream',
        parts: [
          {
            type: 'tool_call',
            name: 'write_file',
            arguments: { path: 'notes.txt', content: 'draft\n' },
          },
        ],
      },
      answer('Wrote notes.txt.'),
    ],
  });
  await openWorkspace(app, host.workspace);
  await send(app, 'Write notes.txt');
  const dialog = app.getByRole('dialog', { name: 'Allow write_file?' });
  // A file tool's approval shows no sandbox facts: they do not apply to it.
  await expect(dialog).not.toContainText('Network');
  await dialog.getByRole('button', { name: 'Allow once' }).click();
  const conversation = app.getByRole('main', { name: 'Conversation' });
  await expect(conversation.getByRole('article', { name: 'Agent answer' })).toContainText(
    'Wrote notes.txt.',
  );
  await conversation.getByRole('button', { name: 'Revert turn (1 change)' }).click();
  const confirm = conversation.getByRole('group', { name: 'Confirm revert' });
  await expect(confirm).toContainText('notes.txt');
  expect(await readFile(join(host.workspace, 'notes.txt'), 'utf8')).toBe('draft\n');
  await confirm.getByRole('button', { name: 'Revert these files' }).click();
  await expect
    .poll(() => readFile(join(host.workspace, 'notes.txt'), 'utf8').catch(() => 'gone'))
    .toBe('gone');
});
