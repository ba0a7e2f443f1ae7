import type { Services } from '../../core/services';
import { checkHost } from '../../policy/host-check';
import { previewHostAlways } from '../../policy/host-always';
import type { HandlerMap } from '../router';
import { requireWorkspace } from './require-workspace';

/** policy:* handlers, always about the caller's open workspace. */
export function policyHandlers(
  services: Services,
): Pick<
  HandlerMap,
  | 'policy:get'
  | 'policy:check'
  | 'policy:save'
  | 'policy:get-agent-settings'
  | 'policy:check-host'
  | 'policy:preview-host-always'
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
    'policy:get-agent-settings': async (_request, context) =>
      (await policyOf(context)).agentSettings(),
    'policy:check-host': async (request, context) =>
      checkHost((await policyOf(context)).current().config, request),
    'policy:preview-host-always': async ({ host, port, target }, context) =>
      previewHostAlways((await policyOf(context)).configStore, target, host, port),
  };
}
