import { describe, expect, it } from 'vitest';
import { BUILTIN_PROVIDER_IDS } from '../../../shared/domain/credentials';
import { providerSpec } from '../../credentials/providers';
import { ProviderConfigError, resolveProviderTarget } from './provider-factory';

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

  it('refuses a base URL with a user name or password, without repeating it', () => {
    const entry = {
      name: 'Proxy',
      baseUrl: 'https://me:hunter2-secret@llm.example.com/v1',
      apiFormat: 'auto' as const,
    };
    for (const resolve of [
      () => resolveProviderTarget('proxy', [entry]),
      () => resolveProviderTarget('openai', [], entry.baseUrl),
    ]) {
      const error = (() => {
        try {
          resolve();
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(ProviderConfigError);
      expect((error as Error).message).toMatch(/llm\.example\.com must not contain a user name/);
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
