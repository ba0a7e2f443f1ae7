import { importApply, importPreview } from '../../core/policy-import';
import type { Services } from '../../core/services';
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
  | 'policy:import-preview'
  | 'policy:import-apply'
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
    'policy:import-preview': async (request, context) =>
      importPreview(await policyOf(context), request),
    'policy:import-apply': async (request, context) =>
      importApply(await policyOf(context), request),
  };
}
