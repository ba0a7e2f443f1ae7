import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { constants } from 'node:os';
import { configFiles, loadConfig } from '../../config/config-loader';
import type { VtcodeConfig } from '../../config/effective';
import { resolveAppPaths } from '../../platform/paths';
import { createPolicyEngine } from '../../policy/engine';
import { createShellParser } from '../../policy/shell-parser';
import { createCredentials } from '../../credentials/credentials';
import { RunRefusedError, RunnerService } from '../../runner/runner-service';
import { SandboxUnavailableError } from '../../runner/sandbox-check';
import { type RunnerSandboxSettings } from '../../runner/settings';
import { RunnerConfigError, runnerSettingsFromConfig } from '../../runner/settings-from-config';
import { UsageError, type CliCommand } from '../command';
import { blockedHostLine } from './blocked-host';
import { trustNotice } from './trust';

/** Exit code for a command that was refused or could not be sandboxed (as shells use 126). */
export const EXIT_REFUSED = 126;

export type PolicyVerdict =
  | { readonly decision: 'allow' }
  | { readonly decision: 'prompt'; readonly reason: string }
  | { readonly decision: 'deny'; readonly reason: string };

/** What the CLI asks before running a command. */
export type PolicyGate = (input: {
  readonly command: string;
  readonly workspace: string;
  readonly config: VtcodeConfig;
  readonly env: NodeJS.ProcessEnv;
}) => Promise<PolicyVerdict>;

/** The tool policy (main/policy): the same decision `policy check` prints. */
export const policyEngineGate: PolicyGate = async ({ command, workspace, config, env }) => {
  const paths = resolveAppPaths(env);
  const engine = createPolicyEngine({
    config,
    parser: await createShellParser(),
    workspace,
    home: paths.home,
    appDirs: [paths.configDir, paths.dataDir],
  });
  const { decision, reason } = engine.decideCommand(command);
  return decision === 'allow' ? { decision } : { decision, reason };
};

function exitCodeOf(exitCode: number | null, signal: string | null): number {
  if (exitCode !== null) return exitCode;
  const n = signal ? constants.signals[signal as NodeJS.Signals] : undefined;
  return 128 + (n ?? 1);
}

/** Build the `run` command; tests pass their own policy gate. */
export function createRunCommand(gate: PolicyGate = policyEngineGate): CliCommand {
  return {
    name: 'run',
    summary: 'Run one command in the sandbox and exit with its exit code',
    usage: `vtcode-desktop run --workspace DIR [--config FILE] [--yes] -- "COMMAND"

  --workspace DIR   the workspace: the command runs there and may write only there
  --config FILE     use only this vtcode.toml (default: the workspace's over the user's); its
                    [commands]/[permissions] decide, its [sandbox], [timeouts] and [pty] apply
  --yes             approve a command the policy would ask about (a denied one is still refused)

Output streams to stdout; the runner's own notices go to stderr. A host the [sandbox.network]
rules do not allow is refused (nobody can be asked here), with a line on stderr naming the
allow-list entry that would allow it. Exit code: the command's,
128+N for a signal, 126 when refused or when the sandbox cannot start.`,

    async run(args, io) {
      const { values, positionals } = parseArgs({
        args: [...args],
        options: {
          workspace: { type: 'string' },
          config: { type: 'string' },
          yes: { type: 'boolean', default: false },
        },
        strict: true,
        allowPositionals: true,
      });
      if (!values.workspace) throw new UsageError('--workspace DIR is required');
      const command = positionals.join(' ');
      if (command.trim().length === 0) throw new UsageError('no command given after --');
      const workspace = resolve(values.workspace);

      const files = configFiles({ workspace, env: io.env, explicit: values.config ?? null });
      const { config, ok } = await loadConfig(files);
      if (!ok) {
        for (const issue of config.issues.filter((i) => i.severity === 'error')) {
          const where = [issue.file, issue.line !== null ? `line ${issue.line}` : null, issue.key]
            .filter(Boolean)
            .join(': ');
          io.stderr.write(`vtcode-desktop run: invalid config: ${where}: ${issue.message}\n`);
        }
        return 2;
      }
      if (!values.config) io.stderr.write(trustNotice(workspace, io.env));
      for (const issue of config.issues.filter((i) => i.severity !== 'error')) {
        const where = [issue.file, issue.line !== null ? `line ${issue.line}` : null, issue.key]
          .filter(Boolean)
          .join(': ');
        io.stderr.write(`[config] ${where}: ${issue.message}\n`);
      }
      let settings: RunnerSandboxSettings;
      try {
        settings = runnerSettingsFromConfig(config);
      } catch (error) {
        if (!(error instanceof RunnerConfigError)) throw error;
        io.stderr.write(`vtcode-desktop run: invalid config: ${error.message}\n`);
        return 2;
      }

      const verdict = await gate({ command, workspace, config, env: io.env });
      if (verdict.decision === 'deny') {
        io.stderr.write(`vtcode-desktop run: refused by policy: ${verdict.reason}\n`);
        return EXIT_REFUSED;
      }
      if (verdict.decision === 'prompt' && !values.yes) {
        io.stderr.write(`vtcode-desktop run: refused: ${verdict.reason}. Approve it with --yes.\n`);
        return EXIT_REFUSED;
      }

      // Bound tokens reach the command as placeholders; what it prints is redacted of them.
      const credentials = createCredentials({ env: io.env, keychainTimeoutMs: 3000 });
      const service = new RunnerService({
        appPaths: resolveAppPaths(io.env),
        hostEnv: io.env,
        tokens: credentials.tokens,
        outputRedactor: credentials.redactor.outputRedactor,
        // Nobody can be asked about a new host here: it is denied, and said so on stderr.
        network: {
          onBlocked: (b) => io.stderr.write(blockedHostLine('vtcode-desktop run', b, files)),
        },
      });
      service.subscribe((event) => {
        if (event.type === 'output') io.stdout.write(event.event.data);
      });
      const onSignal = (): void => {
        for (const run of service.active()) service.cancel(run.summary.runId);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        let runId: string;
        try {
          runId = await service.start({ request: { command }, workspace, settings });
        } catch (error) {
          if (error instanceof SandboxUnavailableError || error instanceof RunRefusedError) {
            io.stderr.write(`vtcode-desktop run: ${error.message}\n`);
            return EXIT_REFUSED;
          }
          throw error;
        }
        const started = service.status(runId);
        if (started && started.summary.sandbox.kind === 'unsandboxed') {
          io.stderr.write(
            '\u001b[31mvtcode-desktop run: running WITHOUT the sandbox ([sandbox] danger_full_access)\u001b[0m\n',
          );
        }
        const { exit } = await service.wait(runId);
        if (exit.droppedBytes > 0) {
          io.stderr.write(
            `vtcode-desktop run: ${exit.droppedBytes} bytes of output were not kept\n`,
          );
        }
        if (exit.outcome !== 'exited' && exit.message) {
          io.stderr.write(`vtcode-desktop run: ${exit.message}\n`);
        }
        return exitCodeOf(exit.exitCode, exit.signal);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await service.dispose();
      }
    },
  };
}

export const runCommand: CliCommand = createRunCommand();
