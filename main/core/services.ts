import type { HostKind } from '../../shared/domain/app';
import { createCredentials, type Credentials } from '../credentials/credentials';
import { defaultProbes, HealthService, keychainProbe } from '../health/health-service';
import type { Logger } from '../log/logger';
import type { AppPaths } from '../platform/paths';
import { RunnerService } from '../runner/runner-service';
import { TrustStore } from '../workspace/trust-store';
import { WorkspaceService } from '../workspace/workspace-service';
import { ActivityService } from './activity-service';
import { AgentService } from './agent-service';
import { ModelService } from './model-service';
import { PolicyService } from './policy-service';
import { RunOwners } from './run-owners';
import { APP_NAME, APP_VERSION } from './version';
import { WhatIfRunner } from '../activity/what-if';
import { McpApprovals } from '../mcp/mcp-approvals';
import { McpService } from '../mcp/mcp-service';

/** Things only one host can do (a native folder dialog); absent in browser mode. */
export interface HostCapabilities {
  readonly kind: HostKind;
  readonly electronVersion: string | null;
  pickFolder?: () => Promise<string | null>;
  /**
   * Ask where to save a file with a native save dialog and write `content` there; the chosen path,
   * or null when cancelled. Absent in browser mode (the page downloads instead).
   */
  saveFile?: (suggestedName: string, content: string) => Promise<string | null>;
}

/** Every main-process service, created once per host and shared by all of its clients. */
export interface Services {
  readonly name: string;
  readonly version: string;
  readonly paths: AppPaths;
  readonly logger: Logger;
  readonly host: HostCapabilities;
  readonly workspaces: WorkspaceService;
  readonly health: HealthService;
  readonly policy: PolicyService;
  readonly runner: RunnerService;
  readonly runOwners: RunOwners;
  readonly credentials: Credentials;
  readonly agents: AgentService;
  readonly models: ModelService;
  /** Each open workspace's activity log (decisions and answers, who decided). */
  readonly activity: ActivityService;
  /** The what-if panel's replays of past decisions under unsaved edits. */
  readonly whatIf: WhatIfRunner;
  /** Each open workspace's MCP servers (sandboxed), their tools under the policy. */
  readonly mcp: McpService;
  /** Stop every run and watcher (app quit, host stop). */
  close(): Promise<void>;
}

/** Create the services; no Electron here, so the browser-mode host and tests use the same code. */
export function createServices(options: {
  paths: AppPaths;
  logger: Logger;
  host: HostCapabilities;
  env?: NodeJS.ProcessEnv;
  /** Tests pass credentials over an in-memory keychain. */
  credentials?: Credentials;
}): Services {
  const { paths, logger, host } = options;
  const env = options.env ?? process.env;
  const credentials = options.credentials ?? createCredentials({ env, logger });
  const runner = new RunnerService({
    appPaths: paths,
    hostEnv: env,
    logger,
    tokens: credentials.tokens,
    outputRedactor: credentials.redactor.outputRedactor,
    // Every host decision (a person's answer, a grant, a denial) goes to the activity log.
    network: { onRecord: (r) => activity.recordHost(r) },
  });
  const runOwners = new RunOwners(runner);
  const policy = new PolicyService({ paths, env, logger });
  const whatIf = new WhatIfRunner(paths);
  const trust = TrustStore.inDataDir(paths.dataDir);
  const models = new ModelService({
    env,
    credentials,
    logger,
    // Open workspaces read the user file at once: what the header shows is what runs.
    userFileSaved: () => policy.reloadAll(),
  });
  const activity = new ActivityService({
    paths,
    policy,
    redact: credentials.redactor.redact,
    logger,
  });
  const mcp = new McpService({
    policy,
    runner,
    secrets: credentials.mcpSecrets,
    approvals: new McpApprovals(paths.dataDir),
    redact: credentials.redactor.redact,
    version: APP_VERSION,
  });
  return {
    name: APP_NAME,
    version: APP_VERSION,
    paths,
    logger,
    host,
    workspaces: new WorkspaceService({
      configDir: paths.configDir,
      home: paths.home,
      logger,
      trust,
    }),
    health: new HealthService([
      ...defaultProbes(),
      keychainProbe(async () => (await credentials.store.list()).keychain),
    ]),
    policy,
    runner,
    runOwners,
    credentials,
    models,
    activity,
    agents: new AgentService({
      env,
      credentials,
      runner,
      runOwners,
      logger,
      policy,
      activity,
      mcp,
    }),
    whatIf,
    mcp,
    close: async () => {
      whatIf.close();
      runOwners.close();
      await mcp.dispose();
      await runner.dispose();
      await policy.close();
    },
  };
}
