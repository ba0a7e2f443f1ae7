import type { ChoiceSource, ModelProblem } from '../../shared/domain/model-setup';
import type { Provenance } from '../../shared/domain/policy';
import type { VtcodeConfig } from '../config/effective';
import type { ProviderConfig } from '../config/provider-trust';
import {
  ProviderConfigError,
  resolveProviderTarget,
  type ProviderTarget,
} from './providers/provider-factory';

/*
 * Which provider and model a new session talks to, and where each came from. A session is built
 * from this (agent-runtime.ts), and the header, Health, the first-run form and the Test buttons
 * describe it from this too: what they show is what runs.
 */

/** Provider, model and endpoint picked for the next session; null or empty: the files decide. */
export interface ModelChoiceInput {
  readonly provider?: string | null;
  readonly model?: string | null;
  readonly baseUrl?: string | null;
}

/** The provider used when no file and no header names one (VT Code's own default). */
export const DEFAULT_PROVIDER = 'openai';

export interface ResolvedModel {
  readonly target: ProviderTarget;
  readonly providerSource: ChoiceSource;
  readonly modelId: string;
  readonly modelSource: ChoiceSource;
}

export type ModelResolution =
  | ({ readonly ok: true } & ResolvedModel)
  | {
      readonly ok: false;
      readonly problem: ModelProblem;
      /** What could be resolved before the problem, for the header. */
      readonly target: ProviderTarget | null;
      readonly providerName: string | null;
      readonly providerSource: ChoiceSource;
      readonly modelId: string | null;
      readonly modelSource: ChoiceSource;
    };

function fromFile(source: Provenance): ChoiceSource {
  return source.layer === 'default' || source.file === null
    ? { kind: 'default' }
    : { kind: 'file', layer: source.layer, file: source.file };
}

const nonEmpty = (v: string | null | undefined): string | null =>
  v === null || v === undefined || v.trim() === '' ? null : v.trim();

/** Resolve what a new session would use; never throws (a problem names the field to fix). */
export function resolveModelChoice(
  config: VtcodeConfig,
  providers: ProviderConfig,
  choice: ModelChoiceInput,
): ModelResolution {
  const chosenProvider = nonEmpty(choice.provider);
  const providerName = chosenProvider ?? config.agent.provider ?? DEFAULT_PROVIDER;
  const providerSource: ChoiceSource = chosenProvider
    ? { kind: 'chosen' }
    : fromFile(config.agentSources.provider);
  const chosenModel = nonEmpty(choice.model);
  let target: ProviderTarget;
  try {
    target = resolveProviderTarget(providerName, providers.providers, nonEmpty(choice.baseUrl));
  } catch (error) {
    const message = error instanceof ProviderConfigError ? error.message : String(error);
    return {
      ok: false,
      problem: {
        field: /base_url|URL/i.test(message) ? 'base-url' : 'provider',
        provider: providerName,
        message,
      },
      target: null,
      providerName,
      providerSource,
      modelId: chosenModel ?? config.agent.defaultModel,
      modelSource: chosenModel ? { kind: 'chosen' } : fromFile(config.agentSources.defaultModel),
    };
  }
  const custom = providers.providers.find((c) => `custom:${c.name.toLowerCase()}` === target.id);
  let modelId: string | null = chosenModel;
  let modelSource: ChoiceSource = { kind: 'chosen' };
  if (modelId === null && config.agent.defaultModel) {
    modelId = config.agent.defaultModel;
    modelSource = fromFile(config.agentSources.defaultModel);
  }
  if (modelId === null && custom?.model) {
    modelId = custom.model;
    modelSource = { kind: 'custom-provider', file: custom.file };
  }
  if (modelId === null) {
    return {
      ok: false,
      problem: {
        field: providerSource.kind === 'default' ? 'provider' : 'model',
        provider: target.id,
        message:
          providerSource.kind === 'default'
            ? 'No model is connected yet: choose a provider and a model.'
            : `No model is chosen for ${target.id}: choose one.`,
      },
      target,
      providerName,
      providerSource,
      modelId: null,
      modelSource: { kind: 'default' },
    };
  }
  return { ok: true, target, providerSource, modelId, modelSource };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * A custom endpoint on this machine may need no key (a local server): when none is stored or
 * set for it, it is talked to without one rather than refused.
 */
export function keyOptional(target: ProviderTarget): boolean {
  if (!target.id.startsWith('custom:')) return false;
  try {
    return LOOPBACK.has(new URL(target.baseUrl).hostname);
  } catch {
    return false;
  }
}
