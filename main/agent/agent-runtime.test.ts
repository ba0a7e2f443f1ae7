import { spawn } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../shared/domain/agent';
import { createCredentials } from '../credentials/credentials';
import type { KeychainBackend } from '../credentials/keychain';
import { resolveAppPaths } from '../platform/paths';
import { trustForTests } from '../workspace/trust-testing';
import { RunnerService } from '../runner/runner-service';
import { AgentRuntime } from './agent-runtime';
import { ApprovalBroker } from './loop/approval-broker';
import type { ApprovalMode } from './loop/tool-executor';
import { readSessionLog } from './sessions/session-log';
import type { ScriptResponseInput } from './testing/fixture';
import { startScriptedProvider, type ScriptedProvider } from './testing/scripted-provider';

let root: string;
let ws: string;
let sp: ScriptedProvider;
let runner: RunnerService;
const env = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: join(root, 'home'),
  VTCODE_DESKTOP_HOME: join(root, 'app'),
  OPENAI_API_KEY: 'sk-agent-test-0123456789abcdef',
  ANTHROPIC_API_KEY: 'sk-ant-agent-test-0123456789abcdef',
});
const memoryKeychain: KeychainBackend = {
  get: () => Promise.resolve(null),
  set: () => Promise.resolve(),
  delete: () => Promise.resolve(false),
  findAll: () => Promise.resolve([]),
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'agent-rt-'));
  sp = await startScriptedProvider({ responses: [] });
  runner = new RunnerService({ appPaths: resolveAppPaths(env()), hostEnv: env() });
});
afterAll(async () => {
  await sp.close();
  await runner.dispose();
  await rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  ws = await mkdtemp(join(root, 'ws-'));
  trustForTests(env(), ws);
  await writeFile(join(ws, 'a.txt'), 'hello world\n');
  await writeFile(join(ws, 'AGENTS.md'), 'Project rule: use tabs.\n');
  await writeFile(
    join(ws, 'vtcode.toml'),
    '[commands]\nallow_list = ["cat a.txt"]\ndeny_list = ["rm"]\n',
  );
});

async function runtime(approvals: ApprovalMode, events: AgentEvent[] = []): Promise<AgentRuntime> {
  const credentials = createCredentials({ env: env(), backend: memoryKeychain });
  return AgentRuntime.open({
    workspace: ws,
    env: env(),
    keys: credentials.keys,
    redact: credentials.redactor.redact,
    runner,
    approvals,
    sleep: () => Promise.resolve(),
    onEvent: (_id, e) => events.push(e),
  });
}
const call = (name: string, args: unknown, text = ''): ScriptResponseInput => ({
  kind: 'stream',
  parts: [
    ...(text ? [{ type: 'text' as const, text }] : []),
    { type: 'tool_call', name, arguments: args as Record<string, unknown> },
  ],
});
const say = (text: string): ScriptResponseInput => ({
  kind: 'stream',
  parts: [{ type: 'text', text }],
});
/** Tool results the model was sent in the last request, as text. */
const lastRequest = (): string => JSON.stringify(sp.requests[sp.requests.length - 1]?.body);

describe('agent runtime against the scripted provider', () => {
  it('reads, edits and runs a command in a multi-step turn, with AGENTS.md in the system prompt', async () => {
    sp.setFixture({
      responses: [
        call('read_file', { path: 'a.txt' }, 'Looking.'),
        call('edit_file', { path: 'a.txt', old_str: 'world', new_str: 'there' }),
        call('exec_command', { command: 'cat a.txt' }),
        say('All done.'),
      ],
    });
    const first = sp.requests.length;
    const rt = await runtime({ kind: 'auto', prompt: 'approve' });
    const s = await rt.startSession(
      { provider: 'openai', model: 'gpt-4o-mini', baseUrl: sp.url },
      'fix it',
    );
    const result = await s.runTurn('change world to there');
    s.close();
    rt.close();
    expect(result.outcome).toBe('completed');
    expect(result.text).toBe('All done.');
    expect(await readFile(join(ws, 'a.txt'), 'utf8')).toBe('hello there\n');
    expect(sp.requests.length - first).toBe(4);
    expect(JSON.stringify(sp.requests[first]?.body)).toContain('Project rule: use tabs.');
    expect(JSON.stringify(sp.requests[first + 1]?.body)).toContain('hello world');
    expect(lastRequest()).toMatch(/exit code 0.*hello there/);
    expect(result.usage.inputTokens).toBe(40);
    expect(result.usage.costUsd).toBeGreaterThan(0);
  });

  it('reports denied and prompt-denied calls to the model and carries on', async () => {
    sp.setFixture({
      responses: [
        call('exec_command', { command: 'rm -rf a.txt' }),
        call('write_file', { path: 'b.txt', content: 'x' }),
        call('read_file', { path: '../outside.txt' }),
        say('Could not.'),
      ],
    });
    const events: AgentEvent[] = [];
    const rt = await runtime({ kind: 'auto', prompt: 'deny' }, events);
    const s = await rt.startSession({ provider: 'openai', model: 'm', baseUrl: sp.url }, 't');
    const result = await s.runTurn('delete and write');
    s.close();
    rt.close();
    expect(result.outcome).toBe('completed');
    const finished = events.filter((e) => e.type === 'tool-call-finished');
    expect(finished.map((e) => e.status)).toEqual(['denied', 'denied', 'denied']);
    expect(lastRequest()).toContain('Denied by policy');
    expect(lastRequest()).toContain('cannot ask (non-interactive');
    expect(await readFile(join(ws, 'a.txt'), 'utf8')).toBe('hello world\n');
    await expect(readFile(join(ws, 'b.txt'))).rejects.toThrow();
  });

  it('asks through the broker: only its ids are accepted; a denial reason reaches the model', async () => {
    sp.setFixture({
      responses: [
        call('write_file', { path: 'b.txt', content: 'one' }),
        call('write_file', { path: 'c.txt', content: 'two' }),
        say('ok'),
      ],
    });
    const broker = new ApprovalBroker();
    const events: AgentEvent[] = [];
    const rt = await runtime({ kind: 'interactive', broker }, events);
    const s = await rt.startSession({ provider: 'openai', model: 'm', baseUrl: sp.url }, 't');
    const answered: string[] = [];
    const turn = s.runTurn('write two files');
    for (let n = 0; n < 2; n++) {
      while (broker.list().length === 0) await new Promise((r) => setTimeout(r, 5));
      const [pending] = broker.list();
      expect(broker.answer({ approvalId: 'ap-invented-000000', answer: 'approve-once' })).toEqual({
        ok: false,
        error: expect.stringContaining('no pending approval') as string,
      });
      expect(broker.answer({ approvalId: pending!.approvalId, answer: 'yes please' }).ok).toBe(
        false,
      );
      const answer =
        n === 0
          ? { approvalId: pending!.approvalId, answer: 'approve-once' }
          : { approvalId: pending!.approvalId, answer: 'deny', reason: 'not c.txt' };
      expect(broker.answer(answer)).toEqual({ ok: true });
      expect(broker.answer(answer).ok).toBe(false);
      answered.push(pending!.subject);
    }
    const result = await turn;
    s.close();
    rt.close();
    expect(result.outcome).toBe('completed');
    expect(answered).toEqual(['write b.txt', 'write c.txt']);
    expect(await readFile(join(ws, 'b.txt'), 'utf8')).toBe('one');
    await expect(readFile(join(ws, 'c.txt'))).rejects.toThrow();
    expect(lastRequest()).toContain('The user denied this call: not c.txt');
    expect(events.some((e) => e.type === 'file-changed')).toBe(true);
  });

  it('answers malformed, invalid and unknown calls with errors, and stops repeated calls', async () => {
    sp.setFixture({
      responses: [
        {
          kind: 'stream',
          parts: [
            { type: 'tool_call', name: 'read_file', arguments: '{"path": ' },
            { type: 'tool_call', name: 'read_file', arguments: { path: 7 } },
            { type: 'tool_call', name: 'launch_rockets', arguments: {} },
          ],
        },
        call('read_file', { path: 'a.txt' }),
        call('read_file', { path: 'a.txt' }),
        call('read_file', { path: 'a.txt' }),
        call('read_file', { path: 'a.txt' }),
      ],
    });
    const rt = await runtime({ kind: 'auto', prompt: 'deny' });
    const s = await rt.startSession(
      { provider: 'anthropic', model: 'claude-sonnet-4', baseUrl: sp.url },
      't',
    );
    const result = await s.runTurn('go');
    s.close();
    rt.close();
    const second = JSON.stringify(sp.requests[sp.requests.length - 4]?.body);
    expect(second).toContain('not valid JSON');
    expect(second).toContain('Invalid arguments for read_file: path');
    expect(second).toContain('Unknown tool \\"launch_rockets\\"');
    expect(result.outcome).toBe('loop-limit');
  });

  it('fails the turn with a clear error on a bad key, and saves the session', async () => {
    sp.setFixture({
      responses: [
        {
          kind: 'error',
          status: 401,
          message: 'Incorrect API key provided: sk-agent-test-0123456789abcdef',
        },
      ],
    });
    const rt = await runtime({ kind: 'auto', prompt: 'deny' });
    const s = await rt.startSession({ provider: 'openai', model: 'm', baseUrl: sp.url }, 't');
    const result = await s.runTurn('hi');
    s.close();
    expect(result.outcome).toBe('failed');
    expect(result.error?.kind).toBe('auth');
    const log = await readFile(join(ws, '.vtcode', 'sessions', s.id, 'events.jsonl'), 'utf8');
    expect(log).toContain('rejected the API key');
    expect(log).not.toContain('sk-agent-test-0123456789abcdef');
    rt.close();
  });

  it('lists, resumes with history, reverts a turn, renames, exports and deletes sessions', async () => {
    sp.setFixture({
      responses: [
        call('write_file', { path: 'new.txt', content: 'fresh' }),
        say('written'),
        say('second answer'),
      ],
    });
    const rt = await runtime({ kind: 'auto', prompt: 'approve' });
    const s = await rt.startSession(
      { provider: 'openai', model: 'm', baseUrl: sp.url },
      'first task',
    );
    const t1 = await s.runTurn('write new.txt');
    s.close();
    const again = await rt.resumeSession(s.id, { baseUrl: sp.url });
    await again.runTurn('and then?');
    expect(lastRequest()).toContain('write new.txt');
    expect(lastRequest()).toContain('written');
    await again.session.revertTurn(t1.turnId);
    await expect(readFile(join(ws, 'new.txt'))).rejects.toThrow();
    again.close();
    const list = await rt.sessions.list();
    expect(list.map((x) => x.id)).toContain(s.id);
    expect((await rt.sessions.rename(s.id, 'Renamed')).title).toBe('Renamed');
    const { markdown: md, fileName } = await rt.sessions.exportMarkdown(s.id);
    expect(fileName).toBe('Renamed.md');
    expect(md).toMatch(
      /# Renamed[\s\S]*## User[\s\S]*write new.txt[\s\S]*write_file[\s\S]*second answer/,
    );
    await appendFile(join(ws, '.vtcode', 'sessions', s.id, 'events.jsonl'), '{"type":"text-del');
    const opened = await rt.sessions.open(s.id);
    expect(opened.warnings.join()).toMatch(/last event was cut off/);
    expect(opened.summary.turns).toBe(2);
    await rt.sessions.delete(s.id);
    expect((await rt.sessions.list()).map((x) => x.id)).not.toContain(s.id);
    await expect(rt.sessions.open('s-../../etc')).rejects.toThrow(/not a session id/);
    rt.close();
  });

  it('resumes a session logged with a former tool name under the current one', async () => {
    // A call named run_pty_cmd, as sessions written before the rename have it in their log.
    sp.setFixture({
      responses: [call('run_pty_cmd', { command: 'cat a.txt' }), say('old'), say('new')],
    });
    const rt = await runtime({ kind: 'auto', prompt: 'approve' });
    const s = await rt.startSession({ provider: 'openai', model: 'm', baseUrl: sp.url }, 'old');
    await s.runTurn('read it');
    s.close();
    const log = await readFile(join(ws, '.vtcode', 'sessions', s.id, 'events.jsonl'), 'utf8');
    expect(log).toContain('"run_pty_cmd"');
    const opened = await rt.sessions.open(s.id);
    const started = opened.events.find((e) => e.type === 'tool-call-started');
    expect(started).toMatchObject({ tool: 'exec_command' });
    // (The old run's result text still quotes the name it was called by; names are current.)
    expect(JSON.stringify(opened.events)).not.toMatch(/"(tool|toolName)":"run_pty_cmd"/);
    const again = await rt.resumeSession(s.id, { baseUrl: sp.url });
    await again.runTurn('go on');
    // The replayed call and its result carry the name the provider is offered now.
    expect(lastRequest()).not.toContain('"name":"run_pty_cmd"');
    expect(lastRequest()).toMatch(/"name":"exec_command"[\s\S]*"name":"exec_command"/);
    again.close();
    rt.close();
  });

  it('loses nothing written before the process is killed mid-turn', async () => {
    const slow: ScriptResponseInput = {
      kind: 'stream',
      parts: [{ type: 'text', text: 'y'.repeat(400) }],
      chunkSize: 2,
      chunkDelayMs: 10,
    };
    sp.setFixture({ responses: [call('read_file', { path: 'a.txt' }), slow] });
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'main/cli/index.ts',
        'exec',
        '--workspace',
        ws,
        '--provider',
        'openai',
        '--model',
        'm',
        '--base-url',
        sp.url,
        'go',
      ],
      {
        env: { ...env(), VTCODE_DESKTOP_KEYCHAIN_SERVICE: 'vtcode-desktop-test-agent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 20_000;
    while (out.length < 60 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const dir = join(ws, '.vtcode', 'sessions');
    const [id] = await readdir(dir).then((n) => n.filter((x) => x.startsWith('s-')));
    const before = (await readFile(join(dir, id!, 'events.jsonl'), 'utf8'))
      .split('\n')
      .filter((l) => l.endsWith('}'));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const { events, warnings } = await readSessionLog(join(dir, id!, 'events.jsonl'));
    expect(warnings.filter((w) => !w.includes('cut off'))).toEqual([]);
    expect(events.length).toBeGreaterThanOrEqual(before.length);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['turn-started', 'tool-call-finished', 'history', 'text-delta']),
    );
    expect(events.some((e) => e.type === 'turn-finished')).toBe(false);
  }, 40_000);
});

describe('non-directory inputs', () => {
  it('refuses a workspace-relative session dir escape', async () => {
    await mkdir(join(ws, '.vtcode', 'sessions'), { recursive: true });
    const rt = await runtime({ kind: 'auto', prompt: 'deny' });
    await expect(rt.sessions.rename('../x', 'y')).rejects.toThrow();
    rt.close();
  });
});
