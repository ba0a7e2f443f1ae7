import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand';
import type { SessionSummary } from '../../shared/domain/agent';
import { BridgeError } from '../../shared/ipc/errors';
import { fakeBridge } from '../test-support/fake-bridge';
import { createConversationSlice } from './conversation-slice';
import type { RootState } from './root-store';
import { createSessionsSlice, filterSessions, selectSessionList } from './sessions-slice';

const at = '2025-01-01T00:00:00.000Z';
const summary = (id: string, title: string): SessionSummary => ({
  id,
  title,
  workspace: '/w',
  createdAt: at,
  updatedAt: at,
  provider: null,
  model: null,
  turns: 1,
});

function setup(handlers: Parameters<typeof fakeBridge>[0], workspace: unknown = { path: '/w' }) {
  const bridge = fakeBridge(handlers);
  const store = createStore<RootState>()(
    (...a) =>
      ({
        workspace,
        ...createSessionsSlice(bridge.api)(...a),
        ...createConversationSlice(bridge.api, { schedule: () => {} })(...a),
      }) as unknown as RootState,
  );
  return { bridge, store };
}

describe('sessions slice', () => {
  it('lists the workspace’s sessions, and nothing without a workspace', async () => {
    const list = [summary('s-aaaaaa', 'Fix the build'), summary('s-bbbbbb', 'Add tests')];
    const { store } = setup({ 'agent:list-sessions': () => list });
    await store.getState().loadSessions();
    expect(selectSessionList(store.getState())).toEqual(list);

    const none = setup({ 'agent:list-sessions': () => list }, null);
    await none.store.getState().loadSessions();
    expect(none.store.getState().sessions).toEqual({ state: 'idle' });
    expect(none.bridge.calls).toEqual([]);
  });

  it('says why the list could not be read', async () => {
    const { store } = setup({
      'agent:list-sessions': () => {
        throw new BridgeError('internal', 'sessions folder unreadable');
      },
    });
    await store.getState().loadSessions();
    expect(store.getState().sessions).toEqual({
      state: 'error',
      message: 'sessions folder unreadable',
    });
  });

  it('renames in the list and in the open session; refuses an empty title without asking', async () => {
    const { bridge, store } = setup({
      'agent:list-sessions': () => [summary('s-aaaaaa', 'Old')],
      'agent:resume-session': () => ({
        session: summary('s-aaaaaa', 'Old'),
        events: [],
        warnings: [],
      }),
      'agent:rename-session': (req) => summary('s-aaaaaa', (req as { title: string }).title),
    });
    await store.getState().resumeSession('s-aaaaaa');
    expect(await store.getState().renameSession('s-aaaaaa', '  New title ')).toBe(true);
    expect(bridge.calls.at(-1)).toEqual({
      channel: 'agent:rename-session',
      request: { sessionId: 's-aaaaaa', title: 'New title' },
    });
    expect(selectSessionList(store.getState())[0]?.title).toBe('New title');
    expect(store.getState().activeSession?.title).toBe('New title');
    const calls = bridge.calls.length;
    expect(await store.getState().renameSession('s-aaaaaa', '   ')).toBe(false);
    expect(bridge.calls.length).toBe(calls);
    expect(store.getState().sessionsError).toBe('A session needs a title.');
  });

  it('deletes a session and closes it when it was open', async () => {
    const { store } = setup({
      'agent:list-sessions': () => [summary('s-aaaaaa', 'One'), summary('s-bbbbbb', 'Two')],
      'agent:resume-session': () => ({
        session: summary('s-aaaaaa', 'One'),
        events: [],
        warnings: [],
      }),
      'agent:delete-session': () => null,
    });
    await store.getState().resumeSession('s-aaaaaa');
    await store.getState().loadSessions();
    expect(await store.getState().deleteSession('s-aaaaaa')).toBe(true);
    expect(selectSessionList(store.getState()).map((s) => s.id)).toEqual(['s-bbbbbb']);
    expect(store.getState().activeSession).toBeNull();
  });

  it('keeps a session the host would not delete and says why', async () => {
    const { store } = setup({
      'agent:list-sessions': () => [summary('s-aaaaaa', 'One')],
      'agent:delete-session': () => {
        throw new BridgeError('conflict', 'Stop the session before deleting it.');
      },
    });
    await store.getState().loadSessions();
    expect(await store.getState().deleteSession('s-aaaaaa')).toBe(false);
    expect(selectSessionList(store.getState())).toHaveLength(1);
    expect(store.getState().sessionsError).toBe('Stop the session before deleting it.');
  });

  it('exports Markdown, or null with the reason', async () => {
    let fail = false;
    const { store } = setup({
      'agent:export-session': () => {
        if (fail) throw new BridgeError('not-found', 'gone');
        return { markdown: '# One\n' };
      },
    });
    expect(await store.getState().exportSession('s-aaaaaa')).toBe('# One\n');
    fail = true;
    expect(await store.getState().exportSession('s-aaaaaa')).toBeNull();
    expect(store.getState().sessionsError).toBe('gone');
  });

  it('filters by title, ignoring case and surrounding spaces', () => {
    const list = [summary('s-aaaaaa', 'Fix the Build'), summary('s-bbbbbb', 'Add tests')];
    expect(filterSessions(list, ' build ').map((s) => s.id)).toEqual(['s-aaaaaa']);
    expect(filterSessions(list, '')).toBe(list);
    expect(filterSessions(list, 'nothing')).toEqual([]);
  });
});
