import type { Services } from '../../core/services';
import { parseProviderId } from '../../credentials/providers';
import type { HandlerMap } from '../router';
import { workspaceOf } from './model';

/** keys:* handlers: statuses and masks out, keys in; no handler ever returns a key. */
export function keysHandlers(
  services: Services,
): Pick<HandlerMap, 'keys:list' | 'keys:set' | 'keys:delete' | 'keys:test' | 'keys:import-env'> {
  const { store } = services.credentials;
  return {
    // Custom providers come from the user file only: a workspace file's endpoints get no key.
    'keys:list': () => store.list(),
    'keys:set': ({ provider, key, sessionOnly }) => store.set(provider, key, { sessionOnly }),
    'keys:delete': ({ provider }) => store.delete(provider),
    // Tested as a conversation would use it: the same URL, key and auth (model-service.ts).
    'keys:test': async ({ provider }, context) => {
      const id = parseProviderId(provider);
      const [result, setup] = await Promise.all([
        services.models.test(workspaceOf(context), { provider: id }),
        services.models.describe(workspaceOf(context), { provider: id }),
      ]);
      return {
        provider: id,
        outcome: result.outcome === 'not-set-up' ? 'unexpected-response' : result.outcome,
        message: result.message,
        httpStatus: result.httpStatus,
        source:
          setup.key === 'stored' ? 'keychain' : setup.key === 'environment' ? 'environment' : null,
        endpoint: result.endpoint,
      };
    },
    'keys:import-env': ({ provider }) => store.importFromEnvironment(provider),
  };
}
