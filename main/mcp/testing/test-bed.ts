import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createCredentials, type Credentials } from '../../credentials/credentials';
import { memoryKeychain } from '../../credentials/memory-keychain';
import { resolveAppPaths } from '../../platform/paths';
import { RunnerService } from '../../runner/runner-service';
import { trustForTests } from '../../workspace/trust-testing';
import type { McpManager } from '../mcp-manager';
import { managerFor } from './manager-fixture';

/** A temp home and workspace, an in-memory keychain and a real runner for a file of MCP tests. */
export interface McpTestBed {
  readonly root: string;
  readonly ws: string;
  readonly credentials: Credentials;
  readonly runner: RunnerService;
  env(): NodeJS.ProcessEnv;
  /** A manager over the user file `userToml`, its servers started; stopped after the tests. */
  open(userToml: string): Promise<McpManager>;
}

/**
 * Set up the bed before the file's tests (then `prepare`, e.g. folders in the workspace) and take
 * it down after them. The workspace is trusted unless `trusted` is false.
 */
export function mcpTestBed(
  prefix: string,
  prepare: (bed: McpTestBed) => Promise<void> | void = () => undefined,
  options: { readonly trusted?: boolean } = {},
): McpTestBed {
  let root = '';
  let credentials: Credentials | null = null;
  let runner: RunnerService | null = null;
  const managers: McpManager[] = [];
  const bed: McpTestBed = {
    get root() {
      return root;
    },
    get ws() {
      return join(root, 'ws');
    },
    get credentials() {
      if (!credentials) throw new Error('the test bed is set up before the tests');
      return credentials;
    },
    get runner() {
      if (!runner) throw new Error('the test bed is set up before the tests');
      return runner;
    },
    env: () => ({
      PATH: process.env.PATH,
      HOME: join(root, 'home'),
      VTCODE_DESKTOP_HOME: join(root, 'app'),
    }),
    async open(userToml) {
      const { manager } = await managerFor({
        env: bed.env(),
        workspace: bed.ws,
        userToml,
        runner: bed.runner,
        credentials: bed.credentials,
      });
      managers.push(manager);
      return manager;
    },
  };
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), prefix));
    await mkdir(bed.ws, { recursive: true });
    if (options.trusted !== false) trustForTests(bed.env(), bed.ws);
    credentials = createCredentials({ env: bed.env(), backend: memoryKeychain() });
    runner = new RunnerService({ appPaths: resolveAppPaths(bed.env()), hostEnv: bed.env() });
    await prepare(bed);
  }, 30_000);
  afterAll(async () => {
    await Promise.all(managers.map((m) => m.dispose()));
    await runner?.dispose();
    await rm(root, { recursive: true, force: true });
  });
  return bed;
}
