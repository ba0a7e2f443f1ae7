import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeLayers } from '../config/effective';
import { readLayer } from '../config/layer';
import { createPolicyEngine, type PolicyEngine } from './engine';
import { createShellParser, type ShellParserOptions } from './shell-parser';

/** A temp folder, realpath'd (macOS /var is a symlink). */
export function tempDir(prefix: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

/** Build an engine over TOML text as the workspace file of `workspace` (for tests and benches). */
export async function engineFromToml(
  toml: string,
  workspace: string,
  home: string,
  appDirs: readonly string[] = [],
  parser: ShellParserOptions = {},
  options: { readonly replayOnly?: boolean } = {},
): Promise<PolicyEngine> {
  const layer = readLayer(toml, { layer: 'workspace', file: join(workspace, 'vtcode.toml') });
  if (!layer.valid) throw new Error(layer.issues.map((i) => i.message).join('; '));
  return createPolicyEngine({
    config: mergeLayers([layer]),
    parser: await createShellParser(parser),
    workspace,
    home,
    appDirs,
    replayOnly: options.replayOnly === true,
  });
}
