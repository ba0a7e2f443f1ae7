import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { mergeLayers } from '../../config/effective';
import { readLayer } from '../../config/layer';
import { createPolicyEngine, type PolicyEngine } from '../../policy/engine';
import { createLazyShellParser, type LazyShellParser } from '../../policy/shell-parser';
import { engineFromToml, tempDir } from '../../policy/test-helpers';
import type { RunResult } from '../../runner/runner-service';
import { DEFAULT_RUNNER_SETTINGS } from '../../runner/settings';
import { agentTools } from '../tools/registry';
import type { CommandRunner } from '../tools/tool-types';
import { Checkpoints } from './checkpoints';
import { ToolExecutor } from './tool-executor';

// The agent runtime's engine parses shell with a grammar that loads at the first command
// (issue 18): every command must be decided exactly as with the grammar loaded up front.

const TOML = '[commands]\nallow_list = ["echo", "cat", "git status"]\ndeny_list = ["rm -rf"]\n';
let ws: string;
let home: string;

beforeEach(() => {
  ws = tempDir('ready-ws-');
  home = tempDir('ready-home-');
});

function lazyEngine(parser: LazyShellParser): PolicyEngine {
  const layer = readLayer(TOML, { layer: 'workspace', file: join(ws, 'vtcode.toml') });
  return createPolicyEngine({
    config: mergeLayers([layer]),
    parser,
    workspace: ws,
    home,
    appDirs: [],
  });
}

function executor(engine: PolicyEngine, commandsReady: () => Promise<void>) {
  const ran: string[] = [];
  const runner: CommandRunner = {
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
  const ex = new ToolExecutor({
    workspace: ws,
    policy: () => engine,
    commandsReady,
    tools: agentTools({ webFetch: false }),
    approvals: { kind: 'auto', prompt: 'deny' },
    runner,
    runnerSettings: () => DEFAULT_RUNNER_SETTINGS,
    checkpoints: new Checkpoints(),
    alwaysAllowTarget: null,
    fetch,
    redact: (t) => t,
    emit: () => undefined,
  });
  let n = 0;
  const call = async (toolName: string, input: unknown) =>
    (
      await ex.run(
        { callId: `c${++n}`, toolName, input, parseError: null },
        't1',
        0,
        new AbortController().signal,
      )
    ).status;
  const run = (command: string) => call('exec_command', { command });
  return { run, call, ran };
}

describe('commands decided while the shell grammar loads on demand', () => {
  it.each([
    ['echo hi | cat', 'allow'],
    ['git status && rm -rf src', 'deny'],
    ['echo $(rm -rf src)', 'deny'],
    ['echo hi; whoami', 'prompt'],
    ['git status', 'allow'],
  ])(
    'the first command %j is decided as with the grammar loaded (%s)',
    async (command, decision) => {
      const eager = await engineFromToml(TOML, ws, home);
      expect(eager.decideCommand(command).decision).toBe(decision);
      const parser = createLazyShellParser();
      const { run, ran } = executor(lazyEngine(parser), () => parser.ready());
      // Headless without --yes: a prompt is denied.
      expect(await run(command)).toBe(decision === 'allow' ? 'ok' : 'denied');
      expect(ran).toEqual(decision === 'allow' ? [command] : []);
    },
  );

  it('a grammar that cannot load runs no command, and says why', async () => {
    const parser = createLazyShellParser();
    const { run, ran } = executor(lazyEngine(parser), () =>
      Promise.reject(new Error('wasm missing')),
    );
    expect(await run('echo hi | cat')).toBe('error');
    expect(await run('git status')).toBe('error');
    expect(ran).toEqual([]);
  });

  it('file tools never wait for the grammar', async () => {
    writeFileSync(join(ws, 'a.txt'), 'hello\n');
    let asked = 0;
    const { call } = executor(lazyEngine(createLazyShellParser()), () => {
      asked++;
      return Promise.resolve();
    });
    expect(await call('read_file', { path: 'a.txt' })).toBe('ok');
    expect(asked).toBe(0);
    expect(await call('exec_command', { command: 'git status' })).toBe('ok');
    expect(asked).toBe(1);
  });
});
