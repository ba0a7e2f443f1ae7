import { z } from 'zod';

/*
 * What the UI may know about API keys: which providers exist, whether each has a key, where it came
 * from and its last four characters. No schema here carries a stored key back out of main; the only
 * key-bearing shape is the set request, which flows renderer -> main.
 */

/** The providers VT Code knows by name; custom OpenAI-compatible endpoints are `custom:<name>`. */
export const BUILTIN_PROVIDER_IDS = [
  'openai',
  'anthropic',
  'gemini',
  'openrouter',
  'deepseek',
  'xai',
  'moonshot',
] as const;
export const builtinProviderIdSchema = z.enum(BUILTIN_PROVIDER_IDS);
export type BuiltinProviderId = z.infer<typeof builtinProviderIdSchema>;

export const CUSTOM_PROVIDER_PREFIX = 'custom:';

/** A custom endpoint's name as written in `[[custom_providers]] name`: a short lowercase slug. */
export const customProviderNameSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,63}$/,
    'a custom provider name is 1-64 characters: lowercase letters, digits, ".", "_" or "-"',
  );

/** `openai`, `anthropic`, ... or `custom:<name>`. */
export const providerIdSchema = z.union([
  builtinProviderIdSchema,
  z
    .string()
    .regex(
      /^custom:[a-z0-9][a-z0-9._-]{0,63}$/,
      `a provider is one of ${BUILTIN_PROVIDER_IDS.join(', ')} or custom:<name>`,
    ),
]);
export type ProviderId = z.infer<typeof providerIdSchema>;

/** Where the key a provider would use comes from. */
export const credentialStatusSchema = z.enum(['stored', 'from-environment', 'missing']);
export type CredentialStatus = z.infer<typeof credentialStatusSchema>;

/** How a stored key is kept: the OS keychain, or memory for this session only (the one fallback). */
export const storageKindSchema = z.enum(['keychain', 'session-only']);
export type StorageKind = z.infer<typeof storageKindSchema>;

export const providerCredentialSchema = z.object({
  provider: providerIdSchema,
  label: z.string(),
  custom: z.boolean(),
  status: credentialStatusSchema,
  /** Set when status is `stored`. */
  storage: storageKindSchema.nullable(),
  /**
   * The key's last four characters behind an ellipsis (`…a1b2`); null when there is no key, and
   * for a key read from a variable a vtcode.toml named (`api_key_env`), which is shown as set only.
   */
  hint: z.string().nullable(),
  /** The base URL a stored key is sent to (the one it was saved for); null when none is stored. */
  baseUrl: z.string().nullable(),
  /** The environment variable names checked, in order (VT Code's `api_key_env` first when set). */
  envVars: z.array(z.string()),
  /** Which of them holds a key right now, if any. */
  envVarFound: z.string().nullable(),
  /** True when an environment key exists that is not already the stored key. */
  canImport: z.boolean(),
});
export type ProviderCredential = z.infer<typeof providerCredentialSchema>;

/** Why the keychain cannot be used; each comes with what the user can do about it. */
export const keychainProblemSchema = z.enum([
  'no-secret-service',
  'no-default-keyring',
  'locked',
  'timeout',
  'module-missing',
  'error',
]);
export type KeychainProblem = z.infer<typeof keychainProblemSchema>;

export const keychainStateSchema = z.discriminatedUnion('available', [
  z.object({ available: z.literal(true) }),
  z.object({
    available: z.literal(false),
    problem: keychainProblemSchema,
    message: z.string(),
    fix: z.string(),
  }),
]);
export type KeychainState = z.infer<typeof keychainStateSchema>;

export const credentialListSchema = z.object({
  keychain: keychainStateSchema,
  providers: z.array(providerCredentialSchema),
});
export type CredentialList = z.infer<typeof credentialListSchema>;

/** A key as typed or pasted; main trims and validates it. Bounded so a paste cannot flood main. */
export const apiKeyInputSchema = z.string().max(8192, 'that is far too long to be an API key');

export const setKeyRequestSchema = z.strictObject({
  provider: providerIdSchema,
  key: apiKeyInputSchema,
  /** Keep the key in memory for this session instead of the keychain. */
  sessionOnly: z.boolean().default(false),
});
export type SetKeyRequest = z.infer<typeof setKeyRequestSchema>;

export const setKeyResultSchema = z.object({
  provider: providerIdSchema,
  storage: storageKindSchema,
  hint: z.string(),
  /** The base URL the key will be sent to, and nowhere else; null when it is not known yet. */
  baseUrl: z.string().nullable(),
  /** True when a key was already stored and this one took its place. */
  replaced: z.boolean(),
  /** Accepted but suspicious, e.g. the key does not start with the provider's usual prefix. */
  warnings: z.array(z.string()),
});
export type SetKeyResult = z.infer<typeof setKeyResultSchema>;

export const providerRequestSchema = z.strictObject({ provider: providerIdSchema });
export type ProviderRequest = z.infer<typeof providerRequestSchema>;

export const deleteKeyResultSchema = z.object({
  provider: providerIdSchema,
  /** Where a key was removed from; empty when there was nothing stored. */
  removedFrom: z.array(storageKindSchema),
});
export type DeleteKeyResult = z.infer<typeof deleteKeyResultSchema>;

/** Where the key a test (or a request) used came from. */
export const keySourceSchema = z.enum(['keychain', 'session-only', 'environment']);
export type KeySource = z.infer<typeof keySourceSchema>;

export const keyTestOutcomeSchema = z.enum([
  'ok',
  'rejected',
  'no-key',
  'unreachable',
  'timeout',
  'unexpected-response',
]);
export type KeyTestOutcome = z.infer<typeof keyTestOutcomeSchema>;

export const keyTestResultSchema = z.object({
  provider: providerIdSchema,
  outcome: keyTestOutcomeSchema,
  /** One sentence for the user; never contains the key. */
  message: z.string(),
  httpStatus: z.number().int().nullable(),
  source: keySourceSchema.nullable(),
  /** The endpoint that was called (origin and path, no query). */
  endpoint: z.string().nullable(),
});
export type KeyTestResult = z.infer<typeof keyTestResultSchema>;
