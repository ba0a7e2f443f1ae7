import type { Services } from '../../core/services';
import type { CallContext, HandlerMap } from '../router';
import { requireWorkspace } from './require-workspace';

type AgentChannels = Extract<keyof HandlerMap, `agent:${string}`>;

/** agent:* handlers: always the caller's own agent in the caller's open workspace. */
export function agentHandlers(services: Services): Pick<HandlerMap, AgentChannels> {
  const agentOf = (context: CallContext) =>
    services.agents.forClient(context.client, requireWorkspace(context).path);
  return {
    'agent:list-sessions': async (_r, c) => (await agentOf(c)).listSessions(),
    'agent:start-session': async (request, c) => (await agentOf(c)).start(request),
    'agent:resume-session': async ({ sessionId, ...choice }, c) =>
      (await agentOf(c)).resume(sessionId, choice),
    'agent:search-sessions': async ({ query, limit }, c) => (await agentOf(c)).search(query, limit),
    'agent:send': async ({ sessionId, prompt, mode }, c) =>
      (await agentOf(c)).send(sessionId, prompt, mode ?? 'ask'),
    'agent:cancel': async ({ sessionId }, c) => (await agentOf(c)).cancel(sessionId),
    'agent:answer-approval': async (answer, c) => {
      (await agentOf(c)).answer(answer);
      return null;
    },
    'agent:preview-always-allow': async ({ approvalId, scope }, c) =>
      (await agentOf(c)).previewAlwaysAllow(approvalId, scope),
    'agent:list-grants': async ({ sessionId }, c) => (await agentOf(c)).listGrants(sessionId),
    'agent:revoke-grant': async ({ sessionId, grantId }, c) =>
      (await agentOf(c)).revokeGrant(sessionId, grantId),
    'agent:revert': async (request, c) => {
      const target =
        'turnId' in request ? { turnId: request.turnId } : { changeIds: request.changeIds };
      return { paths: await (await agentOf(c)).revert(request.sessionId, target) };
    },
    'agent:rename-session': async ({ sessionId, title }, c) =>
      (await agentOf(c)).rename(sessionId, title),
    'agent:delete-session': async ({ sessionId }, c) => {
      await (await agentOf(c)).delete(sessionId);
      return null;
    },
    'agent:export-session': async ({ sessionId, to }, c) => {
      const { markdown, fileName } = await (await agentOf(c)).exportMarkdown(sessionId);
      const saveFile = services.host.saveFile;
      // Only the desktop app has a save dialog; a page downloads what it is sent.
      if (to !== 'file' || !saveFile) return { kind: 'markdown' as const, markdown, fileName };
      const path = await saveFile(fileName, markdown);
      return path === null
        ? { kind: 'cancelled' as const }
        : { kind: 'saved' as const, path, fileName };
    },
  };
}
