import { trustForTests } from '../../workspace/trust-testing';
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../shared/domain/agent';
import {
  startScriptedProvider,
  type ScriptedProvider,
} from '../../agent/testing/scripted-provider';
import { createServices, type Services } from '../../core/services';
import { createCredentials } from '../../credentials/credentials';
import { createLogger } from '../../log/logger';
import { resolveAppPaths } from '../../platform/paths';
import {
  createRouter,
  disposeClient,
  newClientState,
  type BridgeClient,
  type Router,
} from '../router';
import { createHandlers } from './index';

interface TestClient extends BridgeClient {
  readonly agentEvents: AgentEvent[];
}

function client(id: string): TestClient {
  const agentEvents: AgentEvent[] = [];
  return {
    id,
    state: newClientState(),
    agentEvents,
    emit: (channel, payload) => {
      if (channel === 'agent:event') agentEvents.push((payload as { event: AgentEvent }).event);
    },
  };
}

let root: string;
let workspace: string;
let provider: ScriptedProvider;
let services: Services;
let router: Router;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'agent-bridge-'));
  workspace = join(root, 'home', 'project');
  await mkdir(workspace, { recursive: true });
  await writeFile(join(workspace, 'notes.txt'), 'draft\n');
  provider = await startScriptedProvider({ responses: [] });
  await writeFile(
    join(workspace, 'vtcode.toml'),
    `[agent]\nprovider = "openai"\ndefault_model = "gpt-test"\n\n[tools.policies]\nwrite_file = "prompt"\n`,
  );
  const env = {
    HOME: join(root, 'home'),
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    OPENAI_API_KEY: 'sk-bridge-test-0123456789abcdef',
  };
  trustForTests(env, workspace);
  const logger = createLogger({ level: 'error' });
  const memory = {
    get: () => Promise.resolve(null),
    set: () => Promise.resolve(),
    delete: () => Promise.resolve(false),
    findAll: () => Promise.resolve([]),
  };
  services = createServices({
    paths: resolveAppPaths(env, 'linux'),
    logger,
    env,
    host: { kind: 'browser', electronVersion: null },
    credentials: createCredentials({ env, backend: memory }),
  });
  router = createRouter(createHandlers(services), logger);
});

afterAll(async () => {
  await services.close();
  await provider.close();
});

async function ok<T>(c: BridgeClient, channel: string, payload: unknown): Promise<T> {
  const result = await router.dispatch(channel, payload, c);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

async function until<T>(find: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('agent channels', () => {
  it('run a turn that asks for approval; only the pending id main created is accepted', async () => {
    provider.setFixture({
      responses: [
        {
          kind: 'stream',
          parts: [
            { type: 'text', text: 'Writing it.' },
            {
              type: 'tool_call',
              name: 'write_file',
              arguments: { path: 'notes.txt', content: 'final\n' },
            },
          ],
        },
        { kind: 'stream', parts: [{ type: 'text', text: 'Done: notes.txt now says final.' }] },
      ],
    });
    const c = client('a');
    await ok(c, 'workspace:open', { path: workspace });
    const opened = await ok<{ session: { id: string } }>(c, 'agent:start-session', {
      baseUrl: provider.url,
      title: 'Edit notes',
    });
    const sessionId = opened.session.id;
    await ok(c, 'agent:send', { sessionId, prompt: 'Make the notes final' });

    const asked = await until(
      () =>
        c.agentEvents.find(
          (e): e is Extract<AgentEvent, { type: 'tool-call-awaiting-approval' }> =>
            e.type === 'tool-call-awaiting-approval',
        ),
      'an approval request',
    );
    expect(asked.subject).toContain('notes.txt');
    // An invented id, a malformed answer and a second turn are all refused.
    const invented = await router.dispatch(
      'agent:answer-approval',
      { approvalId: 'ap-invented-123456', answer: 'approve-once' },
      c,
    );
    expect(invented).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const malformed = await router.dispatch(
      'agent:answer-approval',
      { approvalId: asked.approvalId, answer: 'yes please' },
      c,
    );
    expect(malformed).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    const busy = await router.dispatch('agent:send', { sessionId, prompt: 'again' }, c);
    expect(busy).toMatchObject({ ok: false, error: { code: 'conflict' } });

    await ok(c, 'agent:answer-approval', { approvalId: asked.approvalId, answer: 'approve-once' });
    const finished = await until(
      () => c.agentEvents.find((e) => e.type === 'turn-finished'),
      'the end of the turn',
    );
    expect(finished).toMatchObject({ outcome: 'completed' });
    expect(await readFile(join(workspace, 'notes.txt'), 'utf8')).toBe('final\n');
    expect(c.agentEvents.some((e) => e.type === 'history')).toBe(false);

    // The change can be reverted from the bridge.
    const change = c.agentEvents.find((e) => e.type === 'file-changed');
    expect(change).toBeDefined();
    const reverted = await ok<{ paths: string[] }>(c, 'agent:revert', {
      sessionId,
      turnId: finished.turnId,
    });
    expect(reverted.paths).toHaveLength(1);
    expect(await readFile(join(workspace, 'notes.txt'), 'utf8')).toBe('draft\n');

    // Another window cannot answer or even see this session's turn.
    const other = client('b');
    await ok(other, 'workspace:open', { path: workspace });
    expect(await router.dispatch('agent:send', { sessionId, prompt: 'hi' }, other)).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });

    // The session is listed, resumable with its events, exportable.
    const sessions = await ok<{ id: string; title: string }[]>(other, 'agent:list-sessions', {});
    expect(sessions.map((s) => s.title)).toContain('Edit notes');
    const resumed = await ok<{ events: AgentEvent[] }>(other, 'agent:resume-session', {
      sessionId,
      baseUrl: provider.url,
    });
    expect(resumed.events.some((e) => e.type === 'text-delta')).toBe(true);
    expect(resumed.events.some((e) => e.type === 'history')).toBe(false);
    const exported = await ok<{ markdown: string }>(other, 'agent:export-session', { sessionId });
    expect(exported.markdown).toContain('Make the notes final');
    disposeClient(c.state);
    disposeClient(other.state);
  });

  it('deny with a reason the model sees', async () => {
    provider.setFixture({
      responses: [
        {
          kind: 'stream',
          parts: [
            {
              type: 'tool_call',
              name: 'write_file',
              arguments: { path: 'notes.txt', content: 'x' },
            },
          ],
        },
        { kind: 'stream', parts: [{ type: 'text', text: 'Understood, I will not.' }] },
      ],
    });
    const c = client('deny');
    await ok(c, 'workspace:open', { path: workspace });
    const { session } = await ok<{ session: { id: string } }>(c, 'agent:start-session', {
      baseUrl: provider.url,
    });
    await ok(c, 'agent:send', { sessionId: session.id, prompt: 'overwrite the notes' });
    const asked = await until(
      () =>
        c.agentEvents.find(
          (e): e is Extract<AgentEvent, { type: 'tool-call-awaiting-approval' }> =>
            e.type === 'tool-call-awaiting-approval',
        ),
      'an approval request',
    );
    await ok(c, 'agent:answer-approval', {
      approvalId: asked.approvalId,
      answer: 'deny',
      reason: 'keep my draft',
    });
    await until(() => c.agentEvents.find((e) => e.type === 'turn-finished'), 'the end of the turn');
    expect(JSON.stringify(provider.requests.at(-1))).toContain('keep my draft');
    expect(await readFile(join(workspace, 'notes.txt'), 'utf8')).toBe('draft\n');
    disposeClient(c.state);
  });

  it('a session whose provider has no key can still be read, and says why it cannot go on', async () => {
    provider.setFixture({
      responses: [{ kind: 'stream', parts: [{ type: 'text', text: 'Readable answer.' }] }],
    });
    const c = client('reader');
    await ok(c, 'workspace:open', { path: workspace });
    const { session } = await ok<{ session: { id: string } }>(c, 'agent:start-session', {
      baseUrl: provider.url,
      title: 'To read later',
    });
    await ok(c, 'agent:send', { sessionId: session.id, prompt: 'say something' });
    await until(() => c.agentEvents.find((e) => e.type === 'turn-finished'), 'the end of the turn');
    disposeClient(c.state);

    const later = client('later');
    await ok(later, 'workspace:open', { path: workspace });
    // No key for anthropic in this environment: the session opens for reading anyway.
    const opened = await ok<{ events: AgentEvent[]; warnings: string[] }>(
      later,
      'agent:resume-session',
      { sessionId: session.id, provider: 'anthropic', model: 'claude-test' },
    );
    expect(
      opened.events.some((e) => e.type === 'text-delta' && e.text.includes('Readable answer')),
    ).toBe(true);
    expect(opened.warnings.join(' ')).toMatch(/can be read but not continued/);
    const send = await router.dispatch(
      'agent:send',
      { sessionId: session.id, prompt: 'go on' },
      later,
    );
    expect(send).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: expect.stringMatching(/cannot go on/) as unknown },
    });
    disposeClient(later.state);
  });

  it('needs a workspace, and refuses unknown sessions', async () => {
    const c = client('none');
    expect(await router.dispatch('agent:list-sessions', {}, c)).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    await ok(c, 'workspace:open', { path: workspace });
    expect(
      await router.dispatch('agent:resume-session', { sessionId: 's-doesnotexist' }, c),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(
      await router.dispatch('agent:send', { sessionId: 'not-an-id', prompt: 'x' }, c),
    ).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    disposeClient(c.state);
  });

  it('a message goes only to the session the window shows; a failed New session shows none', async () => {
    provider.setFixture({
      responses: [
        { kind: 'stream', parts: [{ type: 'text', text: 'The flamingo answer.' }] },
        { kind: 'stream', parts: [{ type: 'text', text: 'Second session answer.' }] },
      ],
    });
    const c = client('shown');
    const events = () => c.agentEvents.filter((e) => e.type === 'turn-finished').length;
    await ok(c, 'workspace:open', { path: workspace });
    const before = await ok<{ id: string }[]>(c, 'agent:list-sessions', {});
    const { session: a } = await ok<{ session: { id: string } }>(c, 'agent:start-session', {
      baseUrl: provider.url,
    });
    const written = await ok<{ id: string; title: string; turns: number }>(c, 'agent:send', {
      sessionId: a.id,
      prompt: '  Why is the sky pink?\nLong details here',
    });
    // Written with its first message, and named after it.
    expect(written).toMatchObject({ id: a.id, title: 'Why is the sky pink?', turns: 1 });
    await until(() => (events() === 1 ? true : undefined), 'the first turn');

    // New session with a provider that has no key: refused, and the window shows no session.
    const failed = await router.dispatch(
      'agent:start-session',
      { provider: 'anthropic', model: 'claude-test' },
      c,
    );
    expect(failed).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    const late = await router.dispatch('agent:send', { sessionId: a.id, prompt: 'oops' }, c);
    expect(late).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/^Not sent/) as unknown },
    });
    const after = await ok<{ id: string; turns: number }[]>(c, 'agent:list-sessions', {});
    expect(after.find((s) => s.id === a.id)?.turns).toBe(1);

    // New session twice without a message: nothing is written or listed.
    const d1 = await ok<{ session: { id: string; title: string } }>(c, 'agent:start-session', {
      baseUrl: provider.url,
    });
    const d2 = await ok<{ session: { id: string } }>(c, 'agent:start-session', {
      baseUrl: provider.url,
    });
    expect(d1.session.title).toBe('New session');
    const listed = await ok<{ id: string }[]>(c, 'agent:list-sessions', {});
    expect(listed.map((s) => s.id).sort()).toEqual([...before.map((s) => s.id), a.id].sort());
    const onDisk = await readdir(join(workspace, '.vtcode', 'sessions'));
    expect(onDisk).not.toContain(d1.session.id);
    expect(onDisk).not.toContain(d2.session.id);
    // The first draft was dropped when the second started: a message for it is refused.
    expect(
      await router.dispatch('agent:send', { sessionId: d1.session.id, prompt: 'x' }, c),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });

    // Found by a word only its answer holds, with where it matched.
    const found = await ok<{
      hits: { session: { id: string }; matches: { where: string; match: string }[] }[];
    }>(c, 'agent:search-sessions', { query: 'FLAMINGO' });
    expect(found.hits.map((h) => h.session.id)).toEqual([a.id]);
    expect(found.hits[0]?.matches[0]).toMatchObject({ where: 'assistant', match: 'flamingo' });
    // Export: a page gets the Markdown; the desktop app saves where the person chose, or not.
    const reply = await ok<{ kind: string; fileName: string }>(c, 'agent:export-session', {
      sessionId: a.id,
      to: 'file',
    });
    expect(reply).toMatchObject({ kind: 'markdown', fileName: 'Why-is-the-sky-pink.md' });
    const saved: string[] = [];
    const host = services.host as { saveFile?: (n: string, c: string) => Promise<string | null> };
    host.saveFile = (name, content) => {
      saved.push(content);
      return Promise.resolve(saved.length === 1 ? `/chosen/${name}` : null);
    };
    try {
      expect(await ok(c, 'agent:export-session', { sessionId: a.id, to: 'file' })).toEqual({
        kind: 'saved',
        path: '/chosen/Why-is-the-sky-pink.md',
        fileName: 'Why-is-the-sky-pink.md',
      });
      expect(saved[0]).toMatch(/^# Why is the sky pink\?\n/);
      expect(await ok(c, 'agent:export-session', { sessionId: a.id, to: 'file' })).toEqual({
        kind: 'cancelled',
      });
    } finally {
      delete host.saveFile;
    }
    const malformed = await router.dispatch('agent:search-sessions', { query: '   ' }, c);
    expect(malformed).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    disposeClient(c.state);
  });

  it('session grants: kept in memory for that session, listed, revoked; never in the log', async () => {
    const write = {
      kind: 'stream' as const,
      parts: [
        {
          type: 'tool_call' as const,
          name: 'write_file',
          arguments: { path: 'granted.txt', content: 'x\n' },
        },
      ],
    };
    const done = { kind: 'stream' as const, parts: [{ type: 'text' as const, text: 'ok' }] };
    provider.setFixture({ responses: [write, done, write, done, write, done] });
    const c = client('grants');
    await ok(c, 'workspace:open', { path: workspace });
    const { session } = await ok<{ session: { id: string } }>(c, 'agent:start-session', {
      baseUrl: provider.url,
    });
    const sessionId = session.id;
    const asks = () => c.agentEvents.filter((e) => e.type === 'tool-call-awaiting-approval');
    const turns = () => c.agentEvents.filter((e) => e.type === 'turn-finished').length;
    await ok(c, 'agent:send', { sessionId, prompt: 'write it' });
    const asked = await until(() => asks()[0], 'an approval request');
    if (asked.type !== 'tool-call-awaiting-approval') throw new Error('not an approval');
    expect(asked.sessionGrant?.offers.map((o) => o.text)).toEqual(['write_file granted.txt']);
    await ok(c, 'agent:answer-approval', {
      approvalId: asked.approvalId,
      answer: 'approve-session',
      scope: 'exact',
    });
    await until(() => (turns() === 1 ? true : undefined), 'the first turn');
    const grants = await ok<{ grantId: string; text: string }[]>(c, 'agent:list-grants', {
      sessionId,
    });
    expect(grants.map((g) => g.text)).toEqual(['write_file granted.txt']);
    expect(c.agentEvents.filter((e) => e.type === 'grants-changed')).toHaveLength(1);

    // The same call again: no question.
    await ok(c, 'agent:send', { sessionId, prompt: 'again' });
    await until(() => (turns() === 2 ? true : undefined), 'the second turn');
    expect(asks()).toHaveLength(1);

    // Bad ids are refused; a real one is revoked and the next call asks.
    const invented = await router.dispatch(
      'agent:revoke-grant',
      { sessionId, grantId: 'g-invented-123456' },
      c,
    );
    expect(invented).toMatchObject({ ok: false, error: { code: 'not-found' } });
    for (const bad of [{ sessionId, grantId: '../x' }, { sessionId }, { grantId: 'g-aaaaaaaa' }]) {
      expect(await router.dispatch('agent:revoke-grant', bad, c)).toMatchObject({
        ok: false,
        error: { code: 'invalid-argument' },
      });
    }
    expect(await ok(c, 'agent:revoke-grant', { sessionId, grantId: grants[0]!.grantId })).toEqual(
      [],
    );
    await ok(c, 'agent:send', { sessionId, prompt: 'third' });
    const third = await until(() => asks()[1], 'the question again');
    await ok(c, 'agent:answer-approval', {
      approvalId: (third as { approvalId: string }).approvalId,
      answer: 'deny',
    });
    await until(() => (turns() === 3 ? true : undefined), 'the third turn');

    // Another window's copy of the session has no grants, and the log never held them.
    const other = client('grants-other');
    await ok(other, 'workspace:open', { path: workspace });
    const resumed = await ok<{ events: AgentEvent[]; grants: unknown[] }>(
      other,
      'agent:resume-session',
      { sessionId, baseUrl: provider.url },
    );
    expect(resumed.grants).toEqual([]);
    expect(resumed.events.some((e) => e.type === 'grants-changed')).toBe(false);
    expect(
      resumed.events.some(
        (e) => e.type === 'approval-resolved' && e.outcome === 'approved-session',
      ),
    ).toBe(true);
    expect(await ok(other, 'agent:list-grants', { sessionId })).toEqual([]);
    disposeClient(c.state);
    disposeClient(other.state);
  });
});
