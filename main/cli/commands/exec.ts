import type { McpManager } from '../../mcp/mcp-manager';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  agentModeSchema,
  modeFromPrimaryAgent,
  type AgentEvent,
} from '../../../shared/domain/agent';
import { AgentRuntime, type RunningSession } from '../../agent/agent-runtime';
import { ProviderError } from '../../agent/providers/errors';
import { createCredentials } from '../../credentials/credentials';
import { resolveAppPaths } from '../../platform/paths';
import { RunnerService } from '../../runner/runner-service';
import { UsageError, type CliCommand, type CliIo } from '../command';
import { configFiles } from '../../config/config-loader';
import { blockedHostLine } from './blocked-host';
import { trustNotice } from './trust';

/** Exit codes beyond 0/1: the turn hit max_tool_loops or repeated calls; it was interrupted. */
export const EXIT_LOOP_LIMIT = 3;
export const EXIT_CANCELLED = 130;

function oneLine(value: unknown, max = 160): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  // Only the head is shown: collapse the whitespace of that, not of a whole file's text.
  const text = s ?? '';
  const flat = text.slice(0, max * 4).replace(/\s+/g, ' ');
  return flat.length > max || text.length > max * 4 ? `${flat.slice(0, max)}…` : flat;
}

/** Answer text to stdout; tool calls, approvals, retries and errors to stderr. */
function printer(io: CliIo): (event: AgentEvent) => void {
  let atLineStart = true;
  const err = (line: string): void => {
    if (!atLineStart) io.stdout.write('\n');
    atLineStart = true;
    io.stderr.write(`${line}\n`);
  };
  return (e) => {
    switch (e.type) {
      case 'text-delta':
        io.stdout.write(e.text);
        atLineStart = e.text.endsWith('\n');
        break;
      case 'tool-call-started':
        err(`[tool] ${e.tool} ${oneLine(e.args)}`);
        break;
      case 'tool-call-decided':
        if (e.decision !== 'allow') err(`[policy] ${e.decision}: ${e.reason}`);
        break;
      case 'tool-call-finished':
        err(`[tool] ${e.tool} ${e.status} (${Math.round(e.durationMs)} ms): ${oneLine(e.result)}`);
        break;
      case 'retry':
        err(`[retry] attempt ${e.attempt} in ${e.delayMs} ms: ${e.reason}`);
        break;
      case 'context-trimmed':
        err(
          `[context] trimmed ${e.droppedMessages} messages (${e.tokensBefore} -> ${e.tokensAfter} tokens)`,
        );
        break;
      case 'error':
        err(`[error] ${e.error.message}`);
        break;
      case 'turn-finished':
        if (!atLineStart) io.stdout.write('\n');
        atLineStart = true;
        break;
      case 'turn-started':
      case 'reasoning-delta':
      case 'tool-call-awaiting-approval':
      case 'approval-resolved':
      case 'file-changed':
      case 'usage':
      case 'history':
      case 'change-reverted':
      case 'grants-changed':
        break;
    }
  };
}

export const execCommand: CliCommand = {
  name: 'exec',
  summary: 'Run one agent turn headless: tools, policy and sandbox included; the answer to stdout',
  usage: `vtcode-desktop exec --workspace DIR [--provider P] [--model M] [--base-url URL] [--config FILE] [--session ID] [--mode MODE] [--yes] "PROMPT"

  --provider P      openai, anthropic, gemini, openrouter, deepseek, xai, moonshot, ollama or a
                    [[custom_providers]] name (default: [agent] provider)
  --model M         the model (default: [agent] default_model)
  --base-url URL    send requests here instead of the provider's API
  --session ID      continue an earlier session of this workspace
  --mode MODE       plan (read only), ask (the policy as written; default), auto_edit (file
                    edits inside the workspace without asking) or full_auto (what would ask is
                    allowed); denials, protected files and the sandbox always hold
  --yes             approve calls the policy would ask about (denied calls stay denied)

Tool calls go to stderr. The session is saved under DIR/.vtcode/sessions/. Exit code: 0 done,
1 failed, 3 stopped by max_tool_loops or repeated calls, 130 interrupted.`,

  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        workspace: { type: 'string' },
        provider: { type: 'string' },
        model: { type: 'string' },
        'base-url': { type: 'string' },
        config: { type: 'string' },
        session: { type: 'string' },
        mode: { type: 'string' },
        yes: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: true,
    });
    if (!values.workspace) throw new UsageError('--workspace DIR is required');
    const prompt = positionals.join(' ').trim();
    if (!prompt) throw new UsageError('no prompt given');
    const mode = agentModeSchema.optional().safeParse(values.mode);
    if (!mode.success) throw new UsageError('--mode is plan, ask, auto_edit or full_auto');
    const workspace = resolve(values.workspace);
    const credentials = createCredentials({ env: io.env, keychainTimeoutMs: 3000 });
    const files = configFiles({ workspace, env: io.env, explicit: values.config ?? null });
    const runner = new RunnerService({
      appPaths: resolveAppPaths(io.env),
      hostEnv: io.env,
      tokens: credentials.tokens,
      outputRedactor: credentials.redactor.outputRedactor,
      // Nobody can be asked about a new host here: it is denied, and said so on stderr.
      network: {
        onBlocked: (b) => io.stderr.write(blockedHostLine('vtcode-desktop exec', b, files)),
      },
    });
    const print = printer(io);
    let runtime: AgentRuntime | null = null;
    let servers: McpManager | null = null;
    let running: RunningSession | null = null;
    const onSignal = (): void => running?.session.cancel();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      runtime = await AgentRuntime.open({
        workspace,
        env: io.env,
        explicitConfig: values.config ?? null,
        keys: credentials.keys,
        redact: credentials.redactor.redact,
        runner,
        approvals: { kind: 'auto', prompt: values.yes ? 'approve' : 'deny' },
        onEvent: (_id, e) => print(e),
        moreTools: () => servers?.tools() ?? new Map(),
      });
      // The workspace's MCP servers, up (or failed, said below) before the first request. With
      // MCP off (the default) or no server declared, the MCP code is not even loaded.
      const open = runtime;
      const mcp = runtime.configStore.current().mcp;
      if (mcp.enabled && mcp.providers.length > 0) {
        const { startCliServers } = await import('../../mcp/cli-servers');
        servers = await startCliServers({
          workspace,
          engine: () => open.policy,
          runner,
          credentials,
          paths: resolveAppPaths(io.env),
        });
        for (const s of (await servers.list()).servers)
          if (s.status === 'error')
            io.stderr.write(`[mcp] ${s.name}: ${s.lastError ?? 'failed'}\n`);
      }
      if (!values.config) io.stderr.write(trustNotice(workspace, io.env));
      for (const w of runtime.warnings) io.stderr.write(`[config] ${w}\n`);
      const choice = {
        provider: values.provider ?? null,
        model: values.model ?? null,
        baseUrl: values['base-url'] ?? null,
      };
      running = values.session
        ? await runtime.resumeSession(values.session, choice)
        : await runtime.startSession(choice);
      for (const w of running.warnings) io.stderr.write(`[session] ${w}\n`);
      io.stderr.write(`[session] ${running.id}\n`);
      // Without --mode: [agent] default_primary_agent (VT Code's build/plan/auto), else ask.
      const turnMode =
        mode.data ?? modeFromPrimaryAgent(runtime.policy.config.agent.defaultPrimaryAgent);
      const result = await running.runTurn(prompt, turnMode);
      switch (result.outcome) {
        case 'completed':
          return 0;
        case 'failed':
          return 1;
        case 'loop-limit':
          return EXIT_LOOP_LIMIT;
        case 'cancelled':
          return EXIT_CANCELLED;
      }
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      io.stderr.write(`vtcode-desktop exec: ${credentials.redactor.redact(error.message)}\n`);
      if (error.kind === 'config') {
        io.stderr.write(
          'Set [agent] provider and default_model in vtcode.toml, or pass --provider and --model.\n',
        );
      }
      return error.kind === 'config' ? 2 : 1;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      running?.close();
      runtime?.close();
      await servers?.dispose();
      await runner.dispose();
    }
  },
};
