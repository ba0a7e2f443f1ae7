import { trustForTests } from '../../workspace/trust-testing';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../shared/domain/agent';
import type { ActivityPage, ReadActivity } from '../../../shared/domain/activity-query';
import {
  startScriptedProvider,
  type ScriptedProvider,
} from '../../agent/testing/scripted-provider';
import { createServices, type Services } from '../../core/services';
import { createCredentials } from '../../credentials/credentials';
import { memoryKeychain } from '../../credentials/memory-keychain';
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

/*
 * The activity channels end to end: a real turn through the bridge records its decisions, every
 * window of the workspace hears them, and the list answers with them and their session's title.
 */

interface TestClient extends BridgeClient {
  readonly agentEvents: AgentEvent[];
  readonly added: ReadActivity[];
}

function client(id: string): TestClient {
  const agentEvents: AgentEvent[] = [];
  const added: ReadActivity[] = [];
  return {
    id,
    state: newClientState(),
    agentEvents,
    added,
    emit: (channel, payload) => {
      if (channel === 'agent:event') agentEvents.push((payload as { event: AgentEvent }).event);
      if (channel === 'policy:activity-added') added.push(payload as ReadActivity);
    },
  };
}

let workspace: string;
let provider: ScriptedProvider;
let services: Services;
let router: Router;

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'activity-bridge-'));
  workspace = join(root, 'home', 'project');
  await mkdir(workspace, { recursive: true });
  await writeFile(join(workspace, 'notes.txt'), 'draft\n');
  provider = await startScriptedProvider({ responses: [] });
  await writeFile(
    join(workspace, 'vtcode.toml'),
    `[agent]\nprovider = "openai"\ndefault_model = "gpt-test"\n\n[tools.policies]\nwrite_file = "prompt"\n\n[commands]\nallow_list = ["git status"]\n`,
  );
  const env = {
    HOME: join(root, 'home'),
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    OPENAI_API_KEY: 'sk-bridge-test-0123456789abcdef',
  };
  trustForTests(env, workspace);
  const logger = createLogger({ level: 'error' });
  services = createServices({
    paths: resolveAppPaths(env, 'linux'),
    logger,
    env,
    host: { kind: 'browser', electronVersion: null },
    credentials: createCredentials({ env, backend: memoryKeychain() }),
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

describe('activity channels', () => {
  it('list what a turn decided, push each record to every window, name the session', async () => {
    provider.setFixture({
      responses: [
        {
          kind: 'stream',
          parts: [
            { type: 'tool_call', name: 'read_file', arguments: { path: 'notes.txt' } },
            {
              type: 'tool_call',
              name: 'write_file',
              arguments: { path: 'notes.txt', content: 'final\n' },
            },
          ],
        },
        { kind: 'stream', parts: [{ type: 'text', text: 'Done.' }] },
      ],
    });
    const c = client('a');
    const watcher = client('b');
    await ok(c, 'workspace:open', { path: workspace });
    await ok(watcher, 'workspace:open', { path: workspace });
    const empty = await ok<ActivityPage>(c, 'policy:list-activity', {});
    expect([empty.total, empty.records, empty.logging.enabled]).toEqual([0, [], true]);

    const { session } = await ok<{ session: { id: string } }>(c, 'agent:start-session', {
      baseUrl: provider.url,
      title: 'Finish the notes',
    });
    await ok(c, 'agent:send', { sessionId: session.id, prompt: 'finish the notes' });
    const asked = await until(
      () =>
        c.agentEvents.find(
          (e): e is Extract<AgentEvent, { type: 'tool-call-awaiting-approval' }> =>
            e.type === 'tool-call-awaiting-approval',
        ),
      'an approval request',
    );
    await ok(c, 'agent:answer-approval', { approvalId: asked.approvalId, answer: 'approve-once' });
    await until(() => c.agentEvents.find((e) => e.type === 'turn-finished'), 'the end of the turn');

    const page = await ok<ActivityPage>(c, 'policy:list-activity', {});
    expect(page.records.map((r) => [r.record.kind, r.record.tool, r.record.decision])).toEqual([
      ['approval', 'write_file', 'allow'],
      ['call', 'write_file', 'prompt'],
      ['call', 'read_file', 'allow'],
    ]);
    expect(page.records.every((r) => r.sealed && r.record.sessionId === session.id)).toBe(true);
    expect(page.sessions).toEqual({ [session.id]: 'Finish the notes' });
    expect(page.counts).toEqual({ allow: 2, prompt: 1, deny: 0 });
    // Both windows heard each record as it was written, oldest first.
    for (const w of [c, watcher])
      expect(w.added.map((a) => a.record.id)).toEqual(
        page.records.map((r) => r.record.id).reverse(),
      );
    const byYou = await ok<ActivityPage>(c, 'policy:list-activity', { by: 'user', limit: 1 });
    expect(byYou.records[0]?.record.answer).toBe('approved-once');
    disposeClient(c.state);
    disposeClient(watcher.state);
  });

  it('preview the allow rules a logged command would need under the policy now', async () => {
    const c = client('p');
    await ok(c, 'workspace:open', { path: workspace });
    const preview = await ok<{ rules: { entry: string }[]; refusal: string | null }>(
      c,
      'policy:preview-activity-rule',
      { command: 'git status && npm test', scope: 'exact' },
    );
    expect(preview).toEqual({
      rules: [expect.objectContaining({ list: 'allow_regex', entry: '^npm test$' })],
      refusal: null,
    });
    const allowed = await ok<{ refusal: string }>(c, 'policy:preview-activity-rule', {
      command: 'git status',
      scope: 'subcommand',
    });
    expect(allowed.refusal).toMatch(/already allow/);
    const risky = await ok<{ refusal: string }>(c, 'policy:preview-activity-rule', {
      command: 'npm install left-pad',
      scope: 'subcommand',
    });
    expect(risky.refusal).toMatch(/name code to install or run/);
    disposeClient(c.state);
  });

  it('need an open workspace', async () => {
    for (const channel of ['policy:list-activity', 'policy:preview-activity-rule']) {
      const payload = channel === 'policy:list-activity' ? {} : { command: 'ls', scope: 'exact' };
      expect(await router.dispatch(channel, payload, client('none'))).toEqual({
        ok: false,
        error: { code: 'conflict', message: 'Open a workspace first.' },
      });
    }
  });

  it.each([
    ['policy:list-activity', { limit: 0 }, /limit/],
    ['policy:list-activity', { limit: 10_000 }, /limit/],
    ['policy:list-activity', { decision: 'sometimes' }, /decision/],
    ['policy:list-activity', { by: 'someone' }, /by/],
    ['policy:list-activity', { since: '31/12/2026' }, /since/],
    ['policy:list-activity', { text: 'a\u0000' }, /text/],
    ['policy:list-activity', { before: '' }, /before/],
    ['policy:list-activity', { sql: 'drop' }, /sql|Unrecognized/i],
    ['policy:list-activity', 'all of it', /request/],
    ['policy:preview-activity-rule', { command: '', scope: 'exact' }, /command/],
    ['policy:preview-activity-rule', { command: 'ls', scope: 'everything' }, /scope/],
    ['policy:preview-activity-rule', { command: 'ls' }, /scope/],
    ['policy:preview-activity-rule', { command: 'x'.repeat(100_001), scope: 'exact' }, /command/],
  ])('%s refuses %j with a clear error', async (channel, payload, message) => {
    const c = client('bad');
    await ok(c, 'workspace:open', { path: workspace });
    const result = await router.dispatch(channel, payload, c);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(result.ok ? '' : result.error.message).toMatch(message);
    disposeClient(c.state);
  });
});
