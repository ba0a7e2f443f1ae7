import { z } from 'zod';
import {
  apiFormatSchema,
  type AgentFileSettings,
  type CustomProviderInput,
} from '../../shared/domain/agent-settings';
import { parseToml, type TomlTable } from './toml-text';

/*
 * `[[custom_providers]]` is not part of main/config's effective config yet, so the agent reads it
 * from the same files itself; provider-trust.ts decides what a workspace file's entries may do.
 */

export const customProviderEntrySchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
  baseUrl: z.string().min(1).max(2048).optional(),
  apiKeyEnv: z.string().max(128).optional(),
  model: z.string().max(256).optional(),
  apiFormat: apiFormatSchema.default('auto'),
});
export type CustomProviderEntry = z.infer<typeof customProviderEntrySchema>;

/** What was read, and entries that were skipped with the reason (shown as warnings). */
export interface CustomProvidersResult {
  readonly providers: readonly CustomProviderEntry[];
  readonly warnings: readonly string[];
}

/** Parse `[[custom_providers]]` out of one file's TOML text. */
export function parseCustomProviders(text: string, file: string): CustomProvidersResult {
  const parsed = parseToml(text, file);
  return parsed.ok ? customProvidersOf(parsed.table, file) : { providers: [], warnings: [] };
}

/** `[[custom_providers]]` of one parsed file; malformed entries become warnings. */
export function customProvidersOf(table: TomlTable, file: string): CustomProvidersResult {
  const raw = (table as Record<string, unknown>).custom_providers;
  if (raw === undefined) return { providers: [], warnings: [] };
  if (!Array.isArray(raw)) {
    return { providers: [], warnings: [`${file}: custom_providers must be an array of tables`] };
  }
  const providers: CustomProviderEntry[] = [];
  const warnings: string[] = [];
  raw.forEach((entry: unknown, i) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const result = customProviderEntrySchema.safeParse({
      name: e.name,
      baseUrl: e.base_url,
      apiKeyEnv: e.api_key_env,
      model: e.model,
      apiFormat: e.api_format ?? 'auto',
    });
    if (result.success) providers.push(result.data);
    else
      warnings.push(
        `${file}: custom_providers[${i}] ignored: ${result.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`,
      );
  });
  return { providers, warnings };
}

/** What one vtcode.toml says about the model (`[agent]` and `[[custom_providers]]`). */
export function readAgentFileSettings(text: string | null, path: string): AgentFileSettings {
  const empty: AgentFileSettings = {
    path,
    exists: text !== null,
    provider: null,
    defaultModel: null,
    customProviders: [],
    warnings: [],
  };
  if (text === null || text.trim() === '') return empty;
  const parsed = parseToml(text, path);
  if (!parsed.ok) return { ...empty, warnings: [parsed.issue.message] };
  const agent = (parsed.table as Record<string, unknown>).agent;
  const field = (name: string): string | null => {
    if (typeof agent !== 'object' || agent === null || Array.isArray(agent)) return null;
    const value = (agent as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : null;
  };
  const custom = customProvidersOf(parsed.table, path);
  return {
    ...empty,
    provider: field('provider'),
    defaultModel: field('default_model'),
    customProviders: custom.providers.map((p) => ({
      name: p.name,
      baseUrl: p.baseUrl ?? null,
      apiKeyEnv: p.apiKeyEnv ?? null,
      model: p.model ?? null,
      apiFormat: p.apiFormat,
    })),
    warnings: [...custom.warnings],
  };
}

/** A custom provider as `[[custom_providers]]` writes it (VT Code's key names; empty keys left out). */
export function customProviderTable(p: CustomProviderInput): Record<string, string> {
  return {
    name: p.name,
    base_url: p.baseUrl,
    ...(p.apiKeyEnv ? { api_key_env: p.apiKeyEnv } : {}),
    ...(p.model ? { model: p.model } : {}),
    ...(p.apiFormat === 'auto' ? {} : { api_format: p.apiFormat }),
  };
}
