/*
 * The name of every channel of the contract, and nothing else: the preload and the renderer build
 * their named operations from these, so the first screen does not build every schema of the
 * contract (and zod with them) before it can draw (issue 18). contract.ts declares each channel's
 * schemas and fails to compile unless its channels are exactly these.
 */

/** Request -> response calls from the renderer. */
export const INVOKE_CHANNELS = [
  'app:get-info',
  'health:check',
  'workspace:open',
  'workspace:get-current',
  'workspace:close',
  'workspace:list-recent',
  'workspace:forget-recent',
  'workspace:list-directory',
  'workspace:pick-folder',
  'workspace:set-trust',
  'policy:get',
  'policy:check',
  'policy:save',
  'policy:check-host',
  'policy:preview-host-always',
  'policy:import-preview',
  'policy:import-apply',
  'policy:what-if',
  'policy:get-agent-settings',
  'policy:list-activity',
  'policy:preview-activity-rule',
  'policy:lint',
  'policy:explain',
  'runner:start',
  'runner:cancel',
  'runner:list',
  'runner:answer-host',
  'runner:resize',
  'keys:list',
  'keys:set',
  'keys:delete',
  'keys:test',
  'keys:import-env',
  'tokens:list',
  'tokens:set',
  'tokens:delete',
  'tokens:test',
  'mcp:list',
  'mcp:add',
  'mcp:remove',
  'mcp:set-enabled',
  'mcp:set-all-enabled',
  'mcp:start',
  'mcp:stop',
  'mcp:restart',
  'mcp:approve',
  'mcp:stderr',
  'mcp:set-secret',
  'mcp:delete-secret',
  'model:describe',
  'model:test',
  'model:connect',
  'agent:list-sessions',
  'agent:search-sessions',
  'agent:start-session',
  'agent:resume-session',
  'agent:send',
  'agent:cancel',
  'agent:answer-approval',
  'agent:preview-always-allow',
  'agent:list-grants',
  'agent:revoke-grant',
  'agent:revert',
  'agent:rename-session',
  'agent:delete-session',
  'agent:export-session',
] as const;

/** Events main pushes to the renderer. */
export const EVENT_CHANNELS = [
  'workspace:changed',
  'policy:changed',
  'runner:queued',
  'policy:activity-added',
  'runner:started',
  'runner:output',
  'runner:violation',
  'runner:exit',
  'runner:host-ask',
  'runner:host-resolved',
  'mcp:changed',
  'agent:event',
] as const;

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];
export type EventChannel = (typeof EVENT_CHANNELS)[number];

const invokeSet: ReadonlySet<string> = new Set(INVOKE_CHANNELS);
const eventSet: ReadonlySet<string> = new Set(EVENT_CHANNELS);

/** True when `value` names a declared invoke channel (a plain string, no prototype tricks). */
export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && invokeSet.has(value);
}

/** True when `value` names a declared event channel. */
export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && eventSet.has(value);
}
