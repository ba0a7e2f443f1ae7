import { z } from 'zod';
import { appInfoSchema, healthReportSchema } from '../domain/app';
import {
  directoryListingSchema,
  pathInputSchema,
  recentWorkspaceSchema,
  workspaceSchema,
} from '../domain/workspace';

/*
 * The one contract between the renderer and main. Every channel is declared here and nowhere else:
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
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

export const events = {
  'workspace:changed': z.object({ workspace: workspaceSchema.nullable() }),
} as const satisfies Record<string, z.ZodType>;

export type InvokeChannel = keyof typeof invokes;
export type EventChannel = keyof typeof events;
export type InvokeRequest<C extends InvokeChannel> = z.input<(typeof invokes)[C]['request']>;
export type ParsedRequest<C extends InvokeChannel> = z.output<(typeof invokes)[C]['request']>;
export type InvokeResponse<C extends InvokeChannel> = z.output<(typeof invokes)[C]['response']>;
export type EventPayload<E extends EventChannel> = z.output<(typeof events)[E]>;

export const invokeChannels = Object.keys(invokes) as readonly InvokeChannel[];
export const eventChannels = Object.keys(events) as readonly EventChannel[];

/** True when `value` names a declared invoke channel (own keys only: no prototype tricks). */
export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && Object.hasOwn(invokes, value);
}

/** True when `value` names a declared event channel. */
export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && Object.hasOwn(events, value);
}
