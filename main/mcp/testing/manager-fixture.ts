import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { McpList } from '../../../shared/domain/mcp';
import { configFiles } from '../../config/config-loader';
import { createConfigStore } from '../../config/config-store';
import type { Credentials } from '../../credentials/credentials';
import { resolveAppPaths } from '../../platform/paths';
import { createPolicyEngine } from '../../policy/engine';
import { createShellParser } from '../../policy/shell-parser';
import type { RunnerService } from '../../runner/runner-service';
import { McpApprovals } from '../mcp-approvals';
import { McpManager } from '../mcp-manager';
import { TEST_SERVER } from './test-server-path';

/** A `[[mcp.providers]]` block running the test server, plus `extra` keys. */
export const testServerBlock = (name: string, extra = ''): string =>
  `[[mcp.providers]]\nname = "${name}"\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${JSON.stringify(TEST_SERVER)}]\n${extra}\n`;

/**
 * A manager over the user file `userToml` (and the workspace's own vtcode.toml, if any), its
 * servers started and settled. The config is read once: tests make a new manager for new files.
 */
export async function managerFor(o: {
  env: NodeJS.ProcessEnv;
  workspace: string;
  userToml: string;
  runner: RunnerService;
  credentials: Credentials;
  fetch?: typeof fetch;
}): Promise<{ manager: McpManager; lists: McpList[] }> {
  const paths = resolveAppPaths(o.env);
  await mkdir(paths.configDir, { recursive: true });
  // MCP is off unless a file turns it on (as in VT Code); these tests turn it on unless they say.
  const text = /^\[mcp\]$/m.test(o.userToml)
    ? o.userToml
    : `[mcp]\nenabled = true\n\n${o.userToml}`;
  await writeFile(join(paths.configDir, 'vtcode.toml'), text);
  const store = await createConfigStore(configFiles({ workspace: o.workspace, env: o.env }));
  const engine = createPolicyEngine({
    config: store.current(),
    parser: await createShellParser(),
    workspace: o.workspace,
    home: paths.home,
    appDirs: [paths.configDir, paths.dataDir],
  });
  const lists: McpList[] = [];
  const manager = new McpManager({
    workspace: o.workspace,
    engine: () => engine,
    runner: o.runner,
    secrets: o.credentials.mcpSecrets,
    approvals: new McpApprovals(paths.dataDir),
    redact: o.credentials.redactor.redact,
    version: '0.0.0-test',
    onChange: (list) => lists.push(list),
    ...(o.fetch ? { fetch: o.fetch } : {}),
  });
  await manager.reconcile();
  await manager.settled();
  return { manager, lists };
}
