import { McpSecretStore } from './mcp-secrets';
import { join } from 'node:path';
import type { ProviderId } from '../../shared/domain/credentials';
import { CONFIG_FILE_NAME } from '../config/config-loader';
import type { Logger } from '../log/logger';
import { resolveAppPaths } from '../platform/paths';
import { readTrustedCatalog } from './catalog';
import { CredentialStore } from './credential-store';
import { fileKeyBindings, keyBindingsPath, type KeyBindings } from './key-bindings';
import { createKeyResolver, type KeyResolver } from './key-resolver';
import { KeySource } from './key-source';
import type { KeychainBackend } from './keychain';
import { createKeytarBackend, resolveKeychainService } from './keytar-backend';
import type { ProviderCatalogOptions } from './providers';
import { createSecretRedactor, logRedactor, type SecretRedactor } from './redact';
import { fileTokenBindings, tokenBindingsPath, type TokenBindings } from './token-bindings';
import { TokenStore } from './token-store';

export interface CredentialsOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Defaults to keytar under `vtcode-desktop` (or the test service named in the env). */
  readonly backend?: KeychainBackend;
  readonly keychainTimeoutMs?: number;
  /**
   * The trusted provider config for Settings and the CLI (`api_key_env`, `[[custom_providers]]`).
   * Defaults to reading the user's vtcode.toml each time; a workspace file is never read here.
   */
  readonly loadCatalog?: () => Promise<ProviderCatalogOptions>;
  /** Which URL each stored key is for; defaults to a JSON file in the app's data folder. */
  readonly bindings?: KeyBindings;
  /** Which hosts each token is for; defaults to a JSON file in the app's data folder. */
  readonly tokenBindings?: TokenBindings;
  /** Registers the redactor with this logger, so no known key reaches the log. */
  readonly logger?: Logger;
  readonly baseUrls?: Readonly<Partial<Record<ProviderId, string>>>;
  readonly keyCheckTimeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/**
 * The credentials service, split by who may hold what:
 * - `store`: for IPC handlers and the CLI; answers with masks only.
 * - `keys`: for the agent runtime inside main only; returns keys for outgoing requests.
 * - `redactor`: for logs, transcripts, tool output and error messages.
 * - `tokens`: tokens for commands; masks for the UI and the CLI, values for the sandbox only.
 */
export interface Credentials {
  readonly store: CredentialStore;
  readonly keys: KeyResolver;
  readonly redactor: SecretRedactor;
  readonly tokens: TokenStore;
  /** Secrets MCP servers get, each for one server of one file. */
  readonly mcpSecrets: McpSecretStore;
}

/** Create the credentials service. Throws only for a malformed test service override. */
export function createCredentials(options: CredentialsOptions = {}): Credentials {
  const env = options.env ?? process.env;
  const redactor = createSecretRedactor();
  const backend =
    options.backend ??
    createKeytarBackend({
      service: resolveKeychainService(env),
      env,
      ...(options.keychainTimeoutMs === undefined ? {} : { timeoutMs: options.keychainTimeoutMs }),
    });
  const paths = resolveAppPaths(env);
  const bindings = options.bindings ?? fileKeyBindings(keyBindingsPath(paths.dataDir));
  const userFile = join(paths.configDir, CONFIG_FILE_NAME);
  const loadCatalog =
    options.loadCatalog ?? (() => readTrustedCatalog([{ layer: 'user', path: userFile }]));
  const source = new KeySource({ backend, env, redactor, bindings });
  options.logger?.addRedactor(logRedactor(redactor));
  const store = new CredentialStore({
    source,
    loadCatalog,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.baseUrls === undefined ? {} : { baseUrls: options.baseUrls }),
    ...(options.keyCheckTimeoutMs === undefined
      ? {}
      : { keyCheckTimeoutMs: options.keyCheckTimeoutMs }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const tokens = new TokenStore({
    backend,
    bindings: options.tokenBindings ?? fileTokenBindings(tokenBindingsPath(paths.dataDir)),
    redactor,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const mcpSecrets = new McpSecretStore(backend, redactor);
  return { store, keys: createKeyResolver(source), redactor, tokens, mcpSecrets };
}
