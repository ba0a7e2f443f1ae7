import { readFile } from 'node:fs/promises';
import { BUILTIN_PROVIDER_IDS } from '../../shared/domain/credentials';
import type { ConfigLayer } from '../../shared/domain/policy';
import type { ConfigFileRef } from './config-loader';
import { customProvidersOf, type CustomProviderEntry } from './custom-providers';
import { parseToml } from './toml-text';

/*
 * Which provider settings may touch credentials. A workspace vtcode.toml comes with a cloned
 * repository, so it may choose among the user's providers (`[agent] provider`, `default_model`)
 * and add endpoints of its own, but it never decides where a key goes or which variable is one:
 * its `api_key_env` is ignored, it cannot redefine a built-in or a user provider, and the
 * endpoints it adds are talked to without a key. The user file (or `--config FILE`, which the
 * user names) keeps all its powers.
 */

/** Provider names a custom provider of a workspace file may not take (the built-in ones). */
export const RESERVED_PROVIDER_NAMES: ReadonlySet<string> = new Set<string>([
  ...BUILTIN_PROVIDER_IDS,
  'ollama',
]);

/** A `[[custom_providers]]` entry in force, with the file it came from. */
export interface LoadedCustomProvider extends CustomProviderEntry {
  readonly file: string;
  /** From a workspace file: it is talked to, but never sent a key (keychain or environment). */
  readonly keyless: boolean;
}

/** `[agent] api_key_env` of a trusted file and the `[agent] provider` of that same file. */
export interface AgentKeyEnv {
  readonly provider: string;
  readonly envVar: string;
  readonly file: string;
}

/** The provider settings in force, as far as keys are concerned. */
export interface ProviderConfig {
  readonly providers: readonly LoadedCustomProvider[];
  readonly keyEnv: AgentKeyEnv | null;
  /** What was ignored and why, each naming its file and key. */
  readonly warnings: readonly string[];
}

/** One file's `[[custom_providers]]` and `[agent]` key settings, as read. */
export interface FileProviderSettings {
  readonly layer: ConfigLayer;
  readonly file: string;
  readonly providers: readonly CustomProviderEntry[];
  readonly agentProvider: string | null;
  readonly agentKeyEnv: string | null;
  readonly warnings: readonly string[];
}

/** True for files the user wrote or named (the user file, `--config FILE`). */
export function isTrustedLayer(layer: ConfigLayer): boolean {
  return layer !== 'workspace';
}

/** Parse one file's provider settings; a file that is not TOML has none. */
export function readFileProviderSettings(
  text: string,
  layer: ConfigLayer,
  file: string,
): FileProviderSettings {
  const empty = { layer, file, providers: [], agentProvider: null, agentKeyEnv: null };
  const parsed = parseToml(text, file);
  if (!parsed.ok) return { ...empty, warnings: [] };
  const agent = (parsed.table as Record<string, unknown>).agent;
  const field = (name: string): string | null => {
    if (typeof agent !== 'object' || agent === null || Array.isArray(agent)) return null;
    const value = (agent as Record<string, unknown>)[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  };
  const custom = customProvidersOf(parsed.table, file);
  return {
    ...empty,
    providers: custom.providers,
    agentProvider: field('provider'),
    agentKeyEnv: field('api_key_env'),
    warnings: custom.warnings,
  };
}

/** Why a workspace entry is ignored, or null when it may stand (keyless). */
export function workspaceRefusal(
  name: string,
  trusted: ReadonlyMap<string, { readonly file: string }>,
): string | null {
  const lower = name.toLowerCase();
  if (RESERVED_PROVIDER_NAMES.has(lower)) {
    return `a workspace file cannot define a provider named like the built-in ${lower} provider (it would be sent that provider's API key)`;
  }
  const mine = trusted.get(lower);
  if (mine) {
    return `your custom provider "${lower}" from ${mine.file} is used instead; a workspace file cannot redefine it (it would take its API key to another URL)`;
  }
  return null;
}

/**
 * A workspace file's entries as the agent may use them (keyless): what was ignored and why
 * (`warnings`), and a note per kept endpoint that it is sent no key (`keylessNotes`).
 */
export function vetWorkspaceProviders(
  file: string,
  entries: readonly CustomProviderEntry[],
  trusted: ReadonlyMap<string, { readonly file: string }>,
): {
  readonly kept: readonly LoadedCustomProvider[];
  readonly warnings: readonly string[];
  readonly keylessNotes: readonly string[];
} {
  const kept = new Map<string, LoadedCustomProvider>();
  const warnings: string[] = [];
  const keylessNotes: string[] = [];
  for (const p of entries) {
    const at = `${file}: [[custom_providers]] "${p.name}"`;
    const refusal = workspaceRefusal(p.name, trusted);
    if (refusal !== null) {
      warnings.push(`${at} ignored: ${refusal}`);
      continue;
    }
    if (p.apiKeyEnv !== undefined) {
      warnings.push(
        `${at} api_key_env ignored: only the user file may choose which environment variable is sent as an API key`,
      );
    }
    const { apiKeyEnv: _ignored, ...rest } = p;
    kept.set(p.name.toLowerCase(), { ...rest, file, keyless: true });
    keylessNotes.push(
      `${at}${p.baseUrl ? ` (base_url ${p.baseUrl})` : ''} is sent no API key: a workspace file cannot direct keys to a URL; define the endpoint in your user vtcode.toml to use a key with it`,
    );
  }
  return { kept: [...kept.values()], warnings, keylessNotes };
}

/** Merge the files' settings (lowest precedence first) under the rules above. */
export function mergeProviderSettings(files: readonly FileProviderSettings[]): ProviderConfig {
  const warnings: string[] = files.flatMap((f) => f.warnings);
  const trusted = new Map<string, LoadedCustomProvider>();
  let keyEnv: AgentKeyEnv | null = null;
  for (const f of files.filter((x) => isTrustedLayer(x.layer))) {
    for (const p of f.providers) {
      trusted.set(p.name.toLowerCase(), { ...p, file: f.file, keyless: false });
    }
    if (f.agentKeyEnv !== null && f.agentProvider !== null) {
      keyEnv = { provider: f.agentProvider, envVar: f.agentKeyEnv, file: f.file };
    } else if (f.agentKeyEnv !== null) {
      warnings.push(
        `${f.file}: [agent] api_key_env ignored: name the provider it is for with [agent] provider in the same file`,
      );
    }
  }
  const keyless = new Map<string, LoadedCustomProvider>();
  for (const f of files.filter((x) => !isTrustedLayer(x.layer))) {
    const vetted = vetWorkspaceProviders(f.file, f.providers, trusted);
    warnings.push(...vetted.warnings, ...vetted.keylessNotes);
    for (const p of vetted.kept) keyless.set(p.name.toLowerCase(), p);
  }
  return { providers: [...trusted.values(), ...keyless.values()], keyEnv, warnings };
}

/** Read the provider settings of the config files (see configFiles), missing files skipped. */
export async function readProviderConfig(files: readonly ConfigFileRef[]): Promise<ProviderConfig> {
  const read: FileProviderSettings[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file.path, 'utf8');
    } catch {
      continue;
    }
    read.push(readFileProviderSettings(text, file.layer, file.path));
  }
  return mergeProviderSettings(read);
}
