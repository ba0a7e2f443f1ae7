import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { useScriptedProvider } from '../scripted';
import { ROOT } from '../host';

/*
 * Sessions: a failed New session never captures the next message, sessions exist only once
 * written in and are named by their first message, full-text search with snippets, and export.
 * Only OpenAI has a key here: Anthropic is the provider "without a key".
 */

test.use({ hostEnv: { OPENAI_API_KEY: 'sk-e2e-not-a-real-key' } });

const provider = useScriptedProvider();

test.beforeEach(async ({ host }) => {
  await writeFile(
    join(host.workspace, 'vtcode.toml'),
    ['[agent]', 'provider = "openai"', 'default_model = "gpt-test"', ''].join('\n'),
  );
});

const answer = (text: string) => ({
  kind: 'stream' as const,
  parts: [{ type: 'text' as const, text }],
  usage: { input: 20, output: 5 },
});

async function openWorkspace(app: Page, path: string): Promise<void> {
  await app.getByLabel('Folder path').fill(path);
  await app.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(app.getByLabel('Current workspace')).toContainText(path);
}

async function send(app: Page, text: string): Promise<void> {
  const baseUrl = app.getByRole('main', { name: 'Conversation' }).getByLabel('Base URL');
  if ((await baseUrl.inputValue()) !== provider.url) await baseUrl.fill(provider.url);
  const box = app.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

async function snapshot(app: Page, name: string): Promise<void> {
  await app.screenshot({ path: join(ROOT, 'test-results', 'screenshots', `${name}.png`) });
}

const sessionList = (app: Page) => app.getByRole('list', { name: 'Sessions of this workspace' });

test('a failed New session shows why and does not capture the next message', async ({
  app,
  host,
}) => {
  provider.setFixture({ responses: [answer('Seven it is.')] });
  await openWorkspace(app, host.workspace);
  const conversation = app.getByRole('main', { name: 'Conversation' });
  await send(app, 'Pick a number');
  await expect(conversation.getByRole('article', { name: 'Agent answer' })).toContainText(
    'Seven it is.',
  );
  await expect(conversation.getByRole('status')).toHaveText('Ready');
  const requests = provider.requests.length;

  // A provider without a key: New session cannot start.
  await conversation.getByRole('combobox', { name: 'Provider' }).fill('anthropic');
  await conversation.getByLabel('Model', { exact: true }).fill('claude-test');
  await app.getByRole('button', { name: 'New session' }).click();
  const alert = conversation.getByRole('alert');
  await expect(alert).toContainText('Could not start a new session');
  await expect(alert).toContainText('No API key for Anthropic');
  await expect(alert).toContainText('choose another provider above');
  await expect(alert).toContainText('“Pick a number” stays in the list');
  // The old conversation is no longer shown as if it were open.
  await expect(conversation.getByRole('article', { name: 'Your message' })).toHaveCount(0);
  await expect(sessionList(app).locator('[aria-current="true"]')).toHaveCount(0);

  // The next message tries a new session again (and fails the same way); the old one is untouched.
  await app.getByRole('textbox', { name: 'Message' }).fill('Second message');
  await app.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(alert).toContainText('Could not start a new session');
  await expect(app.getByRole('textbox', { name: 'Message' })).toHaveValue('Second message');
  await snapshot(app, 'sessions - failed new session');
  expect(provider.requests.length).toBe(requests);
  await expect(sessionList(app).getByRole('listitem')).toHaveCount(1);
  await expect(sessionList(app).getByRole('listitem')).toContainText('1 turn');
  const [id] = (await readdir(join(host.workspace, '.vtcode', 'sessions'))).filter((n) =>
    n.startsWith('s-'),
  );
  const log = await readFile(
    join(host.workspace, '.vtcode', 'sessions', id!, 'events.jsonl'),
    'utf8',
  );
  expect(log).toContain('Pick a number');
  expect(log).not.toContain('Second message');
});

test('New session twice leaves no empty sessions; the first message names the session', async ({
  app,
  host,
}) => {
  provider.setFixture({ responses: [answer('On it.')] });
  await openWorkspace(app, host.workspace);
  const newSession = app.getByRole('button', { name: 'New session' });
  await newSession.click();
  await expect(newSession).toBeEnabled();
  await newSession.click();
  await expect(newSession).toBeEnabled();
  await expect(app.getByText('No sessions here yet')).toBeVisible();
  await expect(sessionList(app)).toHaveCount(0);

  await send(app, '  Refactor the parser module\nso that it streams');
  const conversation = app.getByRole('main', { name: 'Conversation' });
  await expect(conversation.getByRole('article', { name: 'Agent answer' })).toContainText('On it.');
  await expect(sessionList(app).getByRole('listitem')).toHaveCount(1);
  await expect(sessionList(app).locator('.session-title')).toHaveText('Refactor the parser module');
  await expect(conversation.getByRole('heading', { level: 2 })).toHaveText(
    'Refactor the parser module',
  );
  const onDisk = (await readdir(join(host.workspace, '.vtcode', 'sessions'))).filter((n) =>
    n.startsWith('s-'),
  );
  expect(onDisk).toHaveLength(1);
});

test('full-text search finds a session by a word in its messages and shows where', async ({
  app,
  host,
}) => {
  provider.setFixture({
    responses: [
      answer('Pack sunscreen; the flamingo colony is best seen at dawn.'),
      answer('Unit tests added for the parser.'),
    ],
  });
  await openWorkspace(app, host.workspace);
  const conversation = app.getByRole('main', { name: 'Conversation' });
  await send(app, 'Plan the trip');
  await expect(conversation.getByRole('article', { name: 'Agent answer' })).toContainText('dawn');
  await expect(conversation.getByRole('status')).toHaveText('Ready');
  await app.getByRole('button', { name: 'New session' }).click();
  await expect(conversation.getByRole('article')).toHaveCount(0);
  await send(app, 'Write tests');
  await expect(conversation.getByRole('article', { name: 'Agent answer' })).toContainText(
    'Unit tests added',
  );
  await expect(sessionList(app).getByRole('listitem')).toHaveCount(2);

  const search = app.getByRole('searchbox', { name: 'Search sessions' });
  await search.fill('FLAMINGO');
  await expect(app.getByText('1 session mentions “FLAMINGO”.')).toBeVisible();
  const rows = sessionList(app).getByRole('listitem');
  await expect(rows).toHaveCount(1);
  await expect(rows.locator('.session-title')).toHaveText('Plan the trip');
  await expect(rows.locator('mark')).toHaveText('flamingo');
  await expect(rows.locator('.session-snippet')).toContainText(
    'Agent Pack sunscreen; the flamingo colony is best seen at dawn.',
  );
  await snapshot(app, 'sessions - search light 1024');
  await app.emulateMedia({ colorScheme: 'dark' });
  await snapshot(app, 'sessions - search dark 1024');
  await app.setViewportSize({ width: 1920, height: 1080 });
  await snapshot(app, 'sessions - search dark 1920');
  await app.emulateMedia({ colorScheme: 'light' });
  await snapshot(app, 'sessions - search light 1920');

  // A title match is marked in the title; a word nowhere says so.
  await search.fill('tests');
  await expect(rows).toHaveCount(1);
  await expect(rows.locator('.session-title mark')).toHaveText('tests');
  await search.fill('zanzibar');
  await expect(app.getByText('No session mentions “zanzibar”.')).toBeVisible();
  await expect(sessionList(app)).toHaveCount(0);
  await search.fill('');
  await expect(rows).toHaveCount(2);
});

test('export downloads the Markdown and says which file it wrote', async ({ app, host }) => {
  provider.setFixture({ responses: [answer('Done.')] });
  await openWorkspace(app, host.workspace);
  await send(app, 'Tidy the README.');
  await expect(
    app.getByRole('main', { name: 'Conversation' }).getByRole('article', { name: 'Agent answer' }),
  ).toContainText('Done.');
  const downloading = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Export Tidy the README. as Markdown' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('Tidy-the-README.md');
  const markdown = await readFile(await download.path(), 'utf8');
  expect(markdown).toMatch(/^# Tidy the README\.\n/);
  expect(markdown).not.toMatch(/[…→✓✔✗⠋]|[^.]\.\.(\s|$)/u);
  await expect(app.getByRole('navigation', { name: 'Sessions' }).getByRole('status')).toHaveText(
    /Exported “Tidy the README\.” as Tidy-the-README\.md \(Markdown\), into this browser’s downloads folder\./,
  );
});
