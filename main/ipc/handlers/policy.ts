import { BridgeError } from '../../../shared/ipc/errors';
import { sessionTitles } from '../../activity/session-titles';
import { importApply, importPreview } from '../../core/policy-import';
import type { Services } from '../../core/services';
import { checkHost } from '../../policy/host-check';
import { previewHostAlways } from '../../policy/host-always';
import { AlwaysAllowError, deriveAlwaysAllowRules } from '../../policy/always-allow';
import type { HandlerMap } from '../router';
import { requireWorkspace } from './require-workspace';

type PolicyChannels =
  | 'policy:get'
  | 'policy:check'
  | 'policy:save'
  | 'policy:get-agent-settings'
  | 'policy:list-activity'
  | 'policy:preview-activity-rule'
  | 'policy:import-preview'
  | 'policy:import-apply'
  | 'policy:check-host'
  | 'policy:preview-host-always'
  | 'policy:lint'
  | 'policy:explain'
  | 'policy:what-if';

/** policy:* handlers, always about the caller's open workspace. */
export function policyHandlers(services: Services): Pick<HandlerMap, PolicyChannels> {
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
    'policy:list-activity': async (request, context) => {
      const workspace = requireWorkspace(context).path;
      const log = await services.activity.forWorkspace(workspace);
      let page;
      try {
        page = await log.query(request);
      } catch (error) {
        // A planted symlink or an unreadable folder: said as it is, never followed.
        throw new BridgeError(
          'unavailable',
          `The activity log cannot be read: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      const ids = page.records.flatMap((r) => (r.record.sessionId ? [r.record.sessionId] : []));
      return { ...page, sessions: await sessionTitles(workspace, ids) };
    },
    'policy:preview-activity-rule': async ({ command, scope }, context) => {
      const engine = (await policyOf(context)).current();
      try {
        const rules = deriveAlwaysAllowRules(engine, command, scope);
        return rules.length > 0
          ? { rules, refusal: null }
          : { rules, refusal: 'the rules in force already allow every part of this command' };
      } catch (error) {
        if (error instanceof AlwaysAllowError) return { rules: [], refusal: error.message };
        throw error;
      }
    },
    'policy:import-preview': async (request, context) =>
      importPreview(await policyOf(context), request),
    'policy:import-apply': async (request, context) =>
      importApply(await policyOf(context), request),
    'policy:check-host': async (request, context) =>
      checkHost((await policyOf(context)).current().config, request),
    'policy:preview-host-always': async ({ host, port, target }, context) =>
      previewHostAlways((await policyOf(context)).configStore, target, host, port),
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
