import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { constants } from 'node:os';
import { resolveAppPaths } from '../../platform/paths';
import { RunRefusedError, RunnerService } from '../../runner/runner-service';
import { SandboxUnavailableError } from '../../runner/sandbox-check';
import { DEFAULT_RUNNER_SETTINGS, type RunnerSandboxSettings } from '../../runner/settings';
import { RunnerConfigError, runnerSettingsFromToml } from '../../runner/settings-from-toml';
import { UsageError, type CliCommand } from '../command';

/** Exit code for a command that was refused or could not be sandboxed (as shells use 126). */
export const EXIT_REFUSED = 126;

export type PolicyVerdict =
  | { readonly decision: 'allow' }
  | { readonly decision: 'prompt'; readonly reason: string }
  | { readonly decision: 'deny'; readonly reason: string };

/** What the CLI asks before running a command. */
export type PolicyGate = (
  command: string,
  workspace: string,
  configFile: string | null,
) => Promise<PolicyVerdict>;

/**
 * POLICY INTEGRATION POINT: main/policy had not landed when this command was written. Until it is
 * wired here, every command needs the human's say-so (`--yes`), as `[security]
 * human_in_the_loop = true` asks for a command no rule allows.
 */
export const policyGateUntilPolicyEngineLands: PolicyGate = () =>
  Promise.resolve({
    decision: 'prompt',
    reason: 'no policy rule allows it (the policy engine is not wired into the CLI yet)',
  });

async function loadSettings(configFile: string | null): Promise<RunnerSandboxSettings> {
  if (!configFile) return DEFAULT_RUNNER_SETTINGS;
  let text: string;
  try {
    text = await readFile(configFile, 'utf8');
  } catch (error) {
    throw new RunnerConfigError(
      `cannot read ${configFile}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return runnerSettingsFromToml(text);
}

function exitCodeOf(exitCode: number | null, signal: string | null): number {
  if (exitCode !== null) return exitCode;
  const n = signal ? constants.signals[signal as NodeJS.Signals] : undefined;
  return 128 + (n ?? 1);
}

/** Build the `run` command; tests pass their own policy gate. */
export function createRunCommand(gate: PolicyGate = policyGateUntilPolicyEngineLands): CliCommand {
  return {
    name: 'run',
    summary: 'Run one command in the sandbox and exit with its exit code',
    usage: `vtcode-desktop run --workspace DIR [--config FILE] [--yes] -- "COMMAND"

  --workspace DIR   the workspace: the command runs there and may write only there
  --config FILE     a vtcode.toml whose [sandbox], [sandbox.network], [sandbox.sensitive_paths],
                    [timeouts] and [pty] apply (default: sandboxed, no network)
  --yes             approve a command the policy would ask about (a denied one is still refused)

Output streams to stdout; the runner's own notices go to stderr. Exit code: the command's,
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
      const configFile = values.config ? resolve(values.config) : null;

      let settings: RunnerSandboxSettings;
      try {
        settings = await loadSettings(configFile);
      } catch (error) {
        if (!(error instanceof RunnerConfigError)) throw error;
        io.stderr.write(`vtcode-desktop run: invalid config: ${error.message}\n`);
        return 2;
      }

      const verdict = await gate(command, workspace, configFile);
      if (verdict.decision === 'deny') {
        io.stderr.write(`vtcode-desktop run: refused by policy: ${verdict.reason}\n`);
        return EXIT_REFUSED;
      }
      if (verdict.decision === 'prompt' && !values.yes) {
        io.stderr.write(`vtcode-desktop run: refused: ${verdict.reason}. Approve it with --yes.\n`);
        return EXIT_REFUSED;
      }

      const service = new RunnerService({ appPaths: resolveAppPaths(io.env), hostEnv: io.env });
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
