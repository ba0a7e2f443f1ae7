import { BridgeError } from '../../../shared/ipc/errors';
import type { Services } from '../../core/services';
import { replaceSubscription, type HandlerMap } from '../router';

type WorkspaceChannels =
  | 'workspace:open'
  | 'workspace:get-current'
  | 'workspace:close'
  | 'workspace:list-recent'
  | 'workspace:forget-recent'
  | 'workspace:list-directory'
  | 'workspace:pick-folder'
  | 'workspace:set-trust';

/** workspace:* handlers; the open workspace belongs to the calling window or connection. */
export function workspaceHandlers(services: Services): Pick<HandlerMap, WorkspaceChannels> {
  const { workspaces } = services;
  return {
    'workspace:open': async ({ path }, { client }) => {
      const workspace = await workspaces.open(path);
      client.state.workspace = workspace;
      // Push policy changes (saves here, edits on disk) to this client while it has it open.
      try {
        const policy = await services.policy.forWorkspace(workspace.path);
        replaceSubscription(
          client.state,
          'policy',
          policy.subscribe((snapshot) => client.emit('policy:changed', { snapshot })),
        );
      } catch (error) {
        replaceSubscription(client.state, 'policy', null);
        services.logger.error('could not load the workspace policy', {
          path: workspace.path,
          error,
        });
      }
      // Each record any window of this workspace writes, so the Activity view needs no polling.
      try {
        const activity = await services.activity.forWorkspace(workspace.path);
        replaceSubscription(
          client.state,
          'activity',
          activity.subscribe((record) =>
            client.emit('policy:activity-added', { record, sealed: true }),
          ),
        );
      } catch {
        // Said above: the policy (and so its activity log) could not be loaded.
        replaceSubscription(client.state, 'activity', null);
      }
      // The workspace's MCP servers start with it; their changes reach this window live.
      try {
        await services.mcp.forWorkspace(workspace.path);
        const path = workspace.path;
        replaceSubscription(
          client.state,
          'mcp',
          services.mcp.subscribe((ws, list) => {
            if (ws === path) client.emit('mcp:changed', list);
          }),
        );
      } catch (error) {
        replaceSubscription(client.state, 'mcp', null);
        services.logger.error('could not start the workspace MCP servers', {
          path: workspace.path,
          error,
        });
      }
      client.emit('workspace:changed', { workspace });
      return workspace;
    },
    'workspace:get-current': (_request, { client }) => client.state.workspace,
    'workspace:close': (_request, { client }) => {
      client.state.workspace = null;
      replaceSubscription(client.state, 'policy', null);
      replaceSubscription(client.state, 'activity', null);
      replaceSubscription(client.state, 'mcp', null);
      replaceSubscription(client.state, 'agent', null);
      client.emit('workspace:changed', { workspace: null });
      return null;
    },
    'workspace:set-trust': async ({ trust }, { client }) => {
      const current = client.state.workspace;
      if (!current) throw new BridgeError('invalid-argument', 'No workspace is open.');
      const workspace = await workspaces.setTrust(current, trust);
      client.state.workspace = workspace;
      // The policy, the agent and the runner read the trust at their next decision.
      await (await services.policy.forWorkspace(workspace.path)).configStore.reload();
      client.emit('workspace:changed', { workspace });
      return workspace;
    },
    'workspace:list-recent': () => workspaces.listRecent(),
    'workspace:forget-recent': ({ path }) => workspaces.forgetRecent(path),
    'workspace:list-directory': ({ path }) => workspaces.listDirectory(path),
    'workspace:pick-folder': async () => {
      const pick = services.host.pickFolder;
      if (!pick) {
        throw new BridgeError(
          'unavailable',
          'A native folder dialog is only available in the desktop window; browse or type a path.',
        );
      }
      return pick();
    },
  };
}
