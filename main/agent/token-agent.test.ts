import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../shared/domain/agent';
import { createCredentials, type Credentials } from '../credentials/credentials';
import { memoryKeychain } from '../credentials/memory-keychain';
import { resolveAppPaths } from '../platform/paths';
import { RunnerService } from '../runner/runner-service';
import { SandboxBackend } from '../runner/sandbox';
import { trustForTests } from '../workspace/trust-testing';
import { AgentRuntime } from './agent-runtime';
import { startScriptedProvider, type ScriptedProvider } from './testing/scripted-provider';

/*
 * The model asks for a command that sends a bound token to a server that echoes it back. The
 * request carries the real token (the proxy put it in), and the token reaches none of: what the
 * model is sent next, the events the UI gets, the session log on disk.
 */

const TOKEN = 'ghp_agentNeverSeesThis0123456789abcdefEFGH';

let root: string;
let ws: string;
let sp: ScriptedProvider;
let echo: Server;
let port: number;
const seen: (string | undefined)[] = [];
let credentials: Credentials;
let runner: RunnerService;

const env = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: join(root, 'home'),
  VTCODE_DESKTOP_HOME: join(root, 'app'),
  OPENAI_API_KEY: 'sk-token-agent-test-0123456789abcdef',
});

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'token-agent-'));
  ws = join(root, 'ws');
  await mkdir(ws, { recursive: true });
  trustForTests(env(), ws);
  echo = createServer((req, res) => {
    seen.push(req.headers.authorization);
    res.end(`{"you_sent": "${req.headers.authorization ?? ''}"}\n`);
  });
  port = await new Promise<number>((resolve) =>
    echo.listen(0, '127.0.0.1', () => resolve((echo.address() as AddressInfo).port)),
  );
  const paths = resolveAppPaths(env());
  await mkdir(paths.configDir, { recursive: true });
  await writeFile(
    join(paths.configDir, 'vtcode.toml'),
    `[sandbox]\ndefault_policy = "workspace_write"\n\n[sandbox.network]\npolicy = "allowlist_only"\nallowlist = [{ domain = "127.0.0.1", port = ${port} }]\n`,
  );
  credentials = createCredentials({ env: env(), backend: memoryKeychain() });
  await credentials.tokens.set({
    name: 'github',
    envVar: 'GH_TOKEN',
    hosts: ['127.0.0.1'],
    value: TOKEN,
  });
  runner = new RunnerService({
    appPaths: paths,
    hostEnv: env(),
    // Plain HTTP to a loopback server: tests only (the app injects over HTTPS only).
    backend: new SandboxBackend(undefined, { allowPlaintextInject: true }),
    tokens: credentials.tokens,
    outputRedactor: credentials.redactor.outputRedactor,
  });
  sp = await startScriptedProvider({ responses: [] });
}, 30_000);

afterAll(async () => {
  await sp.close();
  await runner.dispose();
  echo.close();
  await rm(root, { recursive: true, force: true });
});

async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path)).includes(needle)) hits.push(path);
  }
  return hits;
}

describe('a token in an agent session', () => {
  it('is used by the command and seen by no one: model, UI events, session log', async () => {
    const command = `curl -sS -m 10 --retry 5 --retry-connrefused --noproxy '' -H "Authorization: Bearer $GH_TOKEN" http://127.0.0.1:${port}/user`;
    sp.setFixture({
      responses: [
        {
          kind: 'stream',
          parts: [{ type: 'tool_call', name: 'exec_command', arguments: { command } }],
        },
        { kind: 'stream', parts: [{ type: 'text', text: 'Done.' }] },
      ],
    });
    const events: AgentEvent[] = [];
    const rt = await AgentRuntime.open({
      workspace: ws,
      env: env(),
      keys: credentials.keys,
      redact: credentials.redactor.redact,
      runner,
      approvals: { kind: 'auto', prompt: 'approve' },
      sleep: () => Promise.resolve(),
      onEvent: (_id, e) => events.push(e),
    });
    const s = await rt.startSession({ provider: 'openai', model: 'm', baseUrl: sp.url }, 't');
    const result = await s.runTurn('call the API');
    s.close();
    rt.close();
    expect(result.outcome).toBe('completed');
    // The command did its job: the server got the real token.
    expect(seen).toEqual([`Bearer ${TOKEN}`]);
    const toModel = JSON.stringify(sp.requests.at(-1)?.body);
    expect(toModel).toContain('you_sent');
    expect(toModel).toContain('[REDACTED]');
    expect(toModel).not.toContain(TOKEN);
    expect(JSON.stringify(events)).not.toContain(TOKEN);
    expect(JSON.stringify(sp.requests)).not.toContain(TOKEN);
    expect(await filesContaining(join(ws, '.vtcode'), TOKEN)).toEqual([]);
    expect(await filesContaining(join(root, 'app'), TOKEN)).toEqual([]);
  });
});
