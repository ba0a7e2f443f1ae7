import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../shared/domain/agent';
import { configFiles } from '../../config/config-loader';
import { createConfigStore, type ConfigStore } from '../../config/config-store';
import { resolveAppPaths } from '../../platform/paths';
import { createPolicyEngine } from '../../policy/engine';
import { createShellParser } from '../../policy/shell-parser';
import { tempDir } from '../../policy/test-helpers';
import { mapTestHosts } from '../../runner/hosts-testing';
import { RunnerService } from '../../runner/runner-service';
import { runnerSettingsFromConfig } from '../../runner/settings-from-config';
import { trustForTests } from '../../workspace/trust-testing';
import type { ModelToolCall } from '../providers/model-step';
import { agentTools } from '../tools/registry';
import { ApprovalBroker } from './approval-broker';
import { Checkpoints } from './checkpoints';
import { ToolExecutor } from './tool-executor';

// A session's command meets a host no rule covers: the question goes through the session's
// broker and events (the network variant of an approval), with the real sandbox.

let runner: RunnerService;
let server: Server;
let port: number;
let hits = 0;
let unmap: () => void;
const stores: ConfigStore[] = [];

beforeAll(async () => {
  unmap = mapTestHosts('.vt.localhost');
  server = createServer((_req, res) => {
    hits++;
    res.end('HOST-BODY');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  const root = tempDir('host-approval-rt-');
  runner = new RunnerService({
    appPaths: resolveAppPaths({ VTCODE_DESKTOP_HOME: join(root, 'app') }, 'linux', root),
    hostEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
});

afterAll(async () => {
  for (const s of stores) s.close();
  await runner.dispose();
  server.close();
  unmap();
});

async function setup() {
  const root = tempDir('host-approval-');
  const ws = join(root, 'ws');
  mkdirSync(ws);
  const env = { VTCODE_DESKTOP_HOME: join(root, 'app'), HOME: join(root, 'home') };
  const userFile = join(root, 'app', 'config', 'vtcode.toml');
  mkdirSync(join(root, 'app', 'config'), { recursive: true });
  writeFileSync(userFile, '# mine\n[sandbox.network]\npolicy = "allowlist_only"\n');
  writeFileSync(join(ws, 'vtcode.toml'), '[commands]\nallow_list = ["curl"]\n');
  trustForTests(env, ws);
  const store = await createConfigStore(configFiles({ workspace: ws, env }));
  stores.push(store);
  const parser = await createShellParser();
  const broker = new ApprovalBroker();
  const events: AgentEvent[] = [];
  const ex = new ToolExecutor({
    workspace: ws,
    sessionId: 's-hostsession',
    policy: () =>
      createPolicyEngine({
        config: store.current(),
        parser,
        workspace: ws,
        home: env.HOME,
        appDirs: [],
      }),
    tools: agentTools(),
    approvals: { kind: 'interactive', broker },
    runner,
    runnerSettings: () => runnerSettingsFromConfig(store.current()),
    checkpoints: new Checkpoints(),
    alwaysAllowTarget: { store, file: join(ws, 'vtcode.toml') },
    fetch,
    redact: (t) => t,
    emit: (e) => events.push(e),
  });
  let n = 0;
  const curl = (host: string) => {
    const call: ModelToolCall = {
      callId: `c${++n}`,
      toolName: 'exec_command',
      input: {
        command: `curl -sS -f -m 60 --retry 5 --retry-connrefused --retry-delay 1 --noproxy '' http://${host}:${port}/`,
      },
      parseError: null,
    };
    return ex.run(call, 't1', 0, new AbortController().signal);
  };
  const asked = async () => {
    const deadline = Date.now() + 20_000;
    while (broker.list().length === 0) {
      if (Date.now() > deadline) throw new Error('no approval was asked for');
      await new Promise((r) => setTimeout(r, 5));
    }
    const pending = broker.list()[0]!;
    const event = events.findLast(
      (e) => e.type === 'tool-call-awaiting-approval' && e.approvalId === pending.approvalId,
    );
    if (event?.type !== 'tool-call-awaiting-approval') throw new Error('no approval event');
    return event;
  };
  return { ex, broker, events, curl, asked, userFile };
}

const text = (r: Awaited<ReturnType<ToolExecutor['run']>>) => JSON.stringify(r.part.output);

describe('network approvals in an agent session', () => {
  it('asks in the session; "Allow for this session" lets the next command through without asking; revoking asks again', async () => {
    const s = await setup();
    const first = s.curl('api.vt.localhost');
    const q = await s.asked();
    expect(q.network).toMatchObject({
      host: 'api.vt.localhost',
      port,
      canSession: true,
      runs: [{ sessionId: 's-hostsession' }],
    });
    expect(q.subject).toBe(`connect to api.vt.localhost:${port}`);
    expect(hits).toBe(0);
    expect(s.broker.answer({ approvalId: q.approvalId, answer: 'approve-session' })).toEqual({
      ok: true,
    });
    const r1 = await first;
    expect(r1.status).toBe('ok');
    expect(text(r1)).toContain('HOST-BODY');
    const resolved = s.events.find(
      (e) => e.type === 'approval-resolved' && e.approvalId === q.approvalId,
    );
    expect(resolved).toMatchObject({
      outcome: 'approved-session',
      host: `api.vt.localhost:${port}`,
    });
    const grants = s.ex.grants.list();
    expect(grants).toMatchObject([{ tool: 'network', text: `api.vt.localhost:${port}` }]);

    const before = s.events.filter((e) => e.type === 'tool-call-awaiting-approval').length;
    const r2 = await s.curl('api.vt.localhost');
    expect(text(r2)).toContain('HOST-BODY');
    expect(s.events.filter((e) => e.type === 'tool-call-awaiting-approval')).toHaveLength(before);

    expect(s.ex.grants.revoke(grants[0]!.grantId)).toBe(true);
    const third = s.curl('api.vt.localhost');
    const again = await s.asked();
    s.broker.answer({ approvalId: again.approvalId, answer: 'deny', reason: 'not now' });
    const r3 = await third;
    expect(text(r3)).not.toContain('HOST-BODY');
  });

  it('"Always" writes the allow-list entry to the user file', async () => {
    const s = await setup();
    const call = s.curl('always.vt.localhost');
    const q = await s.asked();
    s.broker.answer({ approvalId: q.approvalId, answer: 'approve-always', target: 'user' });
    expect(text(await call)).toContain('HOST-BODY');
    const saved = readFileSync(s.userFile, 'utf8');
    expect(saved.startsWith('# mine\n')).toBe(true);
    expect(saved).toContain(`domain = "always.vt.localhost"\nport = ${port}`);
    expect(s.events.find((e) => e.type === 'approval-resolved')).toMatchObject({
      outcome: 'approved-always',
    });
  });
});
