import {
  builtinProviderIdSchema,
  CUSTOM_PROVIDER_PREFIX,
  providerIdSchema,
  type ProviderId,
} from '../../shared/domain/credentials';
import type { ConfigFileRef } from '../config/config-loader';
import { readProviderConfig, type ProviderConfig } from '../config/provider-trust';
import type { CustomProviderConfig, ProviderCatalogOptions } from './providers';

/** The provider id `[agent] provider` names (`anthropic`, `custom:x` or a bare custom `x`). */
export function providerIdOf(name: string): ProviderId | null {
  const id = name.trim().toLowerCase();
  const builtin = builtinProviderIdSchema.safeParse(id);
  if (builtin.success) return builtin.data;
  const bare = id.startsWith(CUSTOM_PROVIDER_PREFIX) ? id.slice(CUSTOM_PROVIDER_PREFIX.length) : id;
  const parsed = providerIdSchema.safeParse(`${CUSTOM_PROVIDER_PREFIX}${bare}`);
  return parsed.success ? parsed.data : null;
}

/**
 * What credential code may act on: the trusted files' custom providers and `[agent] api_key_env`.
 * Keyless providers (a workspace file's) are left out, so no key is ever looked up for them.
 */
export function catalogOf(config: ProviderConfig): ProviderCatalogOptions {
  const customProviders: CustomProviderConfig[] = config.providers
    .filter((p) => !p.keyless)
    .map((p) => ({
      name: p.name,
      ...(p.baseUrl === undefined ? {} : { baseUrl: p.baseUrl }),
      ...(p.apiKeyEnv === undefined ? {} : { apiKeyEnv: p.apiKeyEnv }),
    }));
  const id = config.keyEnv ? providerIdOf(config.keyEnv.provider) : null;
  return {
    customProviders,
    envOverrides: id && config.keyEnv ? { [id]: config.keyEnv.envVar } : {},
  };
}

/** Read the trusted catalog from config files (a workspace file among them adds nothing). */
export async function readTrustedCatalog(
  files: readonly ConfigFileRef[],
): Promise<ProviderCatalogOptions> {
  return catalogOf(await readProviderConfig(files));
}
