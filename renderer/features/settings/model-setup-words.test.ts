import { describe, expect, it } from 'vitest';
import type { ChoiceSource, ModelSetup } from '../../../shared/domain/model-setup';
import { setupLine, sourceWords } from './model-setup-words';

const setup = (over: Partial<ModelSetup>): ModelSetup => ({
  provider: 'openai',
  providerLabel: 'OpenAI',
  providerSource: { kind: 'default' },
  model: 'gpt-5',
  modelSource: { kind: 'default' },
  baseUrl: null,
  key: 'stored',
  ready: true,
  problem: null,
  ...over,
});

describe('setupLine', () => {
  it.each<[string, Partial<ModelSetup>, string]>([
    ['label and model', {}, 'OpenAI · gpt-5'],
    ['the id without a label', { providerLabel: null }, 'openai · gpt-5'],
    ['nothing without a model', { model: null }, 'No model connected'],
    ['nothing without a provider', { provider: null }, 'No model connected'],
  ])('%s', (_, over, line) => {
    expect(setupLine(setup(over))).toBe(line);
  });
});

describe('sourceWords', () => {
  it.each<[ChoiceSource, string]>([
    [{ kind: 'chosen' }, 'picked for the next session'],
    [{ kind: 'custom-provider', file: null }, 'the endpoint’s own model'],
    [{ kind: 'default' }, 'built-in default'],
    [
      { kind: 'file', layer: 'workspace', file: '/w/vtcode.toml' },
      'from this workspace’s vtcode.toml',
    ],
    [{ kind: 'file', layer: 'user', file: '/h/vtcode.toml' }, 'from your settings'],
    [{ kind: 'file', layer: 'explicit', file: '/x/ci.toml' }, 'from /x/ci.toml'],
  ])('%j', (source, words) => {
    expect(sourceWords(source)).toBe(words);
  });
});
