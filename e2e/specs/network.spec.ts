import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { FixtureInput } from '../../main/agent/testing/fixture';
import { expect, test } from '../fixtures';
import { useScriptedProvider } from '../scripted';
import { ROOT } from '../host';

/*
 * A host no network rule covers: a scripted agent command connects to a local server by name, the
 * approval dialog's network variant asks (the connection waits), and "Allow for this session" lets
 * the next request through without asking.
 */

test.use({ hostEnv: { OPENAI_API_KEY: 'sk-e2e-not-a-real-key' } });

const provider = useScriptedProvider();
let server: Server;
let port: number;
let hits = 0;

test.beforeAll(async () => {
  server = createServer((_req, res) => {
    hits++;
    res.end('LOCAL-SERVER-BODY');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
test.afterAll(() => {
  server.close();
});

test.beforeEach(async ({ host }) => {
  hits = 0;
  // curl itself is allowed, so the only question is the network one.
  await writeFile(
    join(host.workspace, 'vtcode.toml'),
    '[agent]\nprovider = "openai"\ndefault_model = "gpt-test"\n[commands]\nallow_list = ["curl"]\n',
  );
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

async function shots(app: Page, name: string): Promise<void> {
  for (const [w, h] of [
    [1024, 700],
    [1920, 1080],
  ] as const) {
    await app.setViewportSize({ width: w, height: h });
    for (const scheme of ['light', 'dark'] as const) {
      await app.emulateMedia({ colorScheme: scheme });
      await app.screenshot({
        path: join(
          ROOT,
          'test-results',
          'screenshots',
          `network - ${name} ${w}x${h} ${scheme}.png`,
        ),
      });
    }
  }
  await app.emulateMedia({ colorScheme: 'light' });
}

test('a new host asks in the app; "Allow for this session" lets the next request through without asking', async ({
  app,
  host,
}) => {
  // `localhost`: a name, not on the allow-list, that the sandbox's proxy may resolve to loopback.
  const fetchIt = call('exec_command', {
    command: `curl -sS -f -m 90 --retry 5 --retry-connrefused --retry-delay 1 --noproxy '' http://localhost:${port}/`,
  });
  script({
    responses: [fetchIt, answer('Fetched once.'), fetchIt, answer('Fetched again.')],
  });
  await openWorkspace(app, host.workspace);
  const conversation = app.getByRole('main', { name: 'Conversation' });
  const answers = conversation.getByRole('article', { name: 'Agent answer' });
  await send(app, 'Fetch the page');

  const dialog = app.getByRole('dialog', { name: `Allow a connection to localhost:${port}?` });
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  await expect(
    dialog.getByRole('list', { name: 'Commands that may have connected' }),
  ).toContainText(`http://localhost:${port}/`);
  await expect(dialog).toContainText('not on the [sandbox.network] allowlist');
  // The connection waits for the answer.
  expect(hits).toBe(0);
  await shots(app, 'new host question');

  // "Always" shows the exact change to the user file first; Back leaves it unwritten.
  await dialog.getByRole('button', { name: /Always allow/ }).click();
  const always = dialog.getByRole('region', { name: 'Always allow this host' });
  await expect(always.locator('.diff-add')).toContainText([
    '[[sandbox.network.allowlist]]',
    'domain = "localhost"',
    `port = ${port}`,
  ]);
  await shots(app, 'always preview');
  await always.getByRole('button', { name: 'Back' }).click();

  await dialog.getByRole('button', { name: /Allow for this session/ }).click();
  await expect(dialog).toHaveCount(0);
  await expect(answers.last()).toContainText('Fetched once.');
  expect(hits).toBe(1);
  const cards = conversation.locator('details.tool-card');
  await cards.nth(0).locator('summary').click();
  await expect(cards.nth(0).getByRole('list', { name: 'Hosts asked about' })).toContainText(
    `localhost:${port}: Allowed by you for this session`,
  );

  // The grant is listed with the session's grants; the second request is not asked about.
  await expect(conversation.getByRole('button', { name: '1 session grant' })).toBeVisible();
  await send(app, 'Fetch it again');
  await expect(answers.last()).toContainText('Fetched again.');
  expect(hits).toBe(2);
  await expect(dialog).toHaveCount(0);
  await expect(cards).toHaveCount(2);
  await cards.nth(1).locator('summary').click();
  await expect(cards.nth(1)).toContainText('LOCAL-SERVER-BODY');
  await expect(cards.nth(1).getByRole('list', { name: 'Hosts asked about' })).toHaveCount(0);
  await conversation.getByRole('button', { name: '1 session grant' }).click();
  await expect(conversation.getByRole('list', { name: 'Session grants' })).toContainText(
    `localhost:${port}`,
  );
  await shots(app, 'host grant in header');
  // Nothing was saved: the grant lives in memory only.
  const user = await readFile(
    join(host.home, '.config', 'vtcode-desktop', 'vtcode.toml'),
    'utf8',
  ).catch(() => '');
  expect(user).not.toContain('localhost');
});

test('the Policy panel edits denied hosts, and "Try a host" says allow, ask or deny and which entry decided', async ({
  app,
  host,
}) => {
  await openWorkspace(app, host.workspace);
  const policy = app.getByRole('tabpanel', { name: 'Policy' });
  const sandbox = policy.getByRole('region', { name: 'Sandbox' });
  const tryHost = sandbox.getByRole('group', { name: 'Try a host' });
  await tryHost.getByLabel('Host to try').fill('api.github.com');
  await expect(tryHost.getByTestId('try-host-verdict')).toContainText('Ask');
  await expect(tryHost.getByTestId('try-host-verdict')).toContainText(
    'not on the [sandbox.network] allowlist',
  );

  const denied = sandbox.getByRole('group', { name: 'Denied hosts' });
  await denied.getByLabel('Host to deny').fill('a b');
  await expect(denied.getByRole('button', { name: 'Deny' })).toBeDisabled();
  await denied.getByLabel('Host to deny').fill('*.github.com');
  await denied.getByLabel('Port to deny (empty: every port)').fill('443');
  await denied.getByRole('button', { name: 'Deny' }).click();
  await expect(denied).toContainText('*.github.com:443');
  await policy.getByRole('button', { name: 'Save' }).click();
  await expect(policy.getByText('Saved', { exact: true })).toBeVisible();
  const text = await readFile(join(host.workspace, 'vtcode.toml'), 'utf8');
  expect(text).toContain('denylist = [{ domain = "*.github.com", port = 443 }]');
  expect(text).toContain('allow_list = ["curl"]');

  await tryHost.getByLabel('Host to try').fill('api.github.com:443');
  await expect(tryHost.getByTestId('try-host-verdict')).toContainText('Deny');
  await expect(tryHost.getByTestId('try-host-verdict')).toContainText(
    'denied by the [sandbox.network] denylist entry *.github.com:443',
  );
  await expect(tryHost).toContainText(join(host.workspace, 'vtcode.toml'));
  await tryHost.getByLabel('Host to try').fill('api.github.com:80');
  await expect(tryHost.getByTestId('try-host-verdict')).toContainText('Ask');
  await sandbox.scrollIntoViewIfNeeded();
  await shots(app, 'policy deny list and try a host');
});
