import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { useScriptedProvider } from '../scripted';
import { ROOT } from '../host';

/*
 * MCP under the app's policy: a stdio server added in Settings › MCP (Node running the SDK test
 * server, inside the sandbox) runs and lists its tools; each tool is a row of the policy matrix;
 * denied there and saved, a call the model makes to it is refused in the conversation with the
 * reason.
 */

test.use({ hostEnv: { OPENAI_API_KEY: 'sk-e2e-not-a-real-key' } });

const TEST_SERVER = join(ROOT, 'main', 'mcp', 'testing', 'test-server.mjs');
const NAME = 'tester';
const ECHO = `mcp__${NAME}__echo`;

const provider = useScriptedProvider();

test.beforeEach(async ({ host }) => {
  await writeFile(
    join(host.workspace, 'vtcode.toml'),
    '[agent]\nprovider = "openai"\ndefault_model = "gpt-test"\n',
  );
});

async function openWorkspace(app: Page, path: string): Promise<void> {
  await app.getByLabel('Folder path').fill(path);
  await app.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(app.getByLabel('Current workspace')).toContainText(path);
}

async function openMcpSettings(app: Page): Promise<Locator> {
  await app.getByRole('button', { name: 'Settings' }).click();
  const section = app.getByRole('region', { name: 'Settings' }).getByRole('region', {
    name: 'MCP servers',
  });
  await expect(section).toBeVisible();
  return section;
}

/** Add the test server in the Add form: Node running it, one argument per line (a path may hold spaces). */
async function addTestServer(section: Locator): Promise<Locator> {
  const form = section.getByRole('form', { name: 'Add an MCP server' });
  await form.getByLabel('Name', { exact: true }).fill(NAME);
  await form.getByRole('radio', { name: 'Command' }).check();
  await form.getByLabel('Program').fill(process.execPath);
  await form.getByLabel(/^Arguments/).fill(`${TEST_SERVER}\n`);
  await expect(form.getByRole('checkbox', { name: /Allow network/ })).not.toBeChecked();
  await form.getByRole('button', { name: 'Add server' }).click();
  await expect(form.getByLabel('Name', { exact: true })).toHaveValue('');
  return section.getByRole('group', { name: `MCP server ${NAME}` });
}

async function shot(app: Page, name: string): Promise<void> {
  await app.screenshot({ path: join(ROOT, 'test-results', 'screenshots', `${name}.png`) });
}

test('a stdio server added in Settings › MCP runs and lists its tools; denied in Policy, its call is refused', async ({
  app,
  host,
}) => {
  await openWorkspace(app, host.workspace);
  const section = await openMcpSettings(app);
  await expect(section.getByText('No server yet.')).toBeVisible();

  const server = await addTestServer(section);
  await expect(server.getByLabel('Command', { exact: true })).toContainText(TEST_SERVER);
  await expect(server.getByText('user file')).toBeVisible();
  await expect(server).toContainText('network: none');
  await expect(server).toContainText('read-only');
  // An enabled server starts by itself; one left stopped is started here.
  const status = server.locator('.mcp-status');
  await expect(status).toHaveText(/Running|Stopped/, { timeout: 30_000 });
  if ((await status.textContent()) === 'Stopped')
    await server.getByRole('button', { name: `Start ${NAME}`, exact: true }).click();
  await expect(status).toHaveText('Running', { timeout: 30_000 });
  await expect(server.getByRole('alert')).toHaveCount(0);

  const tools = server.getByRole('list', { name: `Tools of ${NAME}` });
  for (const tool of ['echo', 'add', 'write_file', 'fetch_url', 'read_env'])
    await expect(tools.locator('code', { hasText: new RegExp(`^${tool}$`) })).toBeVisible();
  const echo = tools
    .getByRole('listitem')
    .filter({ has: app.locator('code', { hasText: /^echo$/ }) });
  await expect(echo).toContainText('Repeat the text back.');
  await echo.getByText('Input schema').click();
  await expect(echo.getByLabel(`Input schema of ${ECHO}`)).toContainText('"text"');

  // The log: stderr lines, on demand.
  await server.getByRole('button', { name: `Show log of ${NAME}` }).click();
  await expect(server.getByRole('group', { name: `Log of ${NAME}` })).toBeVisible();

  const user = await readFile(join(host.home, '.config', 'vtcode-desktop', 'vtcode.toml'), 'utf8');
  expect(user).toContain(NAME);
  expect(user).toContain(TEST_SERVER);

  // No sideways page scroll at the smallest supported window; light and dark.
  for (const [w, h] of [
    [1024, 700],
    [1920, 1080],
  ] as const) {
    await app.setViewportSize({ width: w, height: h });
    await server.scrollIntoViewIfNeeded();
    expect(
      await app.evaluate(
        () => document.documentElement.scrollWidth <= document.documentElement.clientWidth,
      ),
    ).toBe(true);
    for (const scheme of ['light', 'dark'] as const) {
      await app.emulateMedia({ colorScheme: scheme });
      await shot(app, `mcp - settings ${w}x${h} ${scheme}`);
    }
  }
  await app.emulateMedia({ colorScheme: 'light' });

  // The tool's link opens its row in Policy › Rules.
  await echo.getByRole('button', { name: `Open ${ECHO} in Policy rules` }).click();
  await expect(app.getByRole('region', { name: 'Settings' })).toHaveCount(0);
  await expect(app.getByRole('tab', { name: 'Policy' })).toHaveAttribute('aria-selected', 'true');
  const policy = app.getByRole('tabpanel', { name: 'Policy' });
  const mcpRows = policy.getByRole('rowgroup', { name: 'MCP tools' });
  const row = mcpRows.getByRole('row').filter({ hasText: ECHO });
  await expect(row).toBeInViewport();
  // Scrolled to within the panel; the page itself does not grow or scroll.
  expect(
    await app.evaluate(
      () => document.documentElement.scrollHeight <= document.documentElement.clientHeight,
    ),
  ).toBe(true);
  await expect(row.locator('.mcp-server-tag')).toHaveText(NAME);
  await row.getByText(`About echo`).click();
  await expect(row.getByLabel(`Input schema of ${ECHO}`)).toContainText('"text"');
  await shot(app, 'mcp - policy matrix');

  await policy.getByRole('radio', { name: `${ECHO}: Deny` }).check();
  await expect(policy.getByText('1 unsaved change')).toBeVisible();
  await policy.getByRole('button', { name: 'Save' }).click();
  await expect(policy.getByText('Saved', { exact: true })).toBeVisible();
  const workspaceToml = await readFile(join(host.workspace, 'vtcode.toml'), 'utf8');
  expect(workspaceToml).toContain(`${ECHO} = "deny"`);
  await expect(policy.getByRole('radio', { name: `${ECHO}: Deny` })).toBeChecked();

  // The model calls the tool: refused by the policy, with the reason, and the model is told.
  provider.setFixture({
    responses: [
      {
        kind: 'stream',
        parts: [{ type: 'tool_call', name: ECHO, arguments: { text: 'hello' } }],
        usage: { input: 100, output: 10 },
      },
      {
        kind: 'stream',
        parts: [{ type: 'text', text: 'The echo tool is denied here.' }],
        usage: { input: 100, output: 10 },
      },
    ],
  });
  const before = provider.requests.length;
  const conversation = app.getByRole('main', { name: 'Conversation' });
  await conversation.getByLabel('Base URL').fill(provider.url);
  const box = app.getByRole('textbox', { name: 'Message' });
  await box.fill('Echo hello with the MCP tool');
  await box.press('Enter');

  await expect(conversation.getByRole('article', { name: 'Agent answer' })).toContainText(
    'The echo tool is denied here.',
  );
  const card = conversation.locator('details.tool-card');
  await expect(card.locator('.tool-name')).toHaveText(ECHO);
  await expect(card).toContainText('Denied');
  await card.locator('summary').click();
  await expect(card).toContainText(`[tools.policies] ${ECHO}`);
  // No approval was asked: the policy said no.
  await expect(app.getByRole('dialog')).toHaveCount(0);
  const toModel = JSON.stringify(provider.requests.slice(before).at(-1)?.body);
  expect(toModel).toContain('denied');
  await shot(app, 'mcp - denied call');
});

test('a bad Add form is refused where it is wrong, and nothing is sent', async ({ app, host }) => {
  await openWorkspace(app, host.workspace);
  const section = await openMcpSettings(app);
  const form = section.getByRole('form', { name: 'Add an MCP server' });
  await form.getByLabel('Name', { exact: true }).fill('two__parts');
  await form.getByLabel('Variables', { exact: false }).fill('NOT A LINE');
  await form.getByRole('button', { name: 'Add server' }).click();
  await expect(form.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Program')).toHaveAttribute('aria-invalid', 'true');
  await expect(form).toContainText('is not NAME=value');
  await form.getByRole('radio', { name: 'URL' }).check();
  await expect(form.getByLabel('Program')).toHaveCount(0);
  await expect(form.getByRole('checkbox', { name: /Allow network/ })).toHaveCount(0);
  await expect(section.getByText('No server yet.')).toBeVisible();
});

test('a secret for a server: its name is listed, never its value; Delete removes it', async ({
  app,
  host,
}) => {
  const value = 'mcp-e2e-secret-value-never-shown-7Q2';
  await openWorkspace(app, host.workspace);
  const section = await openMcpSettings(app);
  const server = await addTestServer(section);
  await server.getByText('Secrets: none').click();
  const form = server.getByRole('form', { name: `Add a secret for ${NAME}` });
  await form.getByLabel('Variable').fill('API_KEY');
  await form.getByLabel('Value').fill(value);
  await form.getByRole('button', { name: 'Save secret' }).click();
  await expect(form.getByLabel('Value')).toHaveValue('');
  const secrets = server.getByRole('list', { name: `Secrets of ${NAME}` });
  await expect(secrets).toContainText('API_KEY');
  expect(await app.content()).not.toContain(value);
  // Never in a config file either: the keychain has it.
  const user = await readFile(join(host.home, '.config', 'vtcode-desktop', 'vtcode.toml'), 'utf8');
  expect(user).not.toContain(value);

  await secrets.getByRole('button', { name: `Delete the secret API_KEY of ${NAME}` }).click();
  await expect(server.getByText('Secrets: none')).toBeVisible();
});

test('a server the workspace file declares waits for its exact line to be approved, then runs', async ({
  app,
  host,
}) => {
  await writeFile(
    join(host.workspace, 'vtcode.toml'),
    [
      '[agent]',
      'provider = "openai"',
      'default_model = "gpt-test"',
      '',
      '[mcp]',
      'enabled = true',
      '',
      '[[mcp.providers]]',
      'name = "repo"',
      `command = ${JSON.stringify(process.execPath)}`,
      `args = [${JSON.stringify(TEST_SERVER)}]`,
      '',
    ].join('\n'),
  );
  await openWorkspace(app, host.workspace);
  const section = await openMcpSettings(app);
  const server = section.getByRole('group', { name: 'MCP server repo' });
  await expect(server.getByText('workspace file', { exact: true })).toBeVisible();
  await expect(server.locator('.mcp-status')).toHaveText(/approval/i);
  const gate = server.getByRole('group', { name: 'Approve repo' });
  const line = gate.getByLabel('Command line to approve');
  await expect(line).toContainText(TEST_SERVER);
  await expect(line).toContainText('network: none');
  await expect(line).toContainText('writes: none');
  // Nothing ran before the approval: no tools.
  await expect(server.getByRole('list', { name: 'Tools of repo' })).toHaveCount(0);
  await gate.scrollIntoViewIfNeeded();
  await shot(app, 'mcp - workspace server approval');
  await gate.getByRole('button', { name: /Approve and start/ }).click();
  await expect(server.locator('.mcp-status')).toHaveText('Running', { timeout: 30_000 });
  const tools = server.getByRole('list', { name: 'Tools of repo' });
  await expect(tools.locator('code', { hasText: /^echo$/ })).toBeVisible();
  // Removing is done in the file that declares it.
  await expect(server.getByRole('button', { name: 'Remove repo' })).toHaveCount(0);
});
