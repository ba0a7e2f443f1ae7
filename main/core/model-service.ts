import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baseUrlSchema, type CustomProviderInput } from '../../shared/domain/agent-settings';
import { customProviderNameSchema } from '../../shared/domain/credentials';
import type {
  ConnectModelRequest,
  KeyState,
  ModelChoiceRequest,
  ModelProblem,
  ModelSetup,
  ModelTestRequest,
  ModelTestResult,
} from '../../shared/domain/model-setup';
import { BridgeError } from '../../shared/ipc/errors';
import { keyOptional, resolveModelChoice, type ModelChoiceInput } from '../agent/model-choice';
import { CredentialError } from '../credentials/errors';
import {
  BUILTIN_AGENT_PROVIDERS,
  ProviderConfigError,
  resolveProviderTarget,
  type ProviderTarget,
} from '../agent/providers/provider-factory';
import { CONFIG_FILE_NAME, configFiles, loadConfig } from '../config/config-loader';
import { customProviderTable, readAgentFileSettings } from '../config/custom-providers';
import { readLayer } from '../config/layer';
import {
  RESERVED_PROVIDER_NAMES,
  readProviderConfig,
  type ProviderConfig,
} from '../config/provider-trust';
import { setTomlTables, setTomlValue } from '../config/toml-text';
import { catalogOf } from '../credentials/catalog';
import type { Credentials } from '../credentials/credentials';
import { DEFAULT_KEY_CHECK_TIMEOUT_MS, checkKeyWithProvider } from '../credentials/key-test';
import {
  parseProviderId,
  providerSpec,
  type ProviderCatalogOptions,
  type ProviderSpec,
} from '../credentials/providers';
import { validateApiKey } from '../credentials/validate';
import { writeFileAtomic } from '../fs/atomic-write';
import type { Logger } from '../log/logger';
import { resolveAppPaths } from '../platform/paths';

/*
 * "Connect a model": what a new conversation would talk to (described the way a session is
 * built, model-choice.ts), a Test that makes the same request a conversation would (same URL,
 * same key, same auth), and the first-run form's save into the user's own vtcode.toml (never the
 * workspace's, which is usually committed) and the keychain.
 */

const ANTHROPIC_VERSION = '2023-06-01';

function choiceOf(request: ModelChoiceRequest): ModelChoiceInput {
  return {
    provider: request.provider ?? null,
    model: request.model ?? null,
    baseUrl: request.baseUrl ?? null,
  };
}

/** A name for a new endpoint, or why not (a built-in's name would mean the built-in). */
function endpointName(raw: string | undefined): { name: string } | { error: string } {
  const parsed = customProviderNameSchema.safeParse((raw ?? '').trim().toLowerCase());
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? 'invalid name' };
  if (RESERVED_PROVIDER_NAMES.has(parsed.data)) {
    return { error: `"${parsed.data}" is a built-in provider's name; choose another` };
  }
  return { name: parsed.data };
}

/** The spec a Test checks with: the provider's own, with the auth its wire format uses. */
function specFor(target: ProviderTarget, catalog: ProviderCatalogOptions): ProviderSpec {
  let base: ProviderSpec;
  try {
    base = providerSpec(parseProviderId(target.id), catalog);
  } catch {
    // Ollama and other key-less locals are not credential providers.
    base = {
      id: 'openai',
      label: target.id === 'ollama' ? 'Ollama' : target.id,
      custom: false,
      envVars: [],
      knownEnvVars: [],
      keyPrefix: null,
      baseUrl: target.baseUrl,
      testPath: '/models',
      auth: 'bearer',
      extraHeaders: {},
    };
  }
  switch (target.format) {
    case 'anthropic-messages':
      return {
        ...base,
        auth: 'x-api-key',
        extraHeaders: { 'anthropic-version': ANTHROPIC_VERSION },
      };
    case 'gemini':
      return { ...base, auth: 'x-goog-api-key', extraHeaders: {} };
    case 'openai-chat':
    case 'openai-compatible':
      return { ...base, auth: 'bearer', extraHeaders: {} };
  }
}

export class ModelService {
  constructor(
    private readonly deps: {
      readonly env: NodeJS.ProcessEnv;
      readonly credentials: Credentials;
      readonly logger?: Logger;
      readonly fetch?: typeof fetch;
      readonly keyCheckTimeoutMs?: number;
      /** After the user file changed: make open workspaces read it now. */
      readonly userFileSaved?: () => Promise<void>;
    },
  ) {}

  private get userFile(): string {
    return join(resolveAppPaths(this.deps.env).configDir, CONFIG_FILE_NAME);
  }

  private async read(workspace: string | null) {
    const files = configFiles({ workspace, env: this.deps.env });
    const { config } = await loadConfig(files);
    const providers = await readProviderConfig(files);
    return { config, providers, catalog: catalogOf(providers) };
  }

  /** Whether the key a session would send is there; a problem says why not. */
  private async keyState(
    target: ProviderTarget,
    providers: ProviderConfig,
  ): Promise<{ state: KeyState; problem: ModelProblem | null }> {
    if (!target.needsKey) return { state: 'not-needed', problem: null };
    try {
      const found = await this.deps.credentials.keys.resolveKeyForRequest(target.id, {
        baseUrl: target.baseUrl,
        catalog: catalogOf(providers),
      });
      return { state: found.source === 'environment' ? 'environment' : 'stored', problem: null };
    } catch (error) {
      if (error instanceof CredentialError && error.reason === 'no-key' && keyOptional(target)) {
        return { state: 'not-needed', problem: null };
      }
      const message = error instanceof Error ? error.message : String(error);
      return {
        state: 'missing',
        problem: {
          field: 'key',
          provider: target.id,
          message: this.deps.credentials.redactor.redact(message),
        },
      };
    }
  }

  /** What a new session would use with `choice` (the header's picks), and what is missing. */
  async describe(workspace: string | null, choice: ModelChoiceRequest = {}): Promise<ModelSetup> {
    const { config, providers, catalog } = await this.read(workspace);
    const r = resolveModelChoice(config, providers, choiceOf(choice));
    const target = r.target;
    const key = target
      ? await this.keyState(target, providers)
      : { state: 'missing' as const, problem: null };
    const problem = r.ok ? key.problem : r.problem;
    return {
      provider: target?.id ?? (r.ok ? null : r.providerName),
      providerLabel: target ? specFor(target, catalog).label : null,
      providerSource: r.providerSource,
      model: r.modelId,
      modelSource: r.modelSource,
      baseUrl: target?.baseUrl ?? null,
      key: key.state,
      ready: r.ok && key.problem === null,
      problem,
    };
  }

  /**
   * Make the request a conversation's client would make first (list the models, with the same
   * URL, key and auth) and say plainly what happened. A draft (`provider: custom`, or a typed
   * key) is tested as it would be used once saved; nothing is saved.
   */
  async test(workspace: string | null, request: ModelTestRequest): Promise<ModelTestResult> {
    const { config, providers, catalog } = await this.read(workspace);
    const fail = (
      outcome: ModelTestResult['outcome'],
      problem: ModelProblem,
      endpoint: string | null = null,
    ): ModelTestResult => ({
      outcome,
      message: problem.message,
      httpStatus: null,
      endpoint,
      models: [],
      modelListed: null,
      problem,
    });

    let target: ProviderTarget;
    let modelId: string | null;
    let draftCatalog = catalog;
    if (request.provider === 'custom') {
      const checked = endpointName(request.customName);
      if ('error' in checked) {
        return fail('not-set-up', {
          field: 'provider',
          provider: null,
          message: `Endpoint name: ${checked.error}.`,
        });
      }
      const name = { data: checked.name };
      const url = baseUrlSchema.safeParse(request.baseUrl ?? '');
      if (!url.success) {
        return fail('not-set-up', {
          field: 'base-url',
          provider: `custom:${name.data}`,
          message: `Base URL: ${url.error.issues[0]?.message ?? 'invalid'}.`,
        });
      }
      try {
        target = resolveProviderTarget(
          `custom:${name.data}`,
          [
            {
              name: name.data,
              baseUrl: url.data,
              apiFormat: request.apiFormat ?? 'openai-chat',
            },
          ],
          null,
        );
      } catch (error) {
        const message = error instanceof ProviderConfigError ? error.message : String(error);
        return fail('not-set-up', { field: 'base-url', provider: null, message });
      }
      draftCatalog = {
        ...catalog,
        customProviders: [
          ...(catalog.customProviders ?? []).filter((c) => c.name.toLowerCase() !== name.data),
          { name: name.data, baseUrl: url.data },
        ],
      };
      modelId = request.model?.trim() || null;
    } else {
      const r = resolveModelChoice(config, providers, choiceOf(request));
      if (!r.target)
        return fail(
          'not-set-up',
          r.ok ? { field: 'provider', provider: null, message: 'No provider.' } : r.problem,
        );
      target = r.target;
      modelId = r.modelId;
    }

    const spec = specFor(target, draftCatalog);
    let key: string | null = null;
    if (request.key !== undefined && request.key.trim() !== '') {
      const checked = validateApiKey(spec, request.key);
      if (!checked.ok) {
        return fail('no-key', { field: 'key', provider: target.id, message: checked.error });
      }
      this.deps.credentials.redactor.remember(checked.key);
      key = checked.key;
    } else if (target.needsKey) {
      try {
        key = (
          await this.deps.credentials.keys.resolveKeyForRequest(target.id, {
            baseUrl: target.baseUrl,
            catalog: draftCatalog,
          })
        ).key;
      } catch (error) {
        // A custom endpoint may need no key (a local server): try without one.
        if (request.provider !== 'custom') {
          const message = error instanceof Error ? error.message : String(error);
          return fail(
            'no-key',
            {
              field: 'key',
              provider: target.id,
              message: this.deps.credentials.redactor.redact(message),
            },
            target.baseUrl,
          );
        }
      }
    }

    const check = await checkKeyWithProvider(spec, key, {
      baseUrl: target.baseUrl,
      redact: this.deps.credentials.redactor.redact,
      timeoutMs: this.deps.keyCheckTimeoutMs ?? DEFAULT_KEY_CHECK_TIMEOUT_MS,
      ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}),
    });
    const models = [...(check.models ?? [])];
    const modelListed = modelId !== null && models.length > 0 ? models.includes(modelId) : null;
    let message = check.message;
    let problem: ModelProblem | null = null;
    if (check.outcome === 'ok') {
      if (key === null && target.needsKey === false && target.id.startsWith('custom:')) {
        message += ' No key is sent to it.';
      }
      if (modelId === null) {
        problem = {
          field: 'model',
          provider: target.id,
          message: 'Choose a model to start a conversation.',
        };
        message += models.length > 0 ? ` It offers ${models.length} models; choose one.` : '';
      } else if (modelListed === false) {
        problem = {
          field: 'model',
          provider: target.id,
          message: `It does not list the model "${modelId}"; check the name (it lists ${models.slice(0, 5).join(', ')}${models.length > 5 ? ', …' : ''}).`,
        };
        message += ` ${problem.message}`;
      } else if (modelListed === true) {
        message += ` The model ${modelId} is available.`;
      }
    } else if (check.outcome === 'rejected') {
      if (key === null) {
        message = `${spec.label} asks for an API key (HTTP ${check.httpStatus ?? '?'}), and none is ${target.needsKey ? 'stored for it' : 'sent to it'}.`;
      }
      problem = { field: 'key', provider: target.id, message };
    } else {
      problem = { field: 'base-url', provider: target.id, message };
    }
    this.deps.logger?.info('model connection tested', {
      provider: target.id,
      outcome: check.outcome,
      status: check.httpStatus,
    });
    return {
      outcome:
        check.outcome === 'ok' && problem?.field === 'model' && modelListed === false
          ? 'unexpected-response'
          : check.outcome,
      message,
      httpStatus: check.httpStatus,
      endpoint: check.endpoint,
      models,
      modelListed,
      problem,
    };
  }

  /**
   * Save the first-run form: `[agent] provider` and `default_model` (and the endpoint, for a
   * custom one) go to the user's vtcode.toml; the key goes to the keychain, bound to the URL.
   */
  async connect(workspace: string | null, request: ConnectModelRequest): Promise<ModelSetup> {
    const file = this.userFile;
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const before = readLayer(text, { layer: 'user', file });
    if (text.trim() !== '' && !before.valid && before.values.size === 0) {
      throw new BridgeError(
        'conflict',
        `${file} cannot be read: ${before.issues[0]?.message ?? 'invalid TOML'}. Fix it in an editor first; nothing was saved.`,
      );
    }

    let providerValue: string;
    let providerId: string;
    let boundUrl: string | undefined;
    let next = text;
    if (request.provider === 'custom') {
      const checked = endpointName(request.customName);
      if ('error' in checked) {
        throw new BridgeError('invalid-argument', `Endpoint name: ${checked.error}.`);
      }
      const name = { data: checked.name };
      const url = baseUrlSchema.safeParse(request.baseUrl ?? '');
      if (!url.success) {
        throw new BridgeError('invalid-argument', `Base URL: ${url.error.issues[0]?.message}`);
      }
      const existing = readAgentFileSettings(text, file).customProviders;
      const entry: CustomProviderInput = {
        name: name.data,
        baseUrl: url.data,
        apiFormat: request.apiFormat ?? 'openai-chat',
        model: null,
        apiKeyEnv: null,
      };
      const kept = existing.map((p) =>
        p.name.toLowerCase() === name.data
          ? { ...entry, apiKeyEnv: p.apiKeyEnv }
          : {
              name: p.name,
              baseUrl: p.baseUrl ?? '',
              apiFormat: p.apiFormat,
              model: p.model,
              apiKeyEnv: p.apiKeyEnv,
            },
      );
      if (!existing.some((p) => p.name.toLowerCase() === name.data)) kept.push(entry);
      next = setTomlTables(next, 'custom_providers', kept.map(customProviderTable));
      providerValue = name.data;
      providerId = `custom:${name.data}`;
      boundUrl = url.data;
    } else {
      const id = request.provider.toLowerCase();
      if (!BUILTIN_AGENT_PROVIDERS.includes(id)) {
        throw new BridgeError(
          'invalid-argument',
          `Unknown provider "${request.provider.slice(0, 40)}": choose one of ${BUILTIN_AGENT_PROVIDERS.join(', ')}, or an OpenAI- or Anthropic-compatible endpoint.`,
        );
      }
      providerValue = id;
      providerId = id;
    }
    next = setTomlValue(next, 'agent', 'provider', providerValue);
    next = setTomlValue(next, 'agent', 'default_model', request.model);
    const after = readLayer(next, { layer: 'user', file });
    const errors = after.issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) {
      throw new BridgeError(
        'invalid-argument',
        `Not saved: ${errors.map((e) => `${e.key ?? 'file'}: ${e.message}`).join('; ')}`,
      );
    }
    await writeFileAtomic(file, next);
    this.deps.logger?.info('model connected', { provider: providerId, file });
    if (request.key !== undefined && request.key.trim() !== '' && providerId !== 'ollama') {
      try {
        await this.deps.credentials.store.set(providerId, request.key, {
          ...(boundUrl === undefined ? {} : { baseUrl: boundUrl }),
        });
      } catch (error) {
        await this.deps.userFileSaved?.();
        const message = error instanceof Error ? error.message : String(error);
        throw new BridgeError(
          'invalid-argument',
          `The provider and model were saved to ${file}, but the key was not stored: ${this.deps.credentials.redactor.redact(message)}`,
        );
      }
    }
    await this.deps.userFileSaved?.();
    return this.describe(workspace);
  }
}
