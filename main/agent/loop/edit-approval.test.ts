import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../shared/domain/agent';
import { configFiles } from '../../config/config-loader';
import { createConfigStore, type ConfigStore } from '../../config/config-store';
import { createPolicyEngine, type PolicyEngine } from '../../policy/engine';
import { createShellParser } from '../../policy/shell-parser';
import { tempDir } from '../../policy/test-helpers';
import { trustForTests } from '../../workspace/trust-testing';
import { DEFAULT_RUNNER_SETTINGS } from '../../runner/settings';
import type { ModelToolCall } from '../providers/model-step';
import { agentTools } from '../tools/registry';
import { ApprovalBroker } from './approval-broker';
import { Checkpoints } from './checkpoints';
import { PREVIEW_LIMITS } from './edit-preview';
import { ToolExecutor } from './tool-executor';

const stores: ConfigStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

/** A workspace with a live config store, an executor that asks a broker, and its events. */
async function setup(options: { toml?: string; trusted?: boolean } = {}) {
  const root = tempDir('edit-approval-');
  const ws = join(root, 'ws');
  mkdirSync(ws);
  const env = { VTCODE_DESKTOP_HOME: join(root, 'app'), HOME: join(root, 'home') };
  const file = join(ws, 'vtcode.toml');
  writeFileSync(file, options.toml ?? '');
  if (options.trusted !== false) trustForTests(env, ws);
  const store = await createConfigStore(configFiles({ workspace: ws, env }));
  stores.push(store);
  const parser = await createShellParser();
  const engine = (): PolicyEngine =>
    createPolicyEngine({
      config: store.current(),
      parser,
      workspace: ws,
      home: env.HOME,
      appDirs: [],
    });
  const broker = new ApprovalBroker();
  const events: AgentEvent[] = [];
  const ex = new ToolExecutor({
    workspace: ws,
    policy: engine,
    tools: agentTools(),
    approvals: { kind: 'interactive', broker },
    runner: null,
    runnerSettings: () => DEFAULT_RUNNER_SETTINGS,
    checkpoints: new Checkpoints(),
    alwaysAllowTarget: { store, file },
    fetch,
    redact: (t) => t,
    emit: (e) => events.push(e),
  });
  let n = 0;
  const run = (toolName: string, input: unknown) => {
    const call: ModelToolCall = { callId: `c${++n}`, toolName, input, parseError: null };
    return ex.run(call, 't1', 0, new AbortController().signal);
  };
  /** The approval event of the call now waiting (after the broker was asked). */
  const asked = async () => {
    const deadline = Date.now() + 5000;
    while (broker.list().length === 0) {
      if (Date.now() > deadline) throw new Error('no approval was asked for');
      await new Promise((r) => setTimeout(r, 2));
    }
    const pending = broker.list()[0]!;
    const event = events.findLast(
      (e) => e.type === 'tool-call-awaiting-approval' && e.approvalId === pending.approvalId,
    );
    if (event?.type !== 'tool-call-awaiting-approval') throw new Error('no approval event');
    return event;
  };
  return { ws, file, store, broker, events, run, asked };
}

describe('a file edit shows its diff before it is approved', () => {
  it('edit_file: removed and added lines, nothing written while it waits', async () => {
    const s = await setup();
    writeFileSync(join(s.ws, 'calc.js'), 'function add(a, b) {\n  return a - b;\n}\n');
    const pending = s.run('edit_file', {
      path: 'calc.js',
      old_str: 'return a - b;',
      new_str: 'return a + b;',
    });
    const ask = await s.asked();
    expect(ask.edits?.error).toBeNull();
    const [f] = ask.edits?.files ?? [];
    expect(f).toMatchObject({
      path: 'calc.js',
      change: 'modify',
      inWorkspace: true,
      warning: null,
    });
    expect(f?.lines).toEqual(
      expect.arrayContaining([
        { kind: 'del', text: '  return a - b;' },
        { kind: 'add', text: '  return a + b;' },
      ]),
    );
    expect(ask.allowEdits).toEqual({ offered: true, why: null });
    expect(ask.sandbox).toBeNull();
    expect(readFileSync(join(s.ws, 'calc.js'), 'utf8')).toContain('a - b');
    s.broker.answer({ approvalId: ask.approvalId, answer: 'approve-once' });
    expect((await pending).status).toBe('ok');
    expect(readFileSync(join(s.ws, 'calc.js'), 'utf8')).toContain('a + b');
  });

  it("never reads a file the agent may not read into the dialog (a secret's contents stay out)", async () => {
    const s = await setup();
    const outside = join(s.ws, '..', 'notes.txt');
    writeFileSync(outside, 'private: hunter2-outside\n');
    writeFileSync(join(s.ws, '.env'), 'API_TOKEN=hunter2-dotenv\n');
    let asked = 0;
    for (const path of ['../notes.txt', '.env']) {
      const pending = s.run('write_file', { path, content: 'replaced\n' });
      const settled = await Promise.race([
        pending.then(() => 'settled' as const),
        s.asked().then(() => 'asked' as const),
      ]);
      if (settled === 'asked') {
        const ask = await s.asked();
        const text = JSON.stringify(ask);
        expect(text).not.toContain('hunter2');
        expect(ask.edits?.files[0]?.note).toContain('current contents are not shown');
        const lines = ask.edits?.files[0]?.lines ?? [];
        expect(lines.filter((l) => l.kind !== 'hunk')).toEqual([{ kind: 'add', text: 'replaced' }]);
        asked += 1;
        s.broker.answer({ approvalId: ask.approvalId, answer: 'deny' });
      }
      await pending;
      expect(JSON.stringify(s.events)).not.toContain('hunter2');
    }
    // At least one of them asks (the other may be refused outright): the dialog was exercised.
    expect(asked).toBeGreaterThan(0);
    expect(readFileSync(outside, 'utf8')).toContain('hunter2-outside');
  });

  it('write_file of a new file shows all of it as added', async () => {
    const s = await setup();
    const pending = s.run('write_file', { path: 'src/new.txt', content: 'one\ntwo\n' });
    const ask = await s.asked();
    expect(ask.edits?.files[0]).toMatchObject({ change: 'add', added: 2, removed: 0 });
    s.broker.answer({ approvalId: ask.approvalId, answer: 'deny' });
    expect((await pending).status).toBe('denied');
  });

  it('apply_patch: each file, a move, and a patch that does not apply says so', async () => {
    const s = await setup();
    writeFileSync(join(s.ws, 'a.txt'), 'x\ny\n');
    writeFileSync(join(s.ws, 'b.txt'), 'keep\n');
    const patch = [
      '*** Begin Patch',
      '*** Update File: a.txt',
      '@@',
      ' x',
      '-y',
      '+z',
      '*** Add File: c.txt',
      '+new',
      '*** Delete File: b.txt',
      '*** End Patch',
    ].join('\n');
    const pending = s.run('apply_patch', { input: patch });
    const ask = await s.asked();
    expect(ask.edits?.files.map((f) => [f.path, f.change])).toEqual([
      ['a.txt', 'modify'],
      ['c.txt', 'add'],
      ['b.txt', 'delete'],
    ]);
    s.broker.answer({ approvalId: ask.approvalId, answer: 'deny' });
    await pending;

    const bad = s.run('apply_patch', {
      input: '*** Begin Patch\n*** Update File: a.txt\n@@\n-not there\n+q\n*** End Patch',
    });
    const badAsk = await s.asked();
    expect(badAsk.edits?.files).toEqual([]);
    expect(badAsk.edits?.error).toMatch(/a\.txt/);
    s.broker.answer({ approvalId: badAsk.approvalId, answer: 'deny' });
    await bad;
  });

  it('a large diff is cut, with a note', async () => {
    const s = await setup();
    const content = Array.from({ length: 3000 }, (_, i) => `line ${i}`).join('\n');
    const pending = s.run('write_file', { path: 'big.txt', content });
    const ask = await s.asked();
    const f = ask.edits?.files[0];
    expect(f?.lines.length).toBe(PREVIEW_LIMITS.linesPerFile);
    expect(f?.added).toBe(3000);
    expect(f?.note).toMatch(/not shown/);
    s.broker.answer({ approvalId: ask.approvalId, answer: 'deny' });
    await pending;
  });
});

describe('always allow edits in this workspace', () => {
  it('saves allow for the edit tools; the next edit runs without asking, protected files still ask', async () => {
    const s = await setup({ toml: '[tools.policies]\ncreate_file = "prompt"\n' });
    mkdirSync(join(s.ws, '.git'));
    writeFileSync(join(s.ws, '.git', 'config'), '[core]\n');
    writeFileSync(join(s.ws, 'a.txt'), 'a\n');
    const first = s.run('write_file', { path: 'a.txt', content: 'b\n' });
    const ask = await s.asked();
    s.broker.answer({ approvalId: ask.approvalId, answer: 'approve-edits' });
    expect((await first).status).toBe('ok');
    const resolved = s.events.findLast((e) => e.type === 'approval-resolved');
    expect(resolved).toMatchObject({ outcome: 'approved-always' });
    const toml = readFileSync(s.file, 'utf8');
    // The file's own spelling is kept for write_file (create_file), the others are added.
    expect(toml).toContain('create_file = "allow"');
    expect(toml).toContain('edit_file = "allow"');
    expect(toml).toContain('apply_patch = "allow"');
    await new Promise((r) => setTimeout(r, 50));

    expect((await s.run('edit_file', { path: 'a.txt', old_str: 'b', new_str: 'c' })).status).toBe(
      'ok',
    );
    expect(s.broker.list()).toEqual([]);

    for (const [tool, input] of [
      ['write_file', { path: '.vscode/settings.json', content: '{}' }],
      [
        'apply_patch',
        { input: '*** Begin Patch\n*** Add File: .vscode/tasks.json\n+{}\n*** End Patch' },
      ],
    ] as const) {
      const pending = s.run(tool, input);
      const again = await s.asked();
      expect(again.edits?.files[0]?.warning, tool).toBeTruthy();
      s.broker.answer({ approvalId: again.approvalId, answer: 'deny' });
      expect((await pending).status).toBe('denied');
    }
    // git's own config is stronger than a prompt: never written by the agent, allowed edits or not.
    const git = await s.run('write_file', { path: '.git/config', content: '[core]\n' });
    expect(git.status).toBe('denied');
    expect(s.broker.list()).toEqual([]);
    expect(readFileSync(join(s.ws, '.git', 'config'), 'utf8')).toBe('[core]\n');
  });

  it('is not offered in an untrusted folder (its edits are refused there anyway)', async () => {
    const s = await setup({ trusted: false });
    const r = await s.run('write_file', { path: 'a.txt', content: 'x' });
    expect(r.status).toBe('denied');
    expect(s.broker.list()).toEqual([]);
  });

  it('is not offered for commands, and an approve-edits answer to a command is approved once', async () => {
    const s = await setup();
    const pending = s.run('exec_command', { command: 'touch x' });
    const ask = await s.asked();
    expect(ask.allowEdits).toBeNull();
    expect(ask.edits).toBeNull();
    s.broker.answer({ approvalId: ask.approvalId, answer: 'approve-edits' });
    await pending;
    expect(s.events.findLast((e) => e.type === 'approval-resolved')).toMatchObject({
      outcome: 'approved-once',
    });
    expect(readFileSync(s.file, 'utf8')).toBe('');
  });
});
