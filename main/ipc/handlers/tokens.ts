import type { Services } from '../../core/services';
import { testToken } from '../../core/token-test';
import { runnerSettingsFromConfig } from '../../runner/settings-from-config';
import type { HandlerMap } from '../router';
import { workspaceOf } from './model';

/** tokens:* handlers: bindings and masks out, a token in on set; no handler returns a token. */
export function tokensHandlers(
  services: Services,
): Pick<HandlerMap, 'tokens:list' | 'tokens:set' | 'tokens:delete' | 'tokens:test'> {
  const { tokens, redactor } = services.credentials;
  return {
    'tokens:list': () => tokens.list(),
    'tokens:set': (request) => tokens.set(request),
    'tokens:delete': ({ name }) => tokens.delete(name),
    // As a command in the open workspace would make the request: its sandbox, its network policy.
    'tokens:test': ({ name }, context) => {
      const workspace = workspaceOf(context);
      return testToken({
        name,
        tokens,
        runner: services.runner,
        workspace,
        settings: async () =>
          runnerSettingsFromConfig(
            (await services.policy.forWorkspace(workspace ?? '')).current().config,
          ),
        redact: redactor.redact,
      });
    },
  };
}
