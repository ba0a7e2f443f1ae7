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
  | 'policy:lint'
  | 'policy:explain'
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
    'policy:lint': async (_request, context) =>
      services.policy.lint(requireWorkspace(context).path),
    'policy:explain': async ({ sessionId, mode }, context) => {
      const workspace = requireWorkspace(context).path;
      const grants = sessionId
        ? await services.agents.grantsOf(context.client, workspace, sessionId)
        : [];
      return services.policy.explain(workspace, { mode, sessionId: sessionId ?? null, grants });
    },
  };
}
