import { describe, expect, it } from 'vitest';
import {
  UnknownProviderError,
  defaultCustomEnvVar,
  listProviderIds,
  parseProviderId,
  providerSpec,
} from './providers';

describe('parseProviderId', () => {
  it.each([
    ['openai', 'openai'],
    [' Anthropic ', 'anthropic'],
    ['GEMINI', 'gemini'],
    ['custom:my-llm', 'custom:my-llm'],
    ['Custom:Local.LLM_2', 'custom:local.llm_2'],
  ])('%j -> %s', (raw, id) => {
    expect(parseProviderId(raw)).toBe(id);
  });

  it.each([
    '',
    'mistral',
    'custom:',
    'custom:-x',
    'custom:a b',
    'custom:../etc',
    `custom:${'a'.repeat(65)}`,
    'openai\0',
  ])('rejects %j with the list of providers', (raw) => {
    expect(() => parseProviderId(raw)).toThrow(UnknownProviderError);
    expect(() => parseProviderId(raw)).toThrow(/openai, anthropic, gemini/);
  });
});

describe('providerSpec', () => {
  it('reads GEMINI_API_KEY then GOOGLE_API_KEY', () => {
    expect(providerSpec('gemini').envVars).toEqual(['GEMINI_API_KEY', 'GOOGLE_API_KEY']);
  });

  it("knows a built-in provider's own variables, never an override's or a custom one's", () => {
    const catalog = {
      envOverrides: { openai: 'WORK_OPENAI_KEY' },
      customProviders: [{ name: 'corp', apiKeyEnv: 'CORP_KEY' }],
    };
    expect(providerSpec('openai', catalog).knownEnvVars).toEqual(['OPENAI_API_KEY']);
    expect(providerSpec('gemini').knownEnvVars).toEqual(['GEMINI_API_KEY', 'GOOGLE_API_KEY']);
    expect(providerSpec('custom:corp', catalog).knownEnvVars).toEqual([]);
  });

  it('puts an api_key_env override first and ignores a malformed one', () => {
    expect(providerSpec('openai', { envOverrides: { openai: 'WORK_OPENAI_KEY' } }).envVars).toEqual(
      ['WORK_OPENAI_KEY', 'OPENAI_API_KEY'],
    );
    expect(providerSpec('openai', { envOverrides: { openai: 'BAD NAME;' } }).envVars).toEqual([
      'OPENAI_API_KEY',
    ]);
  });

  it('takes a custom provider base URL and env var from config, else NAME_API_KEY', () => {
    const config = {
      customProviders: [
        { name: 'Local', baseUrl: 'http://127.0.0.1:8080/v1', apiKeyEnv: 'LOCAL_KEY' },
      ],
    };
    const spec = providerSpec('custom:local', config);
    expect(spec).toMatchObject({
      custom: true,
      baseUrl: 'http://127.0.0.1:8080/v1',
      envVars: ['LOCAL_KEY'],
      keyPrefix: null,
    });
    expect(providerSpec('custom:other.llm').envVars).toEqual(['OTHER_LLM_API_KEY']);
    expect(providerSpec('custom:other.llm').baseUrl).toBeNull();
    expect(defaultCustomEnvVar('my-llm')).toBe('MY_LLM_API_KEY');
  });
});

describe('listProviderIds', () => {
  it('lists built-ins, configured custom providers and extra ids once each', () => {
    const ids = listProviderIds({ customProviders: [{ name: 'Local' }, { name: 'bad name' }] }, [
      'custom:local',
      'custom:found-in-keychain',
      'openai',
    ]);
    expect(ids).toEqual([
      'openai',
      'anthropic',
      'gemini',
      'openrouter',
      'deepseek',
      'xai',
      'moonshot',
      'custom:local',
      'custom:found-in-keychain',
    ]);
  });
});
