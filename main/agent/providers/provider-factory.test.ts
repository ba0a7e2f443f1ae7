import { describe, expect, it } from 'vitest';
import { BUILTIN_PROVIDER_IDS } from '../../../shared/domain/credentials';
import { providerSpec } from '../../credentials/providers';
import { resolveProviderTarget } from './provider-factory';

describe('resolveProviderTarget', () => {
  it.each(BUILTIN_PROVIDER_IDS)('talks to %s at the URL its stored key is bound to', (id) => {
    const target = resolveProviderTarget(id, []);
    expect(target).toMatchObject({ id, needsKey: true });
    expect(target.baseUrl).toBe(providerSpec(id).baseUrl);
  });

  it('sends no key to a keyless (workspace) endpoint, nor to ollama', () => {
    const local = {
      name: 'Local',
      baseUrl: 'http://127.0.0.1:8080/v1/',
      apiFormat: 'auto' as const,
    };
    expect(resolveProviderTarget('local', [{ ...local, keyless: true }])).toEqual({
      id: 'custom:local',
      format: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:8080/v1',
      needsKey: false,
    });
    expect(resolveProviderTarget('custom:local', [local]).needsKey).toBe(true);
    expect(resolveProviderTarget('ollama', []).needsKey).toBe(false);
  });
});
