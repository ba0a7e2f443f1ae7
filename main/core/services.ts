import type { HostKind } from '../../shared/domain/app';
import { HealthService } from '../health/health-service';
import type { Logger } from '../log/logger';
import type { AppPaths } from '../platform/paths';
import { WorkspaceService } from '../workspace/workspace-service';
import { APP_NAME, APP_VERSION } from './version';

/** Things only one host can do (a native folder dialog); absent in browser mode. */
export interface HostCapabilities {
  readonly kind: HostKind;
  readonly electronVersion: string | null;
  pickFolder?: () => Promise<string | null>;
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
}

/** Create the services; no Electron here, so the browser-mode host and tests use the same code. */
export function createServices(options: {
  paths: AppPaths;
  logger: Logger;
  host: HostCapabilities;
}): Services {
  const { paths, logger, host } = options;
  return {
    name: APP_NAME,
    version: APP_VERSION,
    paths,
    logger,
    host,
    workspaces: new WorkspaceService({ configDir: paths.configDir, home: paths.home, logger }),
    health: new HealthService(),
  };
}
