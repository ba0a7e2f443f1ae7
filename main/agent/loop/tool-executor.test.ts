import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../shared/domain/agent';
import type { PolicyEngine } from '../../policy/engine';
import { engineFromToml, tempDir } from '../../policy/test-helpers';
import type { RunResult } from '../../runner/runner-service';
import { DEFAULT_RUNNER_SETTINGS, withSettings } from '../../runner/settings';
import type { ModelToolCall } from '../providers/model-step';
import { agentTools } from '../tools/registry';
import type { CommandRunner } from '../tools/tool-types';
import { ApprovalBroker } from './approval-broker';
import { Checkpoints } from './checkpoints';
import { ToolExecutor, settingsForRun, type ApprovalMode } from './tool-executor';

let ws: string;
let home: string;
let n = 0;

beforeEach(() => {
  ws = tempDir('executor-ws-');
  home = tempDir('executor-home-');
});

/** A runner that records what it was asked to run and runs nothing. */
function fakeRunner(ran: string[]): CommandRunner {
  return {
    start: ({ request }) => {
      ran.push((request as { command: string }).command);
      return Promise.resolve(`run-${ran.length}`);
    },
    wait: () =>
      Promise.resolve({
        exit: { outcome: 'exited', exitCode: 0, signal: null, violations: 0, message: null },
        text: 'ok',
      } as unknown as RunResult),
    cancel: () => true,
  };
}

function executor(engine: PolicyEngine, approvals: ApprovalMode) {
  const events: AgentEvent[] = [];
  const ran: string[] = [];
  const ex = new ToolExecutor({
    workspace: ws,
    policy: () => engine,
    tools: agentTools({ webFetch: false }),
    approvals,
    runner: fakeRunner(ran),
    runnerSettings: () => DEFAULT_RUNNER_SETTINGS,
    checkpoints: new Checkpoints(),
    alwaysAllowTarget: null,
    fetch,
    redact: (t) => t,
    emit: (e) => events.push(e),
  });
  const run = (toolName: string, input: unknown) => {
    const call: ModelToolCall = { callId: `c${++n}`, toolName, input, parseError: null };
    return ex.run(call, 't1', 0, new AbortController().signal);
  };
  return { ex, events, ran, run };
}

/** Answer the next approval the broker is asked, once it is asked. */
async function nextApproval(broker: ApprovalBroker) {
  const deadline = Date.now() + 5000;
  while (broker.list().length === 0) {
    if (Date.now() > deadline) throw new Error('no approval was asked for');
    await new Promise((r) => setTimeout(r, 2));
  }
  return broker.list()[0]!;
}

describe('the approval request carries the whole command', () => {
  it('a 5,000-character command reaches the broker and the event with its tail', async () => {
    const engine = await engineFromToml('[commands]\nallow_list = ["echo"]\n', ws, home);
    const command = `echo ${'a'.repeat(4990 - 5)}; rm -rf x`;
    expect(command.length).toBeGreaterThan(4990);
    const broker = new ApprovalBroker();
    const { events, ran, run } = executor(engine, { kind: 'interactive', broker });
    const pending = run('exec_command', { command });
    const asked = await nextApproval(broker);
    expect(asked.subject).toBe(command);
    expect(asked.subject.endsWith('; rm -rf x')).toBe(true);
    broker.answer({ approvalId: asked.approvalId, answer: 'deny' });
    expect((await pending).status).toBe('denied');
    const event = events.find((e) => e.type === 'tool-call-awaiting-approval');
    expect(event?.type === 'tool-call-awaiting-approval' && event.subject).toBe(command);
    expect(ran).toEqual([]);
  });
});

describe('files a command interprets', () => {
  const toml = '[commands]\nallow_list = ["npm test"]\ndeny_list = ["rm -rf"]\n';
  const pkg = (test: string) => JSON.stringify({ name: 'x', scripts: { test } }, null, 2);

  beforeEach(() => {
    mkdirSync(join(ws, 'src'));
    writeFileSync(join(ws, 'src', 'a.ts'), 'export {};\n');
    writeFileSync(join(ws, 'package.json'), pkg('vitest run'));
  });

  it('npm test is asked about again after package.json changed (interactive)', async () => {
    const engine = await engineFromToml(toml, ws, home);
    expect(engine.decideCommand('rm -rf src').decision).toBe('deny');
    const broker = new ApprovalBroker();
    const { events, ran, run } = executor(engine, { kind: 'interactive', broker });

    expect((await run('exec_command', { command: 'npm test' })).status).toBe('ok');
    expect(ran).toEqual(['npm test']);

    // The agent writes the denied command where npm will run it. write_file itself asks.
    const write = run('write_file', { path: 'package.json', content: pkg('rm -rf src') });
    const w = await nextApproval(broker);
    broker.answer({ approvalId: w.approvalId, answer: 'approve-once' });
    expect((await write).status).toBe('ok');

    const second = run('exec_command', { command: 'npm test' });
    const asked = await nextApproval(broker);
    expect(asked.reason).toContain(
      'package.json changed since it was last approved (scripts run as commands)',
    );
    broker.answer({ approvalId: asked.approvalId, answer: 'deny' });
    expect((await second).status).toBe('denied');
    expect(ran).toEqual(['npm test']);
    const decided = events.filter((e) => e.type === 'tool-call-decided');
    expect(decided.map((e) => e.type === 'tool-call-decided' && e.decision)).toEqual([
      'allow',
      'prompt',
      'prompt',
    ]);

    // Approved once: the baseline moves to what the user saw, and the next run is allowed.
    const third = run('exec_command', { command: 'npm test' });
    const again = await nextApproval(broker);
    broker.answer({ approvalId: again.approvalId, answer: 'approve-once' });
    expect((await third).status).toBe('ok');
    expect((await run('exec_command', { command: 'npm test' })).status).toBe('ok');
    expect(ran).toEqual(['npm test', 'npm test', 'npm test']);
  });

  it('headless: npm test after a package.json change is denied, whoever changed it', async () => {
    const engine = await engineFromToml(toml, ws, home);
    const { ran, run } = executor(engine, { kind: 'auto', prompt: 'deny' });
    expect((await run('exec_command', { command: 'npm test' })).status).toBe('ok');
    // A change by someone else (a shell redirect, the user): the check compares content.
    writeFileSync(join(ws, 'package.json'), pkg('rm -rf src'));
    const r = await run('exec_command', { command: 'npm test' });
    expect(r.status).toBe('denied');
    expect(JSON.stringify(r.part.output)).toContain('package.json changed');
    expect(ran).toEqual(['npm test']);
  });
});

describe('writes to protected files', () => {
  it('the approval says what the file does, and approval lets the tool write it', async () => {
    const engine = await engineFromToml('', ws, home);
    const broker = new ApprovalBroker();
    const { run } = executor(engine, { kind: 'interactive', broker });
    const pending = run('write_file', { path: '.vscode/tasks.json', content: '{}' });
    const asked = await nextApproval(broker);
    expect(asked.reason).toMatch(/VS Code runs its tasks/);
    broker.answer({ approvalId: asked.approvalId, answer: 'approve-once' });
    expect((await pending).status).toBe('ok');
  });

  it('never writes .git/config, even with --yes', async () => {
    mkdirSync(join(ws, '.git'));
    writeFileSync(join(ws, '.git', 'config'), '[core]\n');
    const engine = await engineFromToml('[tools.policies]\nwrite_file = "allow"\n', ws, home);
    const { run } = executor(engine, { kind: 'auto', prompt: 'approve' });
    const out = await run('write_file', {
      path: '.git/config',
      content: '[core]\n\tfsmonitor = x\n',
    });
    expect(out.status).toBe('denied');
  });
});

describe('the sandbox a command runs under', () => {
  it('is the one the approval showed, or a stricter one saved since', () => {
    const shown = withSettings({ mode: 'workspace_write' });
    const tighter = withSettings({ mode: 'read_only' });
    const looser = withSettings({ mode: 'danger_full_access' });
    const moreHosts = withSettings({
      mode: 'workspace_write',
      network: { policy: 'allowlist_only', allowlist: [{ domain: 'evil.example' }] },
    });
    expect(settingsForRun(shown, tighter)).toBe(tighter);
    expect(settingsForRun(shown, looser)).toBe(shown);
    expect(settingsForRun(shown, moreHosts)).toBe(shown);
    expect(settingsForRun(null, looser)).toBe(looser);
  });

  it('the approval event carries it, and file tools carry none', async () => {
    const engine = await engineFromToml('', ws, home);
    const broker = new ApprovalBroker();
    const { events, run } = executor(engine, { kind: 'interactive', broker });
    const pending = run('exec_command', { command: 'touch x' });
    const asked = await nextApproval(broker);
    broker.answer({ approvalId: asked.approvalId, answer: 'deny' });
    await pending;
    const pendingWrite = run('write_file', { path: 'a.txt', content: 'x' });
    const again = await nextApproval(broker);
    broker.answer({ approvalId: again.approvalId, answer: 'deny' });
    await pendingWrite;
    const asks = events.filter((e) => e.type === 'tool-call-awaiting-approval');
    expect(asks.map((e) => e.type === 'tool-call-awaiting-approval' && e.sandbox)).toEqual([
      { mode: DEFAULT_RUNNER_SETTINGS.mode, network: 'block_all', hosts: [] },
      null,
    ]);
  });
});
