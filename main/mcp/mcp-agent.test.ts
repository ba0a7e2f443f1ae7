import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../shared/domain/agent';
import { AgentRuntime } from '../agent/agent-runtime';
import { ApprovalBroker } from '../agent/loop/approval-broker';
import { startScriptedProvider, type ScriptedProvider } from '../agent/testing/scripted-provider';
import { createCredentials, type Credentials } from '../credentials/credentials';
import { memoryKeychain } from '../credentials/memory-keychain';
import { resolveAppPaths } from '../platform/paths';
import { RunnerService } from '../runner/runner-service';
import { trustForTests } from '../workspace/trust-testing';
import { McpApprovals } from './mcp-approvals';
import { McpManager } from './mcp-manager';
import { startHttpTestServer, TEST_SERVER } from './testing/test-server-path';

/*
 * An agent turn with a sandboxed stdio MCP server and a streamable-HTTP one on 127.0.0.1: a call
 * allowed by `[tools.policies]`, one that asks and is approved, one `[permissions]` denies (the
 * model is told why), and a secret the server returns that the model never sees. Plan mode makes
 * no file changes: a tool of a server with writable folders is refused there, allowed or not.
 */

const SECRET = 'mcp-agent-secret-0123456789abcdef';

let root: string;
let ws: string;
let sp: ScriptedProvider;
let http: ChildProcess;
let httpPort: number;
let credentials: Credentials;
let runner: RunnerService;
let manager: McpManager;
let runtime: AgentRuntime;
const broker = new ApprovalBroker();
const events: AgentEvent[] = [];

const env = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: join(root, 'home'),
  VTCODE_DESKTOP_HOME: join(root, 'app'),
  OPENAI_API_KEY: 'sk-mcp-agent-test-0123456789abcdef',
});

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mcp-agent-'));
  ws = join(root, 'ws');
  await mkdir(join(ws, 'out'), { recursive: true });
  trustForTests(env(), ws);
  ({ process: http, port: httpPort } = await startHttpTestServer());
  const paths = resolveAppPaths(env());
  await mkdir(paths.configDir, { recursive: true });
  const userFile = join(paths.configDir, 'vtcode.toml');
  await writeFile(
    userFile,
    [
      '[mcp]',
      'enabled = true',
      '',
      '[tools.policies]',
      'mcp__h__echo = "allow"',
      'mcp__w__write_file = "allow"',
      '',
      '[permissions]',
      'deny = ["mcp__t__write_file"]',
      '',
      '[[mcp.providers]]',
      'name = "t"',
      `command = ${JSON.stringify(process.execPath)}`,
      `args = [${JSON.stringify(TEST_SERVER)}]`,
      '',
      '[[mcp.providers]]',
      'name = "w"',
      `command = ${JSON.stringify(process.execPath)}`,
      `args = [${JSON.stringify(TEST_SERVER)}]`,
      'writable = ["out"]',
      '',
      '[[mcp.providers]]',
      'name = "h"',
      `url = "http://127.0.0.1:${httpPort}/mcp"`,
      '',
    ].join('\n'),
  );
  credentials = createCredentials({ env: env(), backend: memoryKeychain() });
  await credentials.mcpSecrets.set({ name: 't', file: userFile }, 'SERVICE_KEY', SECRET);
  runner = new RunnerService({ appPaths: paths, hostEnv: env() });
  sp = await startScriptedProvider({ responses: [] });
  runtime = await AgentRuntime.open({
    workspace: ws,
    env: env(),
    keys: credentials.keys,
    redact: credentials.redactor.redact,
    runner,
    approvals: { kind: 'interactive', broker },
    sleep: () => Promise.resolve(),
    onEvent: (_id, e) => events.push(e),
    moreTools: () => manager.tools(),
  });
  manager = new McpManager({
    workspace: ws,
    engine: () => runtime.policy,
    runner,
    secrets: credentials.mcpSecrets,
    approvals: new McpApprovals(paths.dataDir),
    redact: credentials.redactor.redact,
    version: '0.0.0-test',
    onChange: () => undefined,
  });
  await manager.reconcile();
  await manager.settled();
}, 60_000);

afterAll(async () => {
  runtime?.close();
  await manager?.dispose();
  await sp?.close();
  await runner?.dispose();
  http?.kill();
  await rm(root, { recursive: true, force: true });
});

const call = (name: string, args: Record<string, unknown>) => ({
  kind: 'stream' as const,
  parts: [{ type: 'tool_call' as const, name, arguments: args }],
});

describe('MCP tools in an agent turn', () => {
  it('are offered, decided by the policy, asked, approved, denied and redacted', async () => {
    expect((await manager.list()).servers.map((s) => [s.name, s.status])).toEqual([
      ['t', 'running'],
      ['w', 'running'],
      ['h', 'running'],
    ]);
    sp.setFixture({
      responses: [
        call('mcp__h__echo', { text: 'over http' }),
        call('mcp__t__add', { a: 2, b: 3 }),
        call('mcp__t__write_file', { path: join(ws, 'x.txt'), content: 'x' }),
        call('mcp__t__read_env', { name: 'SERVICE_KEY' }),
        call('mcp__t__echo', { text: '../../etc/passwd' }),
        { kind: 'stream', parts: [{ type: 'text', text: 'Done.' }] },
      ],
    });
    const asked: string[] = [];
    let answering = true;
    const answer = (async () => {
      while (answering) {
        for (const p of broker.list()) {
          const e = events.findLast(
            (x) => x.type === 'tool-call-awaiting-approval' && x.approvalId === p.approvalId,
          );
          if (e?.type === 'tool-call-awaiting-approval') asked.push(e.tool);
          broker.answer({ approvalId: p.approvalId, answer: 'approve-once' });
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const s = await runtime.startSession({ provider: 'openai', model: 'm', baseUrl: sp.url }, 't');
    const result = await s.runTurn('use the servers');
    answering = false;
    await answer;
    s.close();
    expect(result.outcome).toBe('completed');

    // The model was offered the servers' tools with their own schemas.
    const first = JSON.stringify(sp.requests[0]?.body);
    expect(first).toContain('mcp__t__add');
    expect(first).toContain('mcp__h__echo');

    const finished = events.filter((e) => e.type === 'tool-call-finished');
    const byTool = (tool: string) => finished.filter((e) => e.tool === tool);
    expect(byTool('mcp__h__echo')[0]).toMatchObject({ status: 'ok', result: 'echo: over http' });
    expect(byTool('mcp__t__add')[0]).toMatchObject({ status: 'ok', result: '5' });
    expect(byTool('mcp__t__write_file')[0]).toMatchObject({ status: 'denied' });
    expect(byTool('mcp__t__write_file')[0]?.result).toMatch(/Denied by policy.*mcp__t__write_file/);
    expect(byTool('mcp__t__echo')[0]).toMatchObject({ status: 'error' });
    expect(byTool('mcp__t__echo')[0]?.result).toMatch(/path_traversal_protection/);
    // Asked: add and read_env (no rule names them); echo over HTTP is allowed, write_file denied.
    expect(asked).toEqual(['mcp__t__add', 'mcp__t__read_env']);
    // The person approving sees the arguments.
    const question = events.find(
      (e) => e.type === 'tool-call-awaiting-approval' && e.tool === 'mcp__t__add',
    );
    expect(question?.type === 'tool-call-awaiting-approval' && question.subject).toMatch(
      /MCP server "t"[\s\S]*"a": 2,[\s\S]*"b": 3/,
    );
    // The secret the server handed back never reaches the model, the UI or the events.
    expect(byTool('mcp__t__read_env')[0]?.result).not.toContain(SECRET);
    expect(JSON.stringify(sp.requests)).not.toContain(SECRET);
    expect(JSON.stringify(events)).not.toContain(SECRET);
  }, 60_000);

  it('in plan mode, refuse a tool whose server can write files, even one a rule allows', async () => {
    const file = join(ws, 'out', 'plan.txt');
    sp.setFixture({
      responses: [
        call('mcp__w__write_file', { path: file, content: 'changed in plan mode' }),
        call('mcp__h__echo', { text: 'reading is fine' }),
        { kind: 'stream', parts: [{ type: 'text', text: 'Planned.' }] },
      ],
    });
    const from = events.length;
    const s = await runtime.startSession({ provider: 'openai', model: 'm', baseUrl: sp.url }, 'p');
    const result = await s.runTurn('plan it', 'plan');
    s.close();
    expect(result.outcome).toBe('completed');
    const finished = events.slice(from).filter((e) => e.type === 'tool-call-finished');
    expect(finished.find((e) => e.tool === 'mcp__w__write_file')).toMatchObject({
      status: 'denied',
    });
    expect(finished.find((e) => e.tool === 'mcp__h__echo')).toMatchObject({ status: 'ok' });
    expect(existsSync(file)).toBe(false);
  }, 60_000);
});
