import type { Services } from '../../core/services';
import type { HandlerMap } from '../router';
import { requireWorkspace } from './require-workspace';

/** policy:* handlers, always about the caller's open workspace. */
export function policyHandlers(
  services: Services,
): Pick<
  HandlerMap,
  'policy:get' | 'policy:check' | 'policy:save' | 'policy:what-if' | 'policy:get-agent-settings'
> {
  const policyOf = (context: Parameters<typeof requireWorkspace>[0]) =>
    services.policy.forWorkspace(requireWorkspace(context).path);
  return {
    'policy:get': async (_request, context) => (await policyOf(context)).snapshot(),
    'policy:check': async (request, context) => (await policyOf(context)).check(request),
    'policy:save': async ({ target, edits }, context) => {
      const policy = await policyOf(context);
      return policy.save(target, edits);
    },
    'policy:what-if': async (draft, context) => {
      const policy = await policyOf(context);
      const { client } = context;
      // A window that closes stops the replay it still runs.
      client.state.subscriptions.set('policy:what-if', () => services.whatIf.forget(client.id));
      return services.whatIf.run(client.id, policy, draft);
    },
    'policy:get-agent-settings': async (_request, context) =>
      (await policyOf(context)).agentSettings(),
  };
}
