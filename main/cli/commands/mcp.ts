import { parseArgs } from 'node:util';
import { createCredentials, type Credentials } from '../../credentials/credentials';
import { describeServers, startCliServers } from '../../mcp/cli-servers';
import { RunnerService } from '../../runner/runner-service';
import { UsageError, type CliCommand, type CliIo } from '../command';
import { openPolicyContext } from './policy-context';

const USAGE = `vtcode-desktop mcp list --workspace DIR [--config FILE] [--json]

The MCP servers the workspace's vtcode.toml files declare ([[mcp.providers]]), started as the agent
would start them: stdio servers inside the sandbox, HTTP ones under the network policy. For each:
where it was declared, its status (or why it did not start) and its tools, named mcp__server__tool
as the policy sees them, with what the policy decides for each.

  --workspace DIR   the workspace (required)
  --config FILE     use only this file instead of the user's and the workspace's
  --json            print JSON (names of secrets only, never their values)`;

/** What `mcp` is built from (tests pass an in-memory keychain). */
export interface McpCommandDeps {
  readonly createCredentials?: (io: CliIo) => Credentials;
}

async function list(args: readonly string[], io: CliIo, deps: McpCommandDeps): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        workspace: { type: 'string' },
        config: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const context = await openPolicyContext(values, io);
  if (!context) return 1;
  const engine = await context.engine();
  const credentials =
    deps.createCredentials?.(io) ?? createCredentials({ env: io.env, keychainTimeoutMs: 3000 });
  const runner = new RunnerService({ appPaths: context.paths, hostEnv: io.env });
  try {
    const manager = await startCliServers({
      workspace: context.workspace,
      engine: () => engine,
      runner,
      credentials,
      paths: context.paths,
    });
    const servers = await manager.list();
    await manager.dispose();
    io.stdout.write(
      values.json ? `${JSON.stringify(servers, null, 2)}\n` : describeServers(servers),
    );
    return servers.servers.some((s) => s.status === 'error') ? 1 : 0;
  } finally {
    await runner.dispose();
  }
}

/** `vtcode-desktop mcp`. */
export function createMcpCommand(deps: McpCommandDeps = {}): CliCommand {
  return {
    name: 'mcp',
    summary: 'list the MCP servers of a workspace and their tools',
    usage: USAGE,
    async run(args, io) {
      const [sub, ...rest] = args;
      if (sub === 'list') return list(rest, io, deps);
      throw new UsageError(
        sub === undefined ? 'name a subcommand: list' : `unknown subcommand ${sub}`,
      );
    },
  };
}

export const mcpCommand = createMcpCommand();
