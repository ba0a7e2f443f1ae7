import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand';
import type { McpList, McpServerView } from '../../shared/domain/mcp';
import type { InvokeChannel } from '../../shared/ipc/contract';
import { BridgeError } from '../../shared/ipc/errors';
import { fakeBridge } from '../test-support/fake-bridge';
import { EMPTY_MCP_DRAFT } from './mcp-draft';
import { createMcpSlice, selectMcpServer } from './mcp-slice';
import type { RootState } from './root-store';

const SECRET = 'sk-mcp-rendererNeverKeeps-0123456789';

const server = (over: Partial<McpServerView> = {}): McpServerView => ({
  name: 'files',
  transport: 'stdio',
  command: 'node',
  args: ['server.mjs'],
  cwd: null,
  url: null,
  envNames: [],
  secrets: [],
  commandLine: 'node server.mjs',
  source: { layer: 'user', file: '/home/me/.config/vtcode/vtcode.toml' },
  enabled: true,
  network: false,
  writable: [],
  status: 'stopped',
  lastError: null,
  startedAt: null,
  tools: [],
  ...over,
});
const list = (...servers: McpServerView[]): McpList => ({ enabled: true, servers, issues: [] });

function setup(handlers: Parameters<typeof fakeBridge>[0]) {
  const bridge = fakeBridge(handlers);
  const store = createStore<RootState>()((...a) => createMcpSlice(bridge.api)(...a) as RootState);
  return { bridge, store };
}

/** A reply the test releases when it wants, to order it against events. */
function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('mcp slice', () => {
  it('loads the list, then follows mcp:changed', async () => {
    const { bridge, store } = setup({ 'mcp:list': () => list(server()) });
    const stop = store.getState().subscribeMcp();
    await store.getState().loadMcp();
    expect(selectMcpServer('files')(store.getState())?.status).toBe('stopped');
    bridge.emit('mcp:changed', list(server({ status: 'running' })));
    expect(selectMcpServer('files')(store.getState())?.status).toBe('running');
    stop();
    expect(bridge.listenerCount('mcp:changed')).toBe(0);
  });

  it('says why the list could not be read', async () => {
    const { store } = setup({
      'mcp:list': () => {
        throw new BridgeError('internal', 'config unreadable');
      },
    });
    await store.getState().loadMcp();
    expect(store.getState().mcp).toEqual({ state: 'error', message: 'config unreadable' });
  });

  it('drops a list reply older than an event that came meanwhile', async () => {
    const reply = deferred<McpList>();
    const { bridge, store } = setup({ 'mcp:list': () => reply.promise });
    store.getState().subscribeMcp();
    const loading = store.getState().loadMcp();
    bridge.emit('mcp:changed', list(server({ status: 'running' })));
    reply.resolve(list(server({ status: 'starting' })));
    await loading;
    expect(selectMcpServer('files')(store.getState())?.status).toBe('running');
  });

  it.each<[string, (s: RootState) => Promise<unknown>, InvokeChannel, unknown, string]>([
    ['start', (s) => s.startMcpServer('files'), 'mcp:start', { name: 'files' }, 'starting'],
    ['stop', (s) => s.stopMcpServer('files'), 'mcp:stop', { name: 'files' }, 'stopping'],
    ['restart', (s) => s.restartMcpServer('files'), 'mcp:restart', { name: 'files' }, 'restarting'],
    ['remove', (s) => s.removeMcpServer('files'), 'mcp:remove', { name: 'files' }, 'removing'],
    [
      'disable',
      (s) => s.setMcpEnabled('files', false),
      'mcp:set-enabled',
      { name: 'files', enabled: false },
      'disabling',
    ],
    [
      'approve',
      (s) => s.approveMcpServer('files', 'node server.mjs'),
      'mcp:approve',
      { name: 'files', commandLine: 'node server.mjs' },
      'approving',
    ],
    [
      'delete a secret',
      (s) => s.deleteMcpSecret('files', 'API_KEY'),
      'mcp:delete-secret',
      { server: 'files', name: 'API_KEY' },
      'deleting secret',
    ],
  ])(
    '%s: busy beside the server, then the list main returns',
    async (_, run, channel, request, action) => {
      const reply = deferred<unknown>();
      const { bridge, store } = setup({ [channel]: () => reply.promise });
      const pending = run(store.getState());
      expect(store.getState().mcpNotes.files).toEqual({ kind: 'busy', action });
      reply.resolve({ ok: true, list: list(server({ status: 'running', name: 'files' })) });
      await pending;
      expect(bridge.calls).toEqual([{ channel, request }]);
      expect(store.getState().mcpNotes.files).toBeUndefined();
      expect(selectMcpServer('files')(store.getState())?.status).toBe('running');
    },
  );

  it('shows a refusal next to that server only, and keeps the list', async () => {
    const { store } = setup({
      'mcp:list': () => list(server(), server({ name: 'web' })),
      'mcp:start': () => ({ ok: false, error: 'node: not found on PATH' }),
    });
    await store.getState().loadMcp();
    await store.getState().startMcpServer('files');
    expect(store.getState().mcpNotes).toEqual({
      files: { kind: 'error', message: 'node: not found on PATH' },
    });
    expect(store.getState().mcp.state).toBe('loaded');
    // The next action that works clears it.
    const { store: again } = setup({ 'mcp:stop': () => ({ ok: true, list: list(server()) }) });
    again.setState({ mcpNotes: store.getState().mcpNotes });
    await again.getState().stopMcpServer('files');
    expect(again.getState().mcpNotes.files).toBeUndefined();
  });

  it('shows a bridge error (a malformed call) beside the server', async () => {
    const { store } = setup({
      'mcp:restart': () => {
        throw new BridgeError('invalid-argument', 'name: a server name is 1-32 letters');
      },
    });
    await store.getState().restartMcpServer('files');
    expect(store.getState().mcpNotes.files).toEqual({
      kind: 'error',
      message: 'name: a server name is 1-32 letters',
    });
  });

  it('adds a server from a draft; main’s refusal is the Add form’s note', async () => {
    let refuse = true;
    const { bridge, store } = setup({
      'mcp:add': () =>
        refuse
          ? { ok: false, error: 'a server named files exists' }
          : { ok: true, list: list(server()) },
    });
    const draft = { ...EMPTY_MCP_DRAFT, name: 'files', program: 'node', args: 'server.mjs' };
    expect(await store.getState().addMcpServer(draft)).toEqual({});
    expect(store.getState().mcpNotes['']).toEqual({
      kind: 'error',
      message: 'a server named files exists',
    });
    refuse = false;
    expect(await store.getState().addMcpServer(draft)).toBeNull();
    expect(store.getState().mcpNotes['']).toBeUndefined();
    expect(bridge.calls.at(-1)).toEqual({
      channel: 'mcp:add',
      request: { name: 'files', command: 'node', args: ['server.mjs'], network: false },
    });
    expect(selectMcpServer('files')(store.getState())).toBeDefined();
  });

  it('does not send a draft that main would refuse', async () => {
    const { bridge, store } = setup({});
    const errors = await store.getState().addMcpServer({ ...EMPTY_MCP_DRAFT, name: 'a__b' });
    expect(Object.keys(errors ?? {}).sort()).toEqual(['name', 'program']);
    expect(bridge.calls).toEqual([]);
  });

  it('hands a secret to main and keeps no copy; a bad name is never sent', async () => {
    const { bridge, store } = setup({
      'mcp:set-secret': () => ({ ok: true, list: list(server({ secrets: ['API_KEY'] })) }),
    });
    expect(await store.getState().setMcpSecret('files', 'API KEY', SECRET)).toBe(false);
    expect(store.getState().mcpNotes.files).toMatchObject({ kind: 'error' });
    expect(await store.getState().setMcpSecret('files', 'API_KEY', '')).toBe(false);
    expect(bridge.calls).toEqual([]);
    expect(await store.getState().setMcpSecret('files', ' API_KEY ', SECRET)).toBe(true);
    expect(bridge.calls).toEqual([
      { channel: 'mcp:set-secret', request: { server: 'files', name: 'API_KEY', value: SECRET } },
    ]);
    expect(selectMcpServer('files')(store.getState())?.secrets).toEqual(['API_KEY']);
    expect(JSON.stringify(store.getState())).not.toContain(SECRET);
  });

  it('loads stderr on demand, reloads it, and hides it', async () => {
    let lines = ['listening'];
    const { bridge, store } = setup({ 'mcp:stderr': () => ({ lines }) });
    expect(store.getState().mcpLogs.files).toBeUndefined();
    const loading = store.getState().loadMcpLog('files');
    expect(store.getState().mcpLogs.files).toEqual({ state: 'loading' });
    await loading;
    expect(store.getState().mcpLogs.files).toEqual({ state: 'loaded', lines: ['listening'] });
    lines = ['listening', 'crashed'];
    const again = store.getState().loadMcpLog('files');
    // A reload keeps the lines on screen until the new ones come.
    expect(store.getState().mcpLogs.files).toMatchObject({ state: 'loaded' });
    await again;
    expect(store.getState().mcpLogs.files).toEqual({
      state: 'loaded',
      lines: ['listening', 'crashed'],
    });
    store.getState().hideMcpLog('files');
    expect(store.getState().mcpLogs.files).toBeUndefined();
    expect(bridge.calls.map((c) => c.request)).toEqual([{ name: 'files' }, { name: 'files' }]);
  });

  it('a log hidden while it loads stays hidden; a failed read says why', async () => {
    const reply = deferred<{ lines: string[] }>();
    const { store } = setup({ 'mcp:stderr': () => reply.promise });
    const loading = store.getState().loadMcpLog('files');
    store.getState().hideMcpLog('files');
    reply.resolve({ lines: ['x'] });
    await loading;
    expect(store.getState().mcpLogs.files).toBeUndefined();

    const { store: failing } = setup({
      'mcp:stderr': () => {
        throw new BridgeError('not-found', 'no server named files');
      },
    });
    await failing.getState().loadMcpLog('files');
    expect(failing.getState().mcpLogs.files).toEqual({
      state: 'error',
      message: 'no server named files',
    });
  });
});
