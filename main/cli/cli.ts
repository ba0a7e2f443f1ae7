import { APP_VERSION } from '../core/version';
import { HostConfigError } from '../host/host-config-error';
import { UsageError, type CliCommand, type CliIo } from './command';

/**
 * Every command of `vtcode-desktop`, by name; later features add theirs here. Each is imported
 * only when it runs (issue 18): `exec` need not load the host, the WebSocket server or the policy
 * tools before its first model request. The order is the order of the help.
 */
const commandLoaders: Readonly<Record<string, () => Promise<CliCommand>>> = {
  serve: async () => (await import('./commands/serve')).serveCommand,
  keys: async () => (await import('./commands/keys')).keysCommand,
  tokens: async () => (await import('./commands/tokens')).tokensCommand,
  policy: async () => (await import('./commands/policy')).policyCommand,
  mcp: async () => (await import('./commands/mcp')).mcpCommand,
  run: async () => (await import('./commands/run')).runCommand,
  exec: async () => (await import('./commands/exec')).execCommand,
  trust: async () => (await import('./commands/trust')).trustCliCommand,
  untrust: async () => (await import('./commands/trust')).untrustCliCommand,
  'scripted-provider': async () =>
    (await import('./commands/scripted-provider')).scriptedProviderCommand,
};

/** Every command, loaded (for the help and tests). */
export async function loadCommands(): Promise<readonly CliCommand[]> {
  return Promise.all(Object.values(commandLoaders).map((load) => load()));
}

async function help(): Promise<string> {
  const commands = await loadCommands();
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
    io.stdout.write(await help());
    return first === undefined ? 2 : 0;
  }
  if (first === '-v' || first === '--version') {
    io.stdout.write(`${APP_VERSION}\n`);
    return 0;
  }
  const load = Object.hasOwn(commandLoaders, first) ? commandLoaders[first] : undefined;
  if (!load) {
    io.stderr.write(`Unknown command: ${first}\n\n${await help()}`);
    return 2;
  }
  const command = await load();
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
