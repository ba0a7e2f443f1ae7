import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { startHost, type RunningHost } from '../host';

let host: RunningHost;
test.beforeEach(async () => {
  host = await startHost();
});
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    await testInfo.attach('host.log', { body: host.log(), contentType: 'text/plain' });
  }
  await host.stop();
});

test('without the token the page says the host refused it', async ({ page }) => {
  await page.goto(host.origin);
  await expect(page.getByRole('alert')).toContainText('access token is missing or wrong');
  await page.screenshot({ path: test.info().outputPath('no-token.png') });
});

test('a wrong token is refused', async ({ page }) => {
  await page.goto(`${host.origin}/#token=${'A'.repeat(43)}`);
  await expect(page.getByRole('alert')).toContainText('access token is missing or wrong');
});

test('a page from another origin cannot use the bridge, even with the token', async ({ page }) => {
  const foreign: Server = createServer((_req, res) =>
    res.end('<!doctype html><title>evil</title>'),
  );
  await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', r));
  try {
    await page.goto(`http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`);
    const outcome = await page.evaluate(
      ({ port, token }) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/bridge?token=${token}`);
          ws.onopen = () => resolve('open');
          ws.onclose = () => resolve('refused');
        }),
      { port: new URL(host.origin).port, token: host.token },
    );
    expect(outcome).toBe('refused');
    expect(host.log()).not.toContain('bridge client connected');
  } finally {
    foreign.close();
  }
});

test('malformed payloads from the app origin get clear errors', async ({ page }) => {
  await page.goto(host.url);
  const replies = await page.evaluate(
    ({ token }) =>
      new Promise<unknown[]>((resolve) => {
        const ws = new WebSocket(`ws://${location.host}/bridge?token=${token}`);
        const got: unknown[] = [];
        ws.onmessage = (m) => {
          got.push(JSON.parse(String(m.data)));
          if (got.length === 3) resolve(got);
        };
        ws.onopen = () => {
          ws.send('not json');
          ws.send(
            JSON.stringify({
              type: 'invoke',
              id: 1,
              channel: 'workspace:open',
              payload: { path: 42 },
            }),
          );
          ws.send(JSON.stringify({ type: 'invoke', id: 2, channel: 'shell:exec', payload: {} }));
        };
      }),
    { token: host.token },
  );
  expect(replies).toEqual([
    { type: 'error', message: 'Malformed frame: not JSON.' },
    {
      type: 'result',
      id: 1,
      result: {
        ok: false,
        error: {
          code: 'invalid-argument',
          message: expect.stringContaining('Invalid request for workspace:open') as unknown,
        },
      },
    },
    {
      type: 'result',
      id: 2,
      result: {
        ok: false,
        error: { code: 'unknown-channel', message: 'Unknown bridge channel: shell:exec' },
      },
    },
  ]);
});
