import type { Services } from '../../core/services';
import type { HandlerMap } from '../router';

/** keys:* handlers: statuses and masks out, keys in; no handler ever returns a key. */
export function keysHandlers(
  services: Services,
): Pick<HandlerMap, 'keys:list' | 'keys:set' | 'keys:delete' | 'keys:test' | 'keys:import-env'> {
  const { store } = services.credentials;
  return {
    // With a workspace open, its `[[custom_providers]]` get a row too (keys are per provider).
    'keys:list': async (_request, { client }) => {
      const workspace = client.state.workspace;
      if (!workspace) return store.list();
      const view = await (await services.policy.forWorkspace(workspace.path)).agentSettings();
      const custom = [...view.files.user.customProviders, ...view.files.workspace.customProviders];
      return store.list(
        custom.map((p) => ({
          name: p.name,
          ...(p.baseUrl ? { baseUrl: p.baseUrl } : {}),
          ...(p.apiKeyEnv ? { apiKeyEnv: p.apiKeyEnv } : {}),
        })),
      );
    },
    'keys:set': ({ provider, key, sessionOnly }) => store.set(provider, key, { sessionOnly }),
    'keys:delete': ({ provider }) => store.delete(provider),
    'keys:test': ({ provider }) => store.test(provider),
    'keys:import-env': ({ provider }) => store.importFromEnvironment(provider),
  };
}
