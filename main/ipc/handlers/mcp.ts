import type { McpActionResult } from '../../../shared/domain/mcp';
import type { Services } from '../../core/services';
import type { McpManager } from '../../mcp/mcp-manager';
import type { CallContext, HandlerMap } from '../router';
import { requireWorkspace } from './require-workspace';

type McpChannels =
  | 'mcp:list'
  | 'mcp:add'
  | 'mcp:remove'
  | 'mcp:set-enabled'
  | 'mcp:set-all-enabled'
  | 'mcp:start'
  | 'mcp:stop'
  | 'mcp:restart'
  | 'mcp:approve'
  | 'mcp:stderr'
  | 'mcp:set-secret'
  | 'mcp:delete-secret';

/** mcp:* handlers, for the caller's open workspace. No handler returns a secret. */
export function mcpHandlers(services: Services): Pick<HandlerMap, McpChannels> {
  const manager = (context: CallContext): Promise<McpManager> =>
    services.mcp.forWorkspace(requireWorkspace(context).path);
  /** Do something to the servers; a refusal is a result (shown beside the server), not a throw. */
  const act = async (
    context: CallContext,
    action: (m: McpManager, workspace: string) => Promise<void>,
  ): Promise<McpActionResult> => {
    const workspace = requireWorkspace(context).path;
    const m = await services.mcp.forWorkspace(workspace);
    try {
      await action(m, workspace);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, error: services.credentials.redactor.redact(message) };
    }
    return { ok: true, list: await m.list() };
  };
  const serverKey = (m: McpManager, name: string) => {
    const p = m.declared(name);
    return { name, file: p.source.file ?? '' };
  };
  return {
    'mcp:list': async (_r, context) => (await manager(context)).list(),
    'mcp:add': (request, context) => act(context, (_m, ws) => services.mcp.add(ws, request)),
    'mcp:remove': ({ name }, context) => act(context, (_m, ws) => services.mcp.remove(ws, name)),
    'mcp:set-enabled': ({ name, enabled }, context) =>
      act(context, (_m, ws) => services.mcp.setEnabled(ws, name, enabled)),
    'mcp:set-all-enabled': ({ enabled }, context) =>
      act(context, (_m, ws) => services.mcp.setAllEnabled(ws, enabled)),
    'mcp:start': ({ name }, context) => act(context, (m) => m.start(name)),
    'mcp:stop': ({ name }, context) => act(context, (m) => m.stop(name)),
    'mcp:restart': ({ name }, context) => act(context, (m) => m.restart(name)),
    'mcp:approve': ({ name, commandLine }, context) =>
      act(context, (m) => m.approve(name, commandLine)),
    'mcp:stderr': async ({ name }, context) => ({
      lines: [...(await manager(context)).stderr(name)],
    }),
    // A new secret reaches the server at its next start: restart it to use it now.
    'mcp:set-secret': ({ server, name, value }, context) =>
      act(context, (m) => services.credentials.mcpSecrets.set(serverKey(m, server), name, value)),
    'mcp:delete-secret': ({ server, name }, context) =>
      act(context, async (m) => {
        await services.credentials.mcpSecrets.delete(serverKey(m, server), name);
      }),
  };
}
