import { agentSettingsViewSchema } from '../domain/agent-settings';
import {
  activityPageSchema,
  activityRulePreviewSchema,
  listActivityRequestSchema,
  previewActivityRuleRequestSchema,
  readActivitySchema,
} from '../domain/activity-query';
import { z } from 'zod';
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  isEventChannel,
  isInvokeChannel,
  type EventChannel,
  type InvokeChannel,
} from './channels';
import { approvalAnswerSchema, sessionGrantSchema, sessionSummarySchema } from '../domain/agent';
import {
  agentEventMessageSchema,
  alwaysAllowPreviewSchema,
  exportSessionRequestSchema,
  exportSessionResultSchema,
  openedSessionSchema,
  previewAlwaysAllowRequestSchema,
  revokeGrantRequestSchema,
  renameSessionRequestSchema,
  resumeSessionRequestSchema,
  revertRequestSchema,
  revertResultSchema,
  searchSessionsRequestSchema,
  sendRequestSchema,
  sessionRequestSchema,
  sessionSearchResultSchema,
  startSessionRequestSchema,
} from '../domain/agent-bridge';
import { appInfoSchema, healthReportSchema } from '../domain/app';
import {
  credentialListSchema,
  deleteKeyResultSchema,
  keyTestResultSchema,
  providerRequestSchema,
  setKeyRequestSchema,
  setKeyResultSchema,
} from '../domain/credentials';
import {
  connectModelRequestSchema,
  modelChoiceRequestSchema,
  modelSetupSchema,
  modelTestRequestSchema,
  modelTestResultSchema,
} from '../domain/model-setup';
import { policyDecisionSchema, policySnapshotSchema } from '../domain/policy';
import {
  deleteTokenResultSchema,
  setTokenRequestSchema,
  setTokenResultSchema,
  tokenListSchema,
  tokenRequestSchema,
  tokenTestResultSchema,
} from '../domain/tokens';
import {
  mcpActionResultSchema,
  mcpAddRequestSchema,
  mcpApproveRequestSchema,
  mcpListSchema,
  mcpSecretRequestSchema,
  mcpServerRequestSchema,
  mcpSetEnabledRequestSchema,
  mcpSetSecretRequestSchema,
  mcpStderrSchema,
} from '../domain/mcp';
import { policyCheckRequestSchema, policySaveRequestSchema } from '../domain/policy-edit';
import { policyExplainRequestSchema, policyExplainSchema } from '../domain/policy-explain';
import { policyLintResultSchema } from '../domain/policy-lint';
import {
  hostAlwaysPreviewRequestSchema,
  hostAlwaysPreviewSchema,
  hostCheckRequestSchema,
  hostCheckResultSchema,
  runnerHostAskSchema,
  runnerHostResolvedSchema,
} from '../domain/network';
import {
  importApplyRequestSchema,
  importPreviewRequestSchema,
  importPreviewSchema,
} from '../domain/policy-import';
import { whatIfRequestSchema, whatIfResultSchema } from '../domain/policy-whatif';
import {
  runExitEventSchema,
  runIdSchema,
  runOutputEventSchema,
  runQueuedEventSchema,
  runRequestSchema,
  runStatusSchema,
  runSummarySchema,
  runViolationEventSchema,
} from '../domain/runner';
import {
  directoryListingSchema,
  pathInputSchema,
  recentWorkspaceSchema,
  workspaceSchema,
  workspaceTrustSchema,
} from '../domain/workspace';

/*
 * The one contract between the renderer and main. Every channel is declared here (its name also in
 * channels.ts, which the renderer and the preload load instead of these schemas; the `satisfies`
 * below keep the two the same):
 * invokes are request -> response calls from the renderer, events are pushed by main.
 * Names look like `domain:verb-noun`; the preload and the browser-mode client derive their named
 * operations from this file (`workspace:list-recent` -> `api.workspace.listRecent()`), so adding a
 * channel means adding it here and giving main a handler, and the type checker points at the rest.
 */

const noArgs = z.strictObject({});

export const invokes = {
  'app:get-info': { request: noArgs, response: appInfoSchema },
  'health:check': { request: noArgs, response: healthReportSchema },
  'workspace:open': {
    request: z.strictObject({ path: pathInputSchema }),
    response: workspaceSchema,
  },
  'workspace:get-current': { request: noArgs, response: workspaceSchema.nullable() },
  'workspace:close': { request: noArgs, response: z.null() },
  'workspace:list-recent': { request: noArgs, response: z.array(recentWorkspaceSchema) },
  'workspace:forget-recent': {
    request: z.strictObject({ path: pathInputSchema }),
    response: z.array(recentWorkspaceSchema),
  },
  'workspace:list-directory': {
    request: z.strictObject({ path: pathInputSchema.optional() }),
    response: directoryListingSchema,
  },
  'workspace:pick-folder': { request: noArgs, response: z.string().nullable() },
  /** Trust the open workspace's folder, or open it read-only; applies at once to its policy. */
  'workspace:set-trust': {
    request: z.strictObject({ trust: workspaceTrustSchema }),
    response: workspaceSchema,
  },

  // The open workspace's policy (vtcode.toml, user + workspace files).
  'policy:get': { request: noArgs, response: policySnapshotSchema },
  'policy:check': { request: policyCheckRequestSchema, response: policyDecisionSchema },
  'policy:save': { request: policySaveRequestSchema, response: policySnapshotSchema },
  /** "Try a host": allow, ask or deny for `host:port` under the saved rules, and which entry decided. */
  'policy:check-host': { request: hostCheckRequestSchema, response: hostCheckResultSchema },
  /** The exact change "Always" would make to a vtcode.toml for a host, before it is made. */
  'policy:preview-host-always': {
    request: hostAlwaysPreviewRequestSchema,
    response: hostAlwaysPreviewSchema,
  },
  /** Claude Code or Codex rules as vtcode.toml `[permissions]` entries, rule by rule; writes nothing. */
  'policy:import-preview': { request: importPreviewRequestSchema, response: importPreviewSchema },
  /** Add the chosen preview rows (worked out again by main from the same source) to one file. */
  'policy:import-apply': { request: importApplyRequestSchema, response: policySnapshotSchema },
  /**
   * This workspace's past decisions replayed under unsaved edits: those that would change. A newer
   * request from the same window supersedes one still running (it fails with a conflict).
   */
  'policy:what-if': { request: whatIfRequestSchema, response: whatIfResultSchema },
  /** `[agent] provider`, `default_model` and `[[custom_providers]]`: in force and per file. */
  'policy:get-agent-settings': { request: noArgs, response: agentSettingsViewSchema },
  /** The workspace's activity log: decisions and answers, newest first, filtered, one page. */
  'policy:list-activity': { request: listActivityRequestSchema, response: activityPageSchema },
  /** "Add a rule like this": the allow rules a logged command would need, under the policy now. */
  'policy:preview-activity-rule': {
    request: previewActivityRuleRequestSchema,
    response: activityRulePreviewSchema,
  },
  /** Problems in the saved policy, each at its rule or key, with a fix to stage where one exists. */
  'policy:lint': { request: noArgs, response: policyLintResultSchema },
  /** The effective policy: each value, the layer behind it, what it overrode, what was ignored. */
  'policy:explain': { request: policyExplainRequestSchema, response: policyExplainSchema },

  // Sandboxed command runs in the open workspace.
  'runner:start': { request: runRequestSchema.strict(), response: runSummarySchema },
  'runner:cancel': { request: z.strictObject({ runId: runIdSchema }), response: z.boolean() },
  'runner:list': { request: noArgs, response: z.array(runStatusSchema) },
  /** Answer a terminal run's host question (`runner:host-ask`); only ids main made are taken. */
  'runner:answer-host': { request: approvalAnswerSchema, response: z.null() },
  /** The terminal showing a run changed size: the command's pty follows (SIGWINCH). */
  'runner:resize': {
    request: z.strictObject({
      runId: runIdSchema,
      cols: z.number().int().min(1).max(2000),
      rows: z.number().int().min(1).max(1000),
    }),
    response: z.boolean(),
  },

  // API keys: masks and statuses only. No channel returns a key.
  'keys:list': { request: noArgs, response: credentialListSchema },
  'keys:set': { request: setKeyRequestSchema, response: setKeyResultSchema },
  'keys:delete': { request: providerRequestSchema, response: deleteKeyResultSchema },
  'keys:test': { request: providerRequestSchema, response: keyTestResultSchema },
  'keys:import-env': { request: providerRequestSchema, response: setKeyResultSchema },
  // Tokens for commands: bindings and masks only. A token crosses only on set, renderer -> main.
  'tokens:list': { request: noArgs, response: tokenListSchema },
  'tokens:set': { request: setTokenRequestSchema, response: setTokenResultSchema },
  'tokens:delete': { request: tokenRequestSchema, response: deleteTokenResultSchema },
  'tokens:test': { request: tokenRequestSchema, response: tokenTestResultSchema },

  // MCP servers of the open workspace: declared in vtcode.toml, run in the sandbox, their tools
  // under the policy. Secrets cross only on set, renderer -> main; no channel returns one.
  'mcp:list': { request: noArgs, response: mcpListSchema },
  /** Add a server to the user's vtcode.toml (a command, or a URL). */
  'mcp:add': { request: mcpAddRequestSchema, response: mcpActionResultSchema },
  /** Remove a server the user's file declares (a workspace file's servers are edited there). */
  'mcp:remove': { request: mcpServerRequestSchema, response: mcpActionResultSchema },
  'mcp:set-enabled': { request: mcpSetEnabledRequestSchema, response: mcpActionResultSchema },
  /** `[mcp] enabled` in the user's vtcode.toml: every server on or off. */
  'mcp:set-all-enabled': {
    request: z.strictObject({ enabled: z.boolean() }),
    response: mcpActionResultSchema,
  },
  'mcp:start': { request: mcpServerRequestSchema, response: mcpActionResultSchema },
  'mcp:stop': { request: mcpServerRequestSchema, response: mcpActionResultSchema },
  'mcp:restart': { request: mcpServerRequestSchema, response: mcpActionResultSchema },
  /** Approve a workspace-declared server's exact command line, then start it. */
  'mcp:approve': { request: mcpApproveRequestSchema, response: mcpActionResultSchema },
  'mcp:stderr': { request: mcpServerRequestSchema, response: mcpStderrSchema },
  'mcp:set-secret': { request: mcpSetSecretRequestSchema, response: mcpActionResultSchema },
  'mcp:delete-secret': { request: mcpSecretRequestSchema, response: mcpActionResultSchema },

  // The model new conversations use: described as a session would be built, tested, connected.
  'model:describe': { request: modelChoiceRequestSchema, response: modelSetupSchema },
  'model:test': { request: modelTestRequestSchema, response: modelTestResultSchema },
  'model:connect': { request: connectModelRequestSchema, response: modelSetupSchema },

  // The agent: sessions of the open workspace, turns, approvals, reverts.
  'agent:list-sessions': { request: noArgs, response: z.array(sessionSummarySchema) },
  /** Sessions whose title or text contains the query, with snippets of where. */
  'agent:search-sessions': {
    request: searchSessionsRequestSchema,
    response: sessionSearchResultSchema,
  },
  'agent:start-session': { request: startSessionRequestSchema, response: openedSessionSchema },
  'agent:resume-session': { request: resumeSessionRequestSchema, response: openedSessionSchema },
  /** A message for the session the window shows (refused for any other); replies with it as written. */
  'agent:send': { request: sendRequestSchema, response: sessionSummarySchema },
  'agent:cancel': { request: sessionRequestSchema, response: z.boolean() },
  'agent:answer-approval': { request: approvalAnswerSchema, response: z.null() },
  'agent:preview-always-allow': {
    request: previewAlwaysAllowRequestSchema,
    response: alwaysAllowPreviewSchema,
  },
  /** The session's grants ("allow for this session"): in main's memory only. */
  'agent:list-grants': { request: sessionRequestSchema, response: z.array(sessionGrantSchema) },
  /** Revoke one grant: the next call it covered asks again. Replies with the grants left. */
  'agent:revoke-grant': {
    request: revokeGrantRequestSchema,
    response: z.array(sessionGrantSchema),
  },
  'agent:revert': { request: revertRequestSchema, response: revertResultSchema },
  'agent:rename-session': { request: renameSessionRequestSchema, response: sessionSummarySchema },
  'agent:delete-session': { request: sessionRequestSchema, response: z.null() },
  'agent:export-session': {
    request: exportSessionRequestSchema,
    response: exportSessionResultSchema,
  },
} as const satisfies Record<InvokeChannel, { request: z.ZodType; response: z.ZodType }>;

export const events = {
  'workspace:changed': z.object({ workspace: workspaceSchema.nullable() }),
  /** The policy in force changed (saved here or edited on disk); issues of the latest read included. */
  'policy:changed': z.object({ snapshot: policySnapshotSchema }),
  /** A run waits for the network proxy (other network rules hold it); `runner:started` follows. */
  'runner:queued': runQueuedEventSchema,
  /** This app wrote a record to the open workspace's activity log. */
  'policy:activity-added': readActivitySchema,
  'runner:started': runSummarySchema,
  'runner:output': runOutputEventSchema,
  'runner:violation': runViolationEventSchema,
  'runner:exit': runExitEventSchema,
  /** A command typed in this window's terminal connected to a host no rule covers: ask. */
  'runner:host-ask': runnerHostAskSchema,
  /** A terminal host question was answered, timed out or withdrawn. */
  'runner:host-resolved': runnerHostResolvedSchema,
  /** A server of the open workspace started, stopped, failed or changed its tools. */
  'mcp:changed': mcpListSchema,
  /** Everything a session's agent does, live (provider history messages are not sent). */
  'agent:event': agentEventMessageSchema,
} as const satisfies Record<EventChannel, z.ZodType>;

export type { EventChannel, InvokeChannel };
export type InvokeRequest<C extends InvokeChannel> = z.input<(typeof invokes)[C]['request']>;
export type ParsedRequest<C extends InvokeChannel> = z.output<(typeof invokes)[C]['request']>;
export type InvokeResponse<C extends InvokeChannel> = z.output<(typeof invokes)[C]['response']>;
export type EventPayload<E extends EventChannel> = z.output<(typeof events)[E]>;

export const invokeChannels: readonly InvokeChannel[] = INVOKE_CHANNELS;
export const eventChannels: readonly EventChannel[] = EVENT_CHANNELS;
export { isEventChannel, isInvokeChannel };
