import type { Services } from '../../core/services';
import type { HandlerMap } from '../router';

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
    'keys:test': ({ provider }) => store.test(provider),
    'keys:import-env': ({ provider }) => store.importFromEnvironment(provider),
  };
}
