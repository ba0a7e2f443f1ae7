import { createServer, type Server, type Socket } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { busSocketPath, probeSessionBus } from './bus-probe';

describe('busSocketPath', () => {
  it.each([
    ['unix:path=/run/user/1000/bus', '/run/user/1000/bus'],
    ['unix:path=/tmp/dbus-x,guid=0123abcd', '/tmp/dbus-x'],
    ['unix:abstract=/tmp/dbus-Abc,guid=1', '\0/tmp/dbus-Abc'],
    ['tcp:host=localhost,port=1234;unix:path=/tmp/b', '/tmp/b'],
    ['unix:path=/tmp/with%20space', '/tmp/with space'],
    ['tcp:host=localhost,port=1234', null],
    ['launchd:env=DBUS_LAUNCHD_SESSION_BUS_SOCKET', null],
    ['garbage', null],
  ])('%s -> %j', (address, path) => {
    expect(busSocketPath(address)).toBe(path);
  });
});

async function listen(
  handler: (connection: Socket) => void,
): Promise<{ server: Server; path: string }> {
  const path = join(await mkdtemp(join(tmpdir(), 'bus-')), 'bus');
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { server, path };
}

describe('probeSessionBus', () => {
  it('passes a bus that answers the AUTH line', async () => {
    const { server, path } = await listen((c) =>
      c.on('data', () => c.write('REJECTED EXTERNAL\r\n')),
    );
    await expect(
      probeSessionBus({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${path}` }, 1000),
    ).resolves.toBeUndefined();
    server.close();
  });

  it('fails a bus that accepts and stays silent, within the timeout', async () => {
    const { server, path } = await listen((c) => c.on('data', () => undefined));
    const started = Date.now();
    await expect(
      probeSessionBus({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${path}` }, 300),
    ).rejects.toMatchObject({
      problem: 'timeout',
      message: expect.stringMatching(/did not answer within 0.3s/) as unknown,
    });
    expect(Date.now() - started).toBeLessThan(2000);
    server.close();
  });

  it('leaves an absent bus or an unprobeable address to libsecret', async () => {
    await expect(
      probeSessionBus({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }, 300),
    ).resolves.toBeUndefined();
    await expect(probeSessionBus({}, 300)).resolves.toBeUndefined();
    await expect(
      probeSessionBus({ DBUS_SESSION_BUS_ADDRESS: 'tcp:host=x,port=1' }, 300),
    ).resolves.toBeUndefined();
  });
});
