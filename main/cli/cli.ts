import { APP_VERSION } from '../core/version';
import { HostConfigError } from '../host/host-server';
import { execCommand } from './commands/exec';
import { keysCommand } from './commands/keys';
import { mcpCommand } from './commands/mcp';
import { policyCommand } from './commands/policy';
import { runCommand } from './commands/run';
import { scriptedProviderCommand } from './commands/scripted-provider';
import { serveCommand } from './commands/serve';
import { tokensCommand } from './commands/tokens';
import { trustCliCommand, untrustCliCommand } from './commands/trust';
import { UsageError, type CliCommand, type CliIo } from './command';

/** Every command of `vtcode-desktop`; later features add theirs here. */
export const commands: readonly CliCommand[] = [
  serveCommand,
  keysCommand,
  tokensCommand,
  policyCommand,
  mcpCommand,
  runCommand,
  execCommand,
  trustCliCommand,
  untrustCliCommand,
  scriptedProviderCommand,
];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `vtcode-desktop ${APP_VERSION}: run coding-agent sessions safely`,
    '',
    'Usage: vtcode-desktop <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    "  -h, --help     show this help (or a command's: vtcode-desktop <command> --help)",
    '  -v, --version  print the version',
    '',
  ].join('\n');
}

/** Run the CLI and resolve to an exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    io.stdout.write(help());
    return first === undefined ? 2 : 0;
  }
  if (first === '-v' || first === '--version') {
    io.stdout.write(`${APP_VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === first);
  if (!command) {
    io.stderr.write(`Unknown command: ${first}\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.summary}\n\nUsage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError &&
        'code' in error &&
        String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      io.stderr.write(`${error.message}\n\nUsage: ${command.usage}\n`);
      return 2;
    }
    if (error instanceof HostConfigError) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    io.stderr.write(
      `${command.name} failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
}
