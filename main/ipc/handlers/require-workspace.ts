import type { Workspace } from '../../../shared/domain/workspace';
import { BridgeError } from '../../../shared/ipc/errors';
import type { CallContext } from '../router';

/** The caller's open workspace, or a clear error when it has none. */
export function requireWorkspace({ client }: CallContext): Workspace {
  const workspace = client.state.workspace;
  if (!workspace) throw new BridgeError('conflict', 'Open a workspace first.');
  return workspace;
}
