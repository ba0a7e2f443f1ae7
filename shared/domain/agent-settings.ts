import { z } from 'zod';
import { customProviderNameSchema } from './credentials';
import { provenanceSchema } from './policy';

/*
 * The model settings of vtcode.toml as the Settings screen edits them: `[agent] provider` and
 * `default_model`, and the `[[custom_providers]]` endpoints (VT Code's key names).
 */

/** How a custom endpoint is spoken to (`api_format`); auto guesses from the URL. */
export const API_FORMATS = [
  'auto',
  'openai-chat',
  'openai-responses',
  'anthropic-messages',
] as const;
export const apiFormatSchema = z.enum(API_FORMATS);
export type ApiFormat = z.infer<typeof apiFormatSchema>;

/** A `[[custom_providers]]` entry as read from a file (what the file says, checked loosely). */
export const customProviderSchema = z.object({
  name: z.string(),
  baseUrl: z.string().nullable(),
  apiKeyEnv: z.string().nullable(),
  model: z.string().nullable(),
  apiFormat: apiFormatSchema,
});
export type CustomProvider = z.infer<typeof customProviderSchema>;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An http(s) URL without credentials in it (keys belong in the keychain, not the file). */
export const baseUrlSchema = z
  .string()
  .trim()
  .min(1, 'the base URL is empty')
  .max(2048, 'the base URL is longer than 2048 characters')
  .refine((v) => {
    try {
      const url = new URL(v);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'the base URL must be an http:// or https:// address')
  .refine((v) => {
    try {
      const url = new URL(v);
      return url.username === '' && url.password === '';
    } catch {
      return true;
    }
  }, 'the base URL must not contain a user name or password; keep the key in the keychain');

/** A custom endpoint as the Settings screen saves it: checked strictly. */
export const customProviderInputSchema = z.strictObject({
  name: customProviderNameSchema,
  baseUrl: baseUrlSchema,
  apiKeyEnv: z
    .string()
    .regex(
      ENV_NAME,
      'an environment variable name: letters, digits and _, not starting with a digit',
    )
    .max(128)
    .nullable(),
  model: z.string().trim().min(1).max(256).nullable(),
  apiFormat: apiFormatSchema,
});
export type CustomProviderInput = z.infer<typeof customProviderInputSchema>;

/** A model id as `[agent] default_model` holds it. */
export const modelIdSchema = z
  .string()
  .trim()
  .min(1, 'the model is empty')
  .max(256, 'the model id is longer than 256 characters')
  .refine((v) => !/[\s\0]/.test(v), 'a model id has no spaces');

/** What one vtcode.toml says about the model. */
export const agentFileSettingsSchema = z.object({
  path: z.string(),
  exists: z.boolean(),
  provider: z.string().nullable(),
  defaultModel: z.string().nullable(),
  customProviders: z.array(customProviderSchema),
  /** Entries that were skipped, with the reason. */
  warnings: z.array(z.string()),
});
export type AgentFileSettings = z.infer<typeof agentFileSettingsSchema>;

/** The model settings in force and each file's own, for the Settings screen. */
export const agentSettingsViewSchema = z.object({
  provider: z.string().nullable(),
  providerSource: provenanceSchema,
  defaultModel: z.string().nullable(),
  defaultModelSource: provenanceSchema,
  files: z.object({ workspace: agentFileSettingsSchema, user: agentFileSettingsSchema }),
});
export type AgentSettingsView = z.infer<typeof agentSettingsViewSchema>;
