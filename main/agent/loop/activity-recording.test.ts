import { mkdirSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ActivityRecord } from '../../../shared/domain/activity';
import type { AgentMode } from '../../../shared/domain/agent';
import { ActivityLog } from '../../activity/activity-log';
import type { AuditSettings } from '../../config/effective';
import { createSecretRedactor } from '../../credentials/redact';
import { SessionSealer } from '../../guard/session-seal';
import type { PolicyEngine } from '../../policy/engine';
import { engineFromToml, tempDir } from '../../policy/test-helpers';
import type { RunResult } from '../../runner/runner-service';
import { DEFAULT_RUNNER_SETTINGS } from '../../runner/settings';
import type { ModelToolCall } from '../providers/model-step';
import { agentTools } from '../tools/registry';
import type { CommandRunner } from '../tools/tool-types';
import { ApprovalBroker } from './approval-broker';
import { Checkpoints } from './checkpoints';
import { ToolExecutor, type ApprovalMode } from './tool-executor';

/*
 * What the tool loop records: a real executor over a real policy engine writing to a real,
 * sealed activity log in a temp workspace.
 */

let ws: string;
let home: string;
let n = 0;
const ON: AuditSettings = {
  enabled: true,
  directory: null,
  logAllowed: true,
  logDenied: true,
  logPrompts: true,
};
const TOML = '[commands]\nallow_list = ["git status"]\ndeny_glob = ["rm *"]\n';

beforeEach(() => {
  ws = tempDir('activity-ws-');
  home = tempDir('activity-home-');
});

const ranRunner: CommandRunner = {
  start: () => Promise.resolve('run-1'),
  wait: () =>
    Promise.resolve({
      exit: { outcome: 'exited', exitCode: 0, signal: null, violations: 0, message: null },
      text: 'ok',
    } as unknown as RunResult),
  cancel: () => true,
};

function setup(
  engine: PolicyEngine,
  approvals: ApprovalMode,
  options: {
    mode?: AgentMode;
    audit?: () => AuditSettings;
    redact?: (t: string) => string;
    dir?: string;
  } = {},
) {
  const errors: string[] = [];
  const heard: ActivityRecord[] = [];
  const redact = options.redact ?? ((t: string) => t);
  const log = new ActivityLog({
    workspace: ws,
    audit: options.audit ?? (() => ON),
    home,
    sealer: SessionSealer.withKey(Buffer.alloc(32, 3)),
    redact,
    onError: (message, error) => errors.push(`${message}: ${String(error)}`),
  });
  log.subscribe((r) => heard.push(r));
  const ex = new ToolExecutor({
    workspace: ws,
    policy: () => engine,
    tools: agentTools({ webFetch: false }),
    approvals,
    runner: ranRunner,
    mode: () => options.mode ?? 'ask',
    runnerSettings: () => DEFAULT_RUNNER_SETTINGS,
    checkpoints: new Checkpoints(),
    alwaysAllowTarget: null,
    fetch,
    redact,
    emit: () => undefined,
    activity: { sessionId: 's-test01', sink: log },
  });
  const run = (toolName: string, input: unknown, signal = new AbortController().signal) => {
    const call: ModelToolCall = { callId: `c${++n}`, toolName, input, parseError: null };
    return ex.run(call, 't-1', 0, signal);
  };
  const written = async () => (await log.store().readAll()).records;
  return { log, run, written, errors, heard };
}

async function nextApproval(broker: ApprovalBroker) {
  const deadline = Date.now() + 5000;
  while (broker.list().length === 0) {
    if (Date.now() > deadline) throw new Error('no approval was asked for');
    await new Promise((r) => setTimeout(r, 2));
  }
  return broker.list()[0]!;
}

/** The records in a compact form: kind, decision, what the policy said, who decided. */
function brief(r: ActivityRecord) {
  const by =
    r.by.kind === 'rule'
      ? `rule ${r.by.rule.kind} ${r.by.rule.entry}`
      : r.by.kind === 'mode'
        ? `mode ${r.by.mode}`
        : r.by.kind === 'grant'
          ? `grant ${r.by.text}`
          : r.by.kind === 'headless'
            ? `headless ${r.by.answer}`
            : 'user';
  return [r.kind, r.policy.decision, r.decision, by, r.answer ?? null];
}

describe('every decision is recorded with who decided', () => {
  it('allowed, denied, asked and approved, asked and denied', async () => {
    const engine = await engineFromToml(TOML, ws, home);
    const broker = new ApprovalBroker();
    const { run, written, heard, errors } = setup(engine, { kind: 'interactive', broker });

    expect((await run('exec_command', { command: 'git status' })).status).toBe('ok');
    expect((await run('exec_command', { command: 'git status && rm -rf x' })).status).toBe(
      'denied',
    );
    const approved = run('exec_command', { command: 'touch a' });
    broker.answer({ approvalId: (await nextApproval(broker)).approvalId, answer: 'approve-once' });
    expect((await approved).status).toBe('ok');
    const refused = run('exec_command', { command: 'touch b' });
    broker.answer({
      approvalId: (await nextApproval(broker)).approvalId,
      answer: 'deny',
      reason: 'not now',
    });
    expect((await refused).status).toBe('denied');

    const records = (await written()).map((r) => r.record);
    expect(records.map(brief)).toEqual([
      ['call', 'allow', 'allow', 'rule allow_list git status', null],
      ['call', 'deny', 'deny', 'rule deny_glob rm *', null],
      ['call', 'prompt', 'prompt', expect.stringMatching(/^rule /), null],
      ['approval', 'prompt', 'allow', 'user', 'approved-once'],
      ['call', 'prompt', 'prompt', expect.stringMatching(/^rule /), null],
      ['approval', 'prompt', 'deny', 'user', 'denied'],
    ]);
    expect((await written()).every((r) => r.sealed)).toBe(true);
    // Every part of a command, each with its own decision and rule.
    expect(records[1]?.parts.map((p) => [p.text, p.decision, p.rule?.entry])).toEqual([
      ['git status', 'allow', 'git status'],
      ['rm -rf x', 'deny', 'rm *'],
    ]);
    expect(records[5]?.note).toBe('not now');
    for (const r of records) {
      expect([r.sessionId, r.turnId]).toEqual(['s-test01', 't-1']);
      expect(r.callId).toMatch(/^c\d+$/);
    }
    // The call and its answer share the call id.
    expect(records[2]?.callId).toBe(records[3]?.callId);
    expect(records[0]?.subjects).toEqual([{ kind: 'command', command: 'git status' }]);
    expect(heard.map((r) => r.id)).toEqual(records.map((r) => r.id));
    expect(errors).toEqual([]);
  });

  it('a session grant and the mode are named as the deciders, with the policy’s own verdict kept', async () => {
    const engine = await engineFromToml(
      `${TOML}[tools.policies]\nwrite_file = "allow"\n`,
      ws,
      home,
    );
    const broker = new ApprovalBroker();
    const { run, written } = setup(engine, { kind: 'interactive', broker });
    const first = run('exec_command', { command: 'touch a' });
    broker.answer({
      approvalId: (await nextApproval(broker)).approvalId,
      answer: 'approve-session',
    });
    expect((await first).status).toBe('ok');
    expect((await run('exec_command', { command: 'touch a' })).status).toBe('ok');

    const plan = setup(engine, { kind: 'interactive', broker }, { mode: 'plan' });
    expect((await plan.run('write_file', { path: 'x.txt', content: 'x' })).status).toBe('denied');
    const full = setup(engine, { kind: 'interactive', broker }, { mode: 'full_auto' });
    expect((await full.run('exec_command', { command: 'touch c' })).status).toBe('ok');

    const records = (await written()).map((r) => r.record);
    expect(records.map(brief)).toEqual([
      ['call', 'prompt', 'prompt', expect.stringMatching(/^rule /), null],
      ['approval', 'prompt', 'allow', 'user', 'approved-session'],
      ['call', 'prompt', 'allow', 'grant touch a', null],
      ['call', 'allow', 'deny', 'mode plan', null],
      ['call', 'prompt', 'allow', 'mode full_auto', null],
    ]);
    expect(records[1]?.note).toMatch(/^grant: /);
    // The policy's own answer is what a backtest compares; the final one says what happened.
    expect(records[3]?.policy.rule?.entry).toBe('tools.policies.write_file');
    expect(records[3]?.paths.map((p) => [p.path, p.op, p.decision])).toEqual([
      ['x.txt', 'write', 'allow'],
    ]);
  });

  it('headless runs answer for themselves; a cancelled turn is not a person’s no', async () => {
    const engine = await engineFromToml(TOML, ws, home);
    const denying = setup(engine, { kind: 'auto', prompt: 'deny' });
    expect((await denying.run('exec_command', { command: 'touch a' })).status).toBe('denied');
    const approving = setup(engine, { kind: 'auto', prompt: 'approve' });
    expect((await approving.run('exec_command', { command: 'touch b' })).status).toBe('ok');

    const broker = new ApprovalBroker();
    const live = setup(engine, { kind: 'interactive', broker });
    const controller = new AbortController();
    const pending = live.run('exec_command', { command: 'touch c' }, controller.signal);
    await nextApproval(broker);
    controller.abort();
    expect((await pending).status).toBe('denied');

    expect((await live.written()).map((r) => brief(r.record))).toEqual([
      ['call', 'prompt', 'prompt', expect.stringMatching(/^rule /), null],
      ['approval', 'prompt', 'deny', 'headless deny', 'denied'],
      ['call', 'prompt', 'prompt', expect.stringMatching(/^rule /), null],
      ['approval', 'prompt', 'allow', 'headless approve', 'approved-once'],
      ['call', 'prompt', 'prompt', expect.stringMatching(/^rule /), null],
      ['approval', 'prompt', 'deny', 'user', 'cancelled'],
    ]);
  });

  it('unknown tools and invalid arguments are not decided, so not recorded', async () => {
    const engine = await engineFromToml(TOML, ws, home);
    const { run, written } = setup(engine, { kind: 'auto', prompt: 'deny' });
    expect((await run('no_such_tool', {})).status).toBe('error');
    expect((await run('exec_command', { nope: 1 })).status).toBe('error');
    expect(await written()).toEqual([]);
  });
});

describe('the audit keys, read at each append', () => {
  it('log_allowed_commands, log_denied_commands, log_permission_prompts and audit_enabled', async () => {
    const engine = await engineFromToml(TOML, ws, home);
    let audit: AuditSettings = { ...ON, logAllowed: false };
    const { run, written } = setup(
      engine,
      { kind: 'auto', prompt: 'deny' },
      { audit: () => audit },
    );
    await run('exec_command', { command: 'git status' });
    await run('exec_command', { command: 'rm x' });
    expect((await written()).map((r) => brief(r.record))).toEqual([
      ['call', 'deny', 'deny', 'rule deny_glob rm *', null],
    ]);
    audit = { ...ON, logDenied: false, logPrompts: false };
    await run('exec_command', { command: 'rm y' });
    await run('exec_command', { command: 'touch a' });
    await run('exec_command', { command: 'git status' });
    expect((await written()).map((r) => r.record.decision)).toEqual(['deny', 'allow']);
    audit = { ...ON, enabled: false };
    await run('exec_command', { command: 'git status' });
    await run('exec_command', { command: 'rm z' });
    expect(await written()).toHaveLength(2);
  });

  it('a log that cannot be written is reported and the call goes on', async () => {
    const engine = await engineFromToml(TOML, ws, home);
    mkdirSync(join(ws, '.vtcode'));
    symlinkSync(tempDir('elsewhere-'), join(ws, '.vtcode', 'activity'));
    const { run, errors } = setup(engine, { kind: 'auto', prompt: 'deny' });
    expect((await run('exec_command', { command: 'git status' })).status).toBe('ok');
    expect(errors.join('\n')).toMatch(/symlink/);
  });
});

describe('secrets never reach the log', () => {
  it('a key in a command is redacted in the file and in what listeners hear', async () => {
    const engine = await engineFromToml(TOML, ws, home);
    const redactor = createSecretRedactor();
    const stored = 'stored-secret-value-0123456789';
    redactor.remember(stored);
    const shaped = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123';
    const { run, heard } = setup(
      engine,
      { kind: 'auto', prompt: 'deny' },
      { redact: redactor.redact },
    );
    await run('exec_command', {
      command: `curl -H "Authorization: Bearer ${shaped}" https://api.example.com/${stored}`,
    });
    await run('exec_command', { command: `OPENAI_API_KEY=${shaped} git status` });
    const dir = join(ws, '.vtcode', 'activity');
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    const text = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    expect(text).toContain('[REDACTED]');
    for (const secret of [shaped, stored]) {
      expect(text).not.toContain(secret);
      expect(JSON.stringify(heard)).not.toContain(secret);
    }
  });
});
