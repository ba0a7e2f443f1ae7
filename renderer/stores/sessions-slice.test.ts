import { describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand';
import type { SessionSummary } from '../../shared/domain/agent';
import { BridgeError } from '../../shared/ipc/errors';
import { fakeBridge } from '../test-support/fake-bridge';
import { createConversationSlice } from './conversation-slice';
import type { RootState } from './root-store';
import {
  createSessionsSlice,
  filterSessions,
  SEARCH_DEBOUNCE_MS,
  SEARCH_LIMIT,
  selectSessionList,
} from './sessions-slice';

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

  it('exports: a page downloads the file and is told its name; the app saves where asked', async () => {
    let fail = false;
    const { bridge, store } = setup({
      'agent:list-sessions': () => [summary('s-aaaaaa', 'Fix the build')],
      'agent:export-session': (r) => {
        if (fail) throw new BridgeError('not-found', 'gone');
        return (r as { to: string }).to === 'file'
          ? {
              kind: 'saved',
              path: '/home/me/Downloads/Fix-the-build.md',
              fileName: 'Fix-the-build.md',
            }
          : { kind: 'markdown', markdown: '# Fix the build\n', fileName: 'Fix-the-build.md' };
      },
    });
    await store.getState().loadSessions();
    const downloads: string[][] = [];
    const download = (md: string, name: string) => downloads.push([md, name]);
    expect(await store.getState().exportSession('s-aaaaaa', download)).toMatchObject({
      kind: 'markdown',
    });
    expect(downloads).toEqual([['# Fix the build\n', 'Fix-the-build.md']]);
    expect(store.getState().sessionsNotice).toBe(
      'Exported “Fix the build” as Fix-the-build.md (Markdown), into this browser’s downloads folder.',
    );
    store.setState({ info: { host: 'electron' } } as Partial<RootState>);
    await store.getState().exportSession('s-aaaaaa', download);
    expect(bridge.calls.at(-1)?.request).toEqual({ sessionId: 's-aaaaaa', to: 'file' });
    expect(downloads).toHaveLength(1);
    expect(store.getState().sessionsNotice).toBe(
      'Exported “Fix the build” as Markdown to /home/me/Downloads/Fix-the-build.md.',
    );
    fail = true;
    expect(await store.getState().exportSession('s-aaaaaa', download)).toBeNull();
    expect(store.getState().sessionsError).toBe('gone');
    expect(store.getState().sessionsNotice).toBeNull();
  });

  it('searches the host once typing pauses, and keeps only the latest answer', async () => {
    vi.useFakeTimers();
    try {
      const hit = (query: string) => ({
        query,
        hits: [
          {
            session: summary('s-aaaaaa', 'Fix the build'),
            matches: [{ where: 'user', label: '', before: 'use ', match: query, after: ' here' }],
            more: 0,
          },
        ],
        truncated: false,
        unreadable: 0,
        superseded: false,
      });
      const { bridge, store } = setup({
        'agent:search-sessions': (r) => hit((r as { query: string }).query),
      });
      for (const text of ['z', 'zo', 'zod', ' zod ']) store.getState().setSessionFilter(text);
      expect(store.getState().sessionSearch).toEqual({ state: 'searching', query: 'zod' });
      await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS + 10);
      const searches = bridge.calls.filter((c) => c.channel === 'agent:search-sessions');
      expect(searches.map((c) => c.request)).toEqual([{ query: 'zod', limit: SEARCH_LIMIT }]);
      expect(store.getState().sessionSearch).toEqual({ state: 'ready', result: hit('zod') });
      store.getState().setSessionFilter('  ');
      await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS + 10);
      expect(store.getState().sessionSearch).toEqual({ state: 'idle' });
      expect(bridge.calls.filter((c) => c.channel === 'agent:search-sessions')).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops a search answer overtaken by newer typing', async () => {
    const answers: ((v: unknown) => void)[] = [];
    const { store } = setup({
      'agent:search-sessions': () => new Promise((r) => answers.push(r)),
    });
    store.setState({ sessionFilter: 'old' });
    const first = store.getState().runSessionSearch();
    store.setState({ sessionFilter: 'new' });
    const second = store.getState().runSessionSearch();
    const result = (query: string) => ({
      query,
      hits: [],
      truncated: false,
      unreadable: 0,
      superseded: false,
    });
    answers[1]!(result('new'));
    await second;
    answers[0]!(result('old'));
    await first;
    expect(store.getState().sessionSearch).toEqual({ state: 'ready', result: result('new') });
  });

  it('lists a session the host just wrote first, and shows its new title', async () => {
    const { store } = setup({
      'agent:list-sessions': () => [summary('s-aaaaaa', 'Older')],
      'agent:start-session': () => ({
        session: { ...summary('s-bbbbbb', 'New session'), turns: 0 },
        events: [],
        warnings: [],
      }),
    });
    await store.getState().loadSessions();
    await store.getState().startSession();
    store.getState().noteSessionWritten(summary('s-bbbbbb', 'Fix the login form'));
    expect(selectSessionList(store.getState()).map((s) => s.title)).toEqual([
      'Fix the login form',
      'Older',
    ]);
    expect(store.getState().activeSession?.title).toBe('Fix the login form');
  });

  it('filters by title, ignoring case and surrounding spaces', () => {
    const list = [summary('s-aaaaaa', 'Fix the Build'), summary('s-bbbbbb', 'Add tests')];
    expect(filterSessions(list, ' build ').map((s) => s.id)).toEqual(['s-aaaaaa']);
    expect(filterSessions(list, '')).toBe(list);
    expect(filterSessions(list, 'nothing')).toEqual([]);
  });
});
