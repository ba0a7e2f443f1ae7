import type { Services } from '../../core/services';
import type { CallContext, HandlerMap } from '../router';

/** The caller's open workspace folder, or null on the welcome screen (the user file alone). */
export const workspaceOf = (context: CallContext): string | null =>
  context.client.state.workspace?.path ?? null;

/** model:* handlers: what a new conversation would use, a Test of it, and the first-run save. */
export function modelHandlers(
  services: Services,
): Pick<HandlerMap, 'model:describe' | 'model:test' | 'model:connect'> {
  const { models } = services;
  return {
    'model:describe': (choice, c) => models.describe(workspaceOf(c), choice),
    'model:test': (request, c) => models.test(workspaceOf(c), request),
    'model:connect': (request, c) => models.connect(workspaceOf(c), request),
  };
}
