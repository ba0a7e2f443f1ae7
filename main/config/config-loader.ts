import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ConfigLayer } from '../../shared/domain/policy';
import { resolveAppPaths } from '../platform/paths';
import { mergeLayers, type VtcodeConfig } from './effective';
import { readLayer, type ConfigLayerData } from './layer';
import { TrustStore } from '../workspace/trust-store';
import type { WorkspaceTrust } from '../../shared/domain/workspace';

export const CONFIG_FILE_NAME = 'vtcode.toml';

/** One file to read, lowest precedence first. */
export interface ConfigFileRef {
  readonly layer: ConfigLayer;
  readonly path: string;
  /** For the workspace file: its folder's trust, asked at every read (it can change any time). */
  readonly trust?: () => WorkspaceTrust | null;
}

/** Which files make up the policy: `--config FILE` alone, else the user file then the workspace's. */
export function configFiles(options: {
  readonly workspace: string | null;
  readonly env?: NodeJS.ProcessEnv;
  readonly explicit?: string | null;
  /** Where trust choices are kept; by default the app's own store (the CLI and the app agree). */
  readonly trust?: TrustStore;
}): ConfigFileRef[] {
  if (options.explicit) return [{ layer: 'explicit', path: resolve(options.explicit) }];
  const paths = resolveAppPaths(options.env);
  const files: ConfigFileRef[] = [{ layer: 'user', path: join(paths.configDir, CONFIG_FILE_NAME) }];
  if (options.workspace) {
    const workspace = resolve(options.workspace);
    const store = options.trust ?? TrustStore.inDataDir(paths.dataDir);
    files.push({
      layer: 'workspace',
      path: join(workspace, CONFIG_FILE_NAME),
      trust: () => store.get(workspace),
    });
  }
  return files;
}

export interface LoadResult {
  readonly config: VtcodeConfig;
  /** False when any file had an error: callers keep the previous valid config. */
  readonly ok: boolean;
}

/**
 * Read, validate and merge the config files. A missing file is not an error (except `--config`).
 * `texts` gives the contents to use for some paths instead of reading them (a policy draft).
 */
export async function loadConfig(
  files: readonly ConfigFileRef[],
  texts: ReadonlyMap<string, string> = new Map(),
): Promise<LoadResult> {
  const layers: ConfigLayerData[] = [];
  const missing: ConfigFileRef[] = [];
  let ok = true;
  for (const file of files) {
    let text: string;
    try {
      text = texts.get(file.path) ?? (await readFile(file.path, 'utf8'));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ENOENT' && file.layer !== 'explicit') {
        missing.push(file);
        continue;
      }
      ok = false;
      const why =
        code === 'ENOENT'
          ? 'the file does not exist'
          : error instanceof Error
            ? error.message
            : String(error);
      layers.push({
        source: { layer: file.layer, file: file.path },
        values: new Map(),
        issues: [
          {
            file: file.path,
            key: null,
            line: null,
            column: null,
            message: `cannot read: ${why}`,
            severity: 'error',
          },
        ],
        valid: false,
      });
      continue;
    }
    const layer = readLayer(text, { layer: file.layer, file: file.path });
    ok &&= layer.valid;
    layers.push(layer);
  }
  // `--config FILE` is the person's own file; a workspace file is as trusted as its folder.
  const workspace = files.find((f) => f.layer === 'workspace');
  const merged = mergeLayers(layers, workspace ? { trust: workspace.trust?.() ?? null } : {});
  const files_ = [
    ...merged.files,
    ...missing.map((m) => ({ layer: m.layer, path: m.path, exists: false, valid: true })),
  ];
  return { config: { ...merged, files: files_ }, ok };
}

/** The effective config when nothing has been read: built-in defaults only. */
export function defaultConfig(): VtcodeConfig {
  return mergeLayers([]);
}
