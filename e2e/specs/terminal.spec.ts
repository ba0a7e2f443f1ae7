import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';

async function openTerminal(app: Page, workspace: string) {
  await app.getByLabel('Folder path').fill(workspace);
  await app.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(app.getByLabel('Current workspace')).toContainText(workspace);
  await app.getByRole('tab', { name: 'Terminal' }).click();
  const terminal = app.getByRole('tabpanel', { name: 'Terminal' });
  await expect(terminal).toBeVisible();
  return terminal;
}

async function run(app: Page, command: string) {
  const terminal = app.getByRole('tabpanel', { name: 'Terminal' });
  await terminal.getByRole('textbox', { name: 'Command' }).fill(command);
  await terminal.getByRole('button', { name: 'Run' }).click();
}

test('a command runs in the sandbox with colours, live output and exit 0', async ({
  app,
  host,
}) => {
  const terminal = await openTerminal(app, host.workspace);
  const command = "printf '\\033[32mgreen\\033[0m\\n'; echo done";
  await run(app, command);

  await expect(terminal.getByRole('tab', { name: /printf/ })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(terminal.getByRole('status', { name: 'Run status' })).toHaveText('Exit 0');
  await expect(terminal.getByLabel('Duration')).toHaveText(/\d+(\.\d)? m?s/);
  // The sandbox state of the run is always shown (a trusted folder with no config: workspace
  // write, allow-listed hosts only).
  await expect(terminal.getByText('Sandboxed: workspace write')).toBeVisible();
  await expect(terminal.getByText(/network allow-listed hosts only \(none listed\)/)).toBeVisible();
  const output = terminal.getByRole('group', { name: `Output of ${command}` });
  await expect(output.locator('.xterm-rows')).toContainText('green');
  await expect(output.locator('.xterm-rows')).toContainText('done');
  // A real terminal: SGR 32 is drawn in the theme's green, not the default foreground.
  const green = output.locator('.xterm-rows span', { hasText: 'green' }).first();
  await expect(green).toHaveCSS('color', 'rgb(47, 138, 76)');
  // The command box is ready for the next one.
  await expect(terminal.getByRole('textbox', { name: 'Command' })).toHaveValue('');
});

test('a command runs in a pseudo-terminal as wide as the panel', async ({ app, host }) => {
  const terminal = await openTerminal(app, host.workspace);
  await run(app, 'stty size');
  await expect(terminal.getByRole('status', { name: 'Run status' })).toHaveText('Exit 0');
  const view = terminal.getByRole('group', { name: 'Output of stty size' });
  const cols = Number(await view.getAttribute('data-cols'));
  const text = await view.locator('.xterm-rows').innerText();
  const [ptyRows, ptyCols] = (/(\d+) (\d+)/.exec(text) ?? []).slice(1).map(Number);
  // Not the 80x24 default: the panel's own size when the run started.
  expect(ptyCols).toBe(cols);
  expect(cols).toBeLessThan(80);
  expect(ptyRows).toBeGreaterThan(24);
});

test('a long-running command is cancelled from its tab', async ({ app, host }) => {
  const terminal = await openTerminal(app, host.workspace);
  await run(app, 'echo started; sleep 60');
  await expect(terminal.getByRole('status', { name: 'Run status' })).toHaveText('Running');
  await expect(terminal.locator('.xterm-rows')).toContainText('started');
  await terminal.getByRole('button', { name: 'Cancel echo started; sleep 60' }).click();
  await expect(terminal.getByRole('status', { name: 'Run status' })).toHaveText(/^Cancelled/);
  await expect(terminal.getByRole('button', { name: /^Cancel / })).toHaveCount(0);

  // A second run gets its own tab; the first keeps its status and output.
  await run(app, 'echo second');
  await expect(terminal.getByRole('tab')).toHaveCount(2);
  await expect(terminal.getByRole('status', { name: 'Run status' })).toHaveText('Exit 0');
  await terminal.getByRole('tab', { name: /sleep 60/ }).click();
  await expect(terminal.getByRole('status', { name: 'Run status' })).toHaveText(/^Cancelled/);
  await expect(terminal.locator('.xterm-rows')).toContainText('started');
  await expect(terminal.locator('.xterm-rows')).not.toContainText('second');
});

test('a command the policy denies is refused with the reason and never runs', async ({
  app,
  host,
}) => {
  await writeFile(join(host.workspace, 'vtcode.toml'), '[commands]\ndeny_glob = ["rm *"]\n');
  await writeFile(join(host.workspace, 'keep.txt'), 'precious\n');
  const terminal = await openTerminal(app, host.workspace);
  await run(app, 'rm keep.txt');
  const alert = terminal.getByRole('alert');
  await expect(alert).toContainText('Not run');
  await expect(alert).toContainText('rm keep.txt');
  await expect(alert).toContainText(/Refused by policy.*rm \*/);
  await expect(terminal.getByRole('tab')).toHaveCount(0);
  // The file is still there: list it with a command the policy allows.
  await run(app, 'cat keep.txt');
  await expect(terminal.locator('.xterm-rows')).toContainText('precious');
  await expect(terminal.getByRole('alert')).toHaveCount(0);
});

test('a run without the sandbox is labelled Unsandboxed in red', async ({ app, host }) => {
  // Only the user's own config can turn the sandbox off (a workspace file cannot loosen it).
  const userConfig = join(host.home, '.config', 'vtcode-desktop');
  await mkdir(userConfig, { recursive: true });
  await writeFile(
    join(userConfig, 'vtcode.toml'),
    '[sandbox]\ndefault_policy = "danger_full_access"\n',
  );
  const terminal = await openTerminal(app, host.workspace);
  await run(app, 'echo free');
  await expect(terminal.getByRole('status', { name: 'Run status' })).toHaveText('Exit 0');
  const label = terminal.getByText('Unsandboxed', { exact: true });
  await expect(label).toBeVisible();
  await expect(label).toHaveCSS('background-color', 'rgb(200, 50, 43)');
  await expect(terminal).toContainText('full access to files and network');
});

test('each sandbox violation is listed beside the output', async ({ app, host }) => {
  const terminal = await openTerminal(app, host.workspace);
  // No retry: the runner waits for the sandbox's proxy bridge before the command starts.
  await run(app, 'touch ../outside.txt; curl -sS -m 5 http://example.com/; true');
  await expect(terminal.getByRole('status', { name: 'Run status' })).toHaveText('Exit 0', {
    timeout: 20_000,
  });
  const violations = terminal.getByRole('list', { name: 'Sandbox violations' });
  await expect(violations).toContainText('outside.txt');
  await expect(violations).toContainText('example.com:80');
  // The runner also writes a line into the output itself.
  await expect(terminal.locator('.xterm-rows')).toContainText('[sandbox] blocked');
});

test('output past the scrollback limit is reported as truncated', async ({ app, host }) => {
  await writeFile(join(host.workspace, 'vtcode.toml'), '[pty]\nmax_scrollback_bytes = 4096\n');
  const terminal = await openTerminal(app, host.workspace);
  await run(app, 'seq 1 20000');
  await expect(terminal.getByRole('status', { name: 'Run status' })).toHaveText('Exit 0');
  await expect(terminal.getByRole('note')).toContainText(/Output truncated: .* dropped/);
  // The live terminal still got the end of the output.
  await expect(terminal.locator('.xterm-rows')).toContainText('20000');
});

test('a running command follows the terminal when the window is resized', async ({ app, host }) => {
  const terminal = await openTerminal(app, host.workspace);
  await run(app, 'sleep 2; stty size');
  await expect(terminal.getByRole('status', { name: 'Run status' })).toHaveText('Running');
  await app.setViewportSize({ width: 1100, height: 700 });
  const view = terminal.locator('.xterm-host');
  await expect(async () => {
    const [cols, rows] = await Promise.all([
      view.getAttribute('data-cols'),
      view.getAttribute('data-rows'),
    ]);
    await expect(terminal.locator('.xterm-rows')).toContainText(`${rows} ${cols}`, {
      timeout: 500,
    });
  }).toPass({ timeout: 15_000 });
});
