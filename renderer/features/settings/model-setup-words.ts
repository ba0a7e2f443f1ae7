import type { ChoiceSource, ModelSetup, SettingsField } from '../../../shared/domain/model-setup';

/** Where a value came from, in words. */
export function sourceWords(source: ChoiceSource): string {
  switch (source.kind) {
    case 'chosen':
      return 'picked for the next session';
    case 'custom-provider':
      return 'the endpoint’s own model';
    case 'default':
      return 'built-in default';
    case 'file':
      return source.layer === 'workspace'
        ? 'from this workspace’s vtcode.toml'
        : source.layer === 'user'
          ? 'from your settings'
          : `from ${source.file}`;
  }
}

/** The Settings field a problem points at, in words for a link. */
export const FIELD_WORDS: Record<SettingsField, string> = {
  provider: 'Settings › Model › Provider',
  model: 'Settings › Model › Default model',
  'base-url': 'Settings › Model › Base URL',
  key: 'Settings › API keys',
};

/** One line: what the next conversation will use, or what is missing. */
export function setupLine(setup: ModelSetup): string {
  if (setup.provider && setup.model) {
    return `${setup.providerLabel ?? setup.provider} · ${setup.model}`;
  }
  return 'No model connected';
}
