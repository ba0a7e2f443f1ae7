import type { Services } from '../../core/services';
import type { HandlerMap } from '../router';

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
    'health:check': () => services.health.check(),
  };
}
