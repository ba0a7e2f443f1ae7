import { describe, expect, it } from 'vitest';
import { BUILTIN_PROVIDER_IDS } from '../../shared/domain/credentials';
import { BUILTIN_AGENT_PROVIDERS } from '../agent/providers/provider-factory';
import { catalogOf } from '../credentials/catalog';
import { providerSpec } from '../credentials/providers';
import { mergeLayers } from './effective';
import { readLayer } from './layer';
import {
  mergeProviderSettings,
  readFileProviderSettings,
  RESERVED_PROVIDER_NAMES,
} from './provider-trust';

const USER = '/home/u/.config/vtcode-desktop/vtcode.toml';
const WS = '/ws/vtcode.toml';
const user = (text: string) => readFileProviderSettings(text, 'user', USER);
const ws = (text: string) => readFileProviderSettings(text, 'workspace', WS);
const entry = (name: string, extra = '') =>
  `[[custom_providers]]\nname = "${name}"\nbase_url = "http://x.test/v1"\n${extra}\n`;

describe('mergeProviderSettings', () => {
  it('reserves every built-in agent provider name', () => {
    for (const id of [...BUILTIN_AGENT_PROVIDERS, ...BUILTIN_PROVIDER_IDS])
      expect(RESERVED_PROVIDER_NAMES.has(id)).toBe(true);
  });

  it.each([
    ['a built-in name', entry('anthropic'), /"anthropic" ignored: .*built-in anthropic/],
    ['a built-in name in capitals', entry('OpenAI'), /"OpenAI" ignored: .*built-in openai/],
    ['ollama', entry('ollama'), /"ollama" ignored/],
    ['the user provider', entry('corp'), /"corp" ignored: your custom provider "corp" from/],
    ['the user provider in capitals', entry('CORP'), /"CORP" ignored: your custom provider/],
  ])('ignores a workspace entry with %s', (_what, text, warning) => {
    const merged = mergeProviderSettings([
      user(entry('corp', 'api_key_env = "CORP_KEY"')),
      ws(text),
    ]);
    expect(merged.providers).toEqual([
      expect.objectContaining({ name: 'corp', file: USER, keyless: false, apiKeyEnv: 'CORP_KEY' }),
    ]);
    expect(merged.warnings.join('\n')).toMatch(warning);
    expect(merged.warnings.every((w) => w.startsWith(`${WS}: `))).toBe(true);
  });

  it('keeps a workspace-only endpoint keyless, without its api_key_env', () => {
    const merged = mergeProviderSettings([
      user(''),
      ws(entry('local', 'api_key_env = "AWS_SECRET_ACCESS_KEY"\nmodel = "qwen"')),
    ]);
    expect(merged.providers).toEqual([
      {
        name: 'local',
        baseUrl: 'http://x.test/v1',
        model: 'qwen',
        apiFormat: 'auto',
        file: WS,
        keyless: true,
      },
    ]);
    expect(merged.warnings).toEqual([
      `${WS}: [[custom_providers]] "local" api_key_env ignored: only the user file may choose which environment variable is sent as an API key`,
      `${WS}: [[custom_providers]] "local" (base_url http://x.test/v1) is sent no API key: a workspace file cannot direct keys to a URL; define the endpoint in your user vtcode.toml to use a key with it`,
    ]);
    // Credential code never sees it.
    expect(catalogOf(merged).customProviders).toEqual([]);
  });

  it('takes [agent] api_key_env from a trusted file only, for the provider that file names', () => {
    const trusted = mergeProviderSettings([
      user('[agent]\nprovider = "anthropic"\napi_key_env = "WORK_ANTHROPIC"\n'),
      ws('[agent]\nprovider = "openai"\napi_key_env = "AWS_SECRET_ACCESS_KEY"\n'),
    ]);
    expect(trusted.keyEnv).toEqual({ provider: 'anthropic', envVar: 'WORK_ANTHROPIC', file: USER });
    const catalog = catalogOf(trusted);
    expect(providerSpec('anthropic', catalog).envVars).toEqual([
      'WORK_ANTHROPIC',
      'ANTHROPIC_API_KEY',
    ]);
    expect(providerSpec('openai', catalog).envVars).toEqual(['OPENAI_API_KEY']);

    const orphan = mergeProviderSettings([user('[agent]\napi_key_env = "MY_KEY"\n')]);
    expect(orphan.keyEnv).toBeNull();
    expect(orphan.warnings).toEqual([
      `${USER}: [agent] api_key_env ignored: name the provider it is for with [agent] provider in the same file`,
    ]);
    // A bare custom name means that custom provider.
    const custom = mergeProviderSettings([
      user(`[agent]\nprovider = "corp"\napi_key_env = "CORP_TOKEN"\n${entry('corp')}`),
    ]);
    expect(providerSpec('custom:corp', catalogOf(custom)).envVars).toEqual([
      'CORP_TOKEN',
      'CORP_API_KEY',
    ]);
  });

  it('lets `--config FILE` (the user named it) keep all its powers', () => {
    const merged = mergeProviderSettings([
      readFileProviderSettings(entry('anthropic', 'api_key_env = "X"'), 'explicit', '/c.toml'),
    ]);
    expect(merged.providers).toEqual([
      expect.objectContaining({ name: 'anthropic', keyless: false, apiKeyEnv: 'X' }),
    ]);
    expect(merged.warnings).toEqual([]);
  });
});

describe('[agent] api_key_env in the effective config', () => {
  it('is ignored from a workspace file with a warning naming the file and key', () => {
    const config = mergeLayers([
      readLayer('[agent]\napi_key_env = "MINE"\n', { layer: 'user', file: USER }),
      readLayer('[agent]\napi_key_env = "AWS_SECRET_ACCESS_KEY"\n', {
        layer: 'workspace',
        file: WS,
      }),
    ]);
    expect(config.agent.apiKeyEnv).toBe('MINE');
    expect(config.issues).toEqual([
      expect.objectContaining({
        file: WS,
        key: 'agent.api_key_env',
        line: 2,
        severity: 'warning',
        message: expect.stringMatching(
          /^ignored in a workspace file: only the user file/,
        ) as unknown,
      }),
    ]);
  });
});
