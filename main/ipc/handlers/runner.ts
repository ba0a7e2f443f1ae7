import { BridgeError } from '../../../shared/ipc/errors';
import type { Services } from '../../core/services';
import { terminalHostAsks } from '../../core/terminal-host-asks';
import { RunRefusedError } from '../../runner/runner-service';
import { SandboxUnavailableError } from '../../runner/sandbox-check';
import { SandboxConflictError } from '../../runner/sandbox';
import { RunnerConfigError, runnerSettingsFromConfig } from '../../runner/settings-from-config';
import type { HandlerMap } from '../router';
import { requireWorkspace } from './require-workspace';

/**
 * runner:* handlers. A person typing a command is the approver of a `prompt` decision, so those
 * run; a `deny` is refused (change the policy to run it). Runs are sandboxed per the policy.
 */
export function runnerHandlers(
  services: Services,
): Pick<
  HandlerMap,
  'runner:start' | 'runner:cancel' | 'runner:list' | 'runner:resize' | 'runner:answer-host'
> {
  return {
    'runner:start': async (request, context) => {
      const workspace = requireWorkspace(context);
      const policy = await services.policy.forWorkspace(workspace.path);
      const verdict = policy.current().decideCommand(request.command);
      if (verdict.decision === 'deny') {
        throw new BridgeError('forbidden', `Refused by policy: ${verdict.reason}`);
      }
      try {
        const settings = runnerSettingsFromConfig(policy.current().config);
        // A host no rule covers is asked about in this window (the terminal keeps no grants).
        const origin = {
          sessionId: null,
          asker: terminalHostAsks(context.client).askerFor(policy.configStore),
          grants: null,
        };
        const runId = await services.runner.start({
          request,
          workspace: workspace.path,
          settings,
          origin,
        });
        services.runOwners.own(runId, context.client);
        const status = services.runner.status(runId);
        if (!status) throw new BridgeError('internal', 'The run ended before it was recorded.');
        return status.summary;
      } catch (error) {
        if (error instanceof RunRefusedError)
          throw new BridgeError('invalid-argument', error.message);
        if (error instanceof RunnerConfigError)
          throw new BridgeError('invalid-argument', error.message);
        if (error instanceof SandboxUnavailableError)
          throw new BridgeError('unavailable', error.message);
        // A removed token still held by running commands (never other network rules: those wait).
        if (error instanceof SandboxConflictError) throw new BridgeError('conflict', error.message);
        throw error;
      }
    },
    'runner:cancel': ({ runId }, { client }) => {
      if (!services.runOwners.owns(runId, client)) {
        throw new BridgeError('not-found', `No run ${runId} of this window is running.`);
      }
      return services.runner.cancel(runId);
    },
    'runner:resize': ({ runId, cols, rows }, { client }) => {
      // Only the window showing its own run may resize it; a finished run answers false.
      if (!services.runOwners.owns(runId, client)) return false;
      return services.runner.resize(runId, cols, rows);
    },
    'runner:answer-host': (answer, { client }) => {
      const result = terminalHostAsks(client).answer(answer);
      if (!result.ok) throw new BridgeError('not-found', `Answer not accepted: ${result.error}`);
      return null;
    },
    'runner:list': (_request, { client }) =>
      services.runner.active().filter((s) => services.runOwners.owns(s.summary.runId, client)),
  };
}
