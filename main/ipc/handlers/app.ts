import type { Services } from '../../core/services';
import { modelProbe } from '../../health/health-service';
import type { HandlerMap } from '../router';
import { workspaceOf } from './model';

/** app:* and health:* handlers. */
export function appHandlers(services: Services): Pick<HandlerMap, 'app:get-info' | 'health:check'> {
  return {
    'app:get-info': () => ({
      name: services.name,
      version: services.version,
      host: services.host.kind,
      platform: process.platform,
      nodeVersion: process.versions.node,
      electronVersion: services.host.electronVersion,
      configDir: services.paths.configDir,
      dataDir: services.paths.dataDir,
    }),
    // The model check is about the caller's workspace (its vtcode.toml may pick another one).
    'health:check': (_request, context) =>
      services.health.check([modelProbe(() => services.models.describe(workspaceOf(context)))]),
  };
}
