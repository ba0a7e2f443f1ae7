import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand';
import type { ActivityRecord } from '../../shared/domain/activity';
import type { ActivityPage, ReadActivity } from '../../shared/domain/activity-query';
import type { PolicySnapshot } from '../../shared/domain/policy';
import { BridgeError } from '../../shared/ipc/errors';
import { fakeBridge } from '../test-support/fake-bridge';
import { ACTIVITY_DEBOUNCE_MS, ACTIVITY_PAGE, createActivitySlice } from './activity-slice';
import { createAppSlice } from './app-slice';
import { createPolicySlice } from './policy-slice';
import type { RootState } from './root-store';

const ws = { layer: 'workspace', file: '/w/vtcode.toml' } as const;

function record(id: string, over: Partial<ActivityRecord> = {}): ActivityRecord {
  return {
    v: 1,
    id,
    at: '2026-11-30T10:00:00.000Z',
    sessionId: 's-aaaaaa',
    turnId: 't-1',
    callId: `c-${id}`,
    kind: 'call',
    tool: 'exec_command',
    subject: 'npm test',
    subjects: [{ kind: 'command', command: 'npm test' }],
    policy: { decision: 'prompt', reason: 'asks', rule: null },
    decision: 'prompt',
    by: {
      kind: 'rule',
      rule: { kind: 'human_in_the_loop', entry: 'true', section: 'security', source: ws },
    },
    reason: 'asks',
    parts: [],
    paths: [],
    ...over,
  };
}

const read = (r: ActivityRecord, sealed = true): ReadActivity => ({ record: r, sealed });

function page(records: ReadActivity[], over: Partial<ActivityPage> = {}): ActivityPage {
  return {
    records,
    total: records.length,
    counts: { allow: 0, prompt: records.length, deny: 0 },
    more: false,
    sessions: {},
    logging: { enabled: true, allowed: true, denied: true, prompts: true },
    warnings: [],
    ...over,
  };
}

const snapshot = {
  tools: { defaultPolicy: 'prompt', matrix: [] },
  commands: [{ kind: 'allow_regex', entry: '^ls$', source: ws }],
  issues: [],
} as unknown as PolicySnapshot;

function setup(handlers: Parameters<typeof fakeBridge>[0], extra: Partial<RootState> = {}) {
  const bridge = fakeBridge(handlers);
  const store = createStore<RootState>()(
    (...a) =>
      ({
        ...createAppSlice(bridge.api)(...a),
        ...createPolicySlice(bridge.api)(...a),
        ...createActivitySlice(bridge.api)(...a),
        activeSession: null,
        conversation: { items: [] },
        ...extra,
      }) as unknown as RootState,
  );
  return { bridge, store };
}

const requests = (bridge: ReturnType<typeof fakeBridge>) =>
  bridge.calls.filter((c) => c.channel === 'policy:list-activity').map((c) => c.request);

afterEach(() => vi.useRealTimers());

describe('activity slice', () => {
  it('loads a page, reloads at once for a choice and after a pause for typing', async () => {
    vi.useFakeTimers();
    const { bridge, store } = setup({ 'policy:list-activity': () => page([read(record('a'))]) });
    await store.getState().loadActivity();
    expect(store.getState().activity).toMatchObject({ state: 'ready', page: { total: 1 } });
    store.getState().setActivityFilter({ decision: 'deny' });
    store.getState().setActivityFilter({ text: 'np' });
    store.getState().setActivityFilter({ text: 'npm ' });
    expect(requests(bridge)).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(ACTIVITY_DEBOUNCE_MS);
    expect(requests(bridge)).toEqual([
      { limit: ACTIVITY_PAGE },
      { decision: 'deny', limit: ACTIVITY_PAGE },
      { decision: 'deny', text: 'npm', limit: ACTIVITY_PAGE },
    ]);
    // An emptied box filters nothing.
    store.getState().setActivityFilter({ text: '  ', decision: undefined });
    await vi.advanceTimersByTimeAsync(ACTIVITY_DEBOUNCE_MS);
    expect(requests(bridge).at(-1)).toEqual({ limit: ACTIVITY_PAGE });
  });

  it('keeps only the latest answer, and says why a read failed', async () => {
    let release: (p: ActivityPage) => void = () => undefined;
    const list = vi
      .fn()
      .mockImplementationOnce(() => new Promise((r) => (release = r)))
      .mockImplementationOnce(() => page([read(record('new'))]))
      .mockImplementationOnce(() => {
        throw new BridgeError('unavailable', 'The activity log cannot be read: a symlink');
      });
    const { store } = setup({ 'policy:list-activity': list });
    const first = store.getState().loadActivity();
    await store.getState().loadActivity();
    release(page([read(record('old'))]));
    await first;
    const now = store.getState().activity;
    expect(now.state === 'ready' && now.page.records[0]?.record.id).toBe('new');
    await store.getState().loadActivity();
    expect(store.getState().activity).toEqual({
      state: 'error',
      message: 'The activity log cannot be read: a symlink',
    });
  });

  it('loads older records after the last one shown', async () => {
    const list = vi
      .fn()
      .mockImplementationOnce(() => page([read(record('b'))], { more: true, total: 2 }))
      .mockImplementationOnce(() =>
        page([read(record('a'))], { sessions: { 's-aaaaaa': 'Tests' } }),
      );
    const { bridge, store } = setup({ 'policy:list-activity': list });
    await store.getState().loadActivity();
    await store.getState().loadMoreActivity();
    const now = store.getState().activity;
    expect(now.state === 'ready' && now.page.records.map((r) => r.record.id)).toEqual(['b', 'a']);
    expect(now.state === 'ready' && [now.page.more, now.page.total]).toEqual([false, 2]);
    expect(now.state === 'ready' && now.page.sessions).toEqual({ 's-aaaaaa': 'Tests' });
    expect(requests(bridge).at(-1)).toEqual({ limit: ACTIVITY_PAGE, before: 'b' });
  });

  it('lists a record written live first when it matches the filters, once', async () => {
    const { store } = setup({ 'policy:list-activity': () => page([read(record('a'))]) });
    store.getState().activityAdded(read(record('early')));
    expect(store.getState().activity.state).toBe('idle');
    await store.getState().loadActivity();
    store.getState().activityAdded(read(record('b')));
    store.getState().activityAdded(read(record('b')));
    store.getState().setActivityFilter({ tool: 'write_file' });
    await store.getState().loadActivity();
    store.getState().activityAdded(read(record('c')));
    store.getState().activityAdded(read(record('d', { tool: 'write_file', decision: 'deny' })));
    const now = store.getState().activity;
    expect(now.state === 'ready' && now.page.records.map((r) => r.record.id)).toEqual(['d', 'a']);
    expect(now.state === 'ready' && now.page.counts.deny).toBe(1);
  });

  it('previews a rule and stages it as an unsaved edit of the file being edited', async () => {
    const preview = vi.fn(() => ({
      rules: [{ list: 'allow_regex', entry: '^npm test$', covers: 'exactly `npm test`' }],
      refusal: null,
    }));
    const { bridge, store } = setup({
      'policy:get': () => snapshot,
      'policy:preview-activity-rule': preview,
    });
    await store.getState().loadPolicy();
    store.getState().setPolicyView('activity');
    const r = record('a');
    await store.getState().previewActivityRule(r, 'npm test', 'exact');
    expect(store.getState().activityRulePreview).toMatchObject({ state: 'ready', recordId: 'a' });
    expect(store.getState().stageActivityRule()).toEqual(['^npm test$']);
    expect(store.getState().policyEdits).toEqual({
      'command-rules:allow_regex': {
        kind: 'command-rules',
        list: 'allow_regex',
        value: ['^ls$', '^npm test$'],
      },
    });
    expect(store.getState().policyView).toBe('rules');
    expect(store.getState().activityRulePreview).toEqual({ state: 'idle' });
    // Staged, never written: the person saves it from the Rules view.
    expect(bridge.calls.some((c) => c.channel === 'policy:save')).toBe(false);
    expect(preview).toHaveBeenCalledWith({ command: 'npm test', scope: 'exact' });
  });

  it('stages nothing when the preview refuses', async () => {
    const { store } = setup({
      'policy:get': () => snapshot,
      'policy:preview-activity-rule': () => ({
        rules: [],
        refusal: 'cannot always allow a command with a denied part',
      }),
    });
    await store.getState().loadPolicy();
    await store.getState().previewActivityRule(record('a'), 'rm -rf x', 'exact');
    expect(store.getState().stageActivityRule()).toBeNull();
    expect(store.getState().policyEdits).toEqual({});
  });

  it('opens the record’s session and points the conversation at the call', async () => {
    const items = [{ kind: 'tool', id: 'c-a' }];
    const resumeSession = vi.fn(() => {
      store.setState({ activeSession: { id: 's-bbbbbb' }, conversation: { items } } as never);
      return Promise.resolve(true);
    });
    const { store } = setup({}, { resumeSession });
    expect(await store.getState().showCallInConversation('s-bbbbbb', 'c-a')).toBe(true);
    expect(resumeSession).toHaveBeenCalledWith('s-bbbbbb');
    expect(store.getState().focusedCall).toMatchObject({ sessionId: 's-bbbbbb', callId: 'c-a' });
    // Already shown: not opened again; a call the conversation lacks is said so.
    expect(await store.getState().showCallInConversation('s-bbbbbb', 'c-gone')).toBe(false);
    expect(resumeSession).toHaveBeenCalledTimes(1);
    expect(store.getState().activityNotice).toMatch(/not in the session/);
  });
});
