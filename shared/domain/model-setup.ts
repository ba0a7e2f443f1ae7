import { z } from 'zod';
import { configLayerSchema } from './policy';

/*
 * What a new conversation will talk to, decided in main the way a session is built: the provider,
 * the model, the endpoint, whether a key is there, and where each came from. The header, Health,
 * the welcome steps and every "cannot start" error read this one answer.
 */

/** A field of Settings a problem points at (the renderer opens Settings there). */
export const settingsFieldSchema = z.enum(['provider', 'model', 'base-url', 'key']);
export type SettingsField = z.infer<typeof settingsFieldSchema>;

/** Where a value came from. */
export const choiceSourceSchema = z.discriminatedUnion('kind', [
  /** Picked for the next session in the conversation header. */
  z.object({ kind: z.literal('chosen') }),
  /** `[agent] provider` / `default_model` of a vtcode.toml. */
  z.object({ kind: z.literal('file'), layer: configLayerSchema, file: z.string() }),
  /** The `model` of the `[[custom_providers]]` entry in use. */
  z.object({ kind: z.literal('custom-provider'), file: z.string().nullable() }),
  /** Nothing set anywhere: the app's built-in default. */
  z.object({ kind: z.literal('default') }),
]);
export type ChoiceSource = z.infer<typeof choiceSourceSchema>;

export const keyStateSchema = z.enum([
  /** Stored in the keychain (or for this session) for this endpoint. */
  'stored',
  /** Read from an environment variable. */
  'environment',
  /** Needed and not found, or stored for another URL. */
  'missing',
  /** Local servers and a workspace file's endpoints are sent no key. */
  'not-needed',
]);
export type KeyState = z.infer<typeof keyStateSchema>;

export const modelProblemSchema = z.object({
  field: settingsFieldSchema,
  /** The provider the field is about (for `key`: whose key), when there is one. */
  provider: z.string().nullable(),
  message: z.string(),
});
export type ModelProblem = z.infer<typeof modelProblemSchema>;

export const modelSetupSchema = z.object({
  /** `openai`, `anthropic`, …, `custom:<name>`; null when what is named cannot be used. */
  provider: z.string().nullable(),
  providerLabel: z.string().nullable(),
  providerSource: choiceSourceSchema,
  model: z.string().nullable(),
  modelSource: choiceSourceSchema,
  baseUrl: z.string().nullable(),
  key: keyStateSchema,
  /** True when a new session would start; otherwise `problem` says why and where to fix it. */
  ready: z.boolean(),
  problem: modelProblemSchema.nullable(),
});
export type ModelSetup = z.infer<typeof modelSetupSchema>;

/** A provider, model and endpoint for the next session (empty fields: vtcode.toml decides). */
export const modelChoiceRequestSchema = z.strictObject({
  provider: z.string().trim().max(200).optional(),
  model: z.string().trim().max(256).optional(),
  baseUrl: z.string().trim().max(2048).optional(),
});
export type ModelChoiceRequest = z.infer<typeof modelChoiceRequestSchema>;

/**
 * Test what a conversation would use, or a draft before it is saved: provider `custom` with
 * `customName`, `baseUrl` and `apiFormat` is a new endpoint; `key` is a key just typed (held in
 * main for the test only), else the stored one is used, as a session would.
 */
export const modelTestRequestSchema = modelChoiceRequestSchema.extend({
  key: z.string().max(4096).optional(),
  customName: z.string().trim().max(64).optional(),
  apiFormat: z.enum(['openai-chat', 'anthropic-messages']).optional(),
});
export type ModelTestRequest = z.infer<typeof modelTestRequestSchema>;

export const modelTestResultSchema = z.object({
  outcome: z.enum([
    'ok',
    'no-key',
    'rejected',
    'unreachable',
    'timeout',
    'unexpected-response',
    'not-set-up',
  ]),
  message: z.string(),
  httpStatus: z.number().int().nullable(),
  endpoint: z.string().nullable(),
  /** Models the endpoint listed (first 200), when it lists them. */
  models: z.array(z.string()),
  /** Whether the chosen model is among them; null when the list was empty or not given. */
  modelListed: z.boolean().nullable(),
  problem: modelProblemSchema.nullable(),
});
export type ModelTestResult = z.infer<typeof modelTestResultSchema>;

/** Connect a model from the first-run form: saved to the user's vtcode.toml and the keychain. */
export const connectModelRequestSchema = z.strictObject({
  /** A builtin provider id, or `custom` with `customName` and `baseUrl`. */
  provider: z.string().trim().min(1).max(200),
  customName: z.string().trim().max(64).optional(),
  apiFormat: z.enum(['openai-chat', 'anthropic-messages']).optional(),
  baseUrl: z.string().trim().max(2048).optional(),
  model: z.string().trim().min(1, 'choose a model').max(256),
  key: z.string().max(4096).optional(),
});
export type ConnectModelRequest = z.infer<typeof connectModelRequestSchema>;
