import type { Services } from '../../core/services';
import type { HandlerMap } from '../router';
import { agentHandlers } from './agent';
import { appHandlers } from './app';
import { keysHandlers } from './keys';
import { mcpHandlers } from './mcp';
import { modelHandlers } from './model';
import { policyHandlers } from './policy';
import { runnerHandlers } from './runner';
import { tokensHandlers } from './tokens';
import { workspaceHandlers } from './workspace';

/** Every handler of the contract; a channel without a handler is a type error here. */
export function createHandlers(services: Services): HandlerMap {
  return {
    ...appHandlers(services),
    ...workspaceHandlers(services),
    ...policyHandlers(services),
    ...runnerHandlers(services),
    ...keysHandlers(services),
    ...tokensHandlers(services),
    ...mcpHandlers(services),
    ...modelHandlers(services),
    ...agentHandlers(services),
  } satisfies HandlerMap;
}
