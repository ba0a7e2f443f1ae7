import { join } from 'node:path';
import { toolCatalog } from '../../agent/tools/registry';
import { mergeLayers, type VtcodeConfig } from '../../config/effective';
import { readLayer } from '../../config/layer';
import { createPolicyEngine } from '../engine';
import { createShellParser, type ShellParser } from '../shell-parser';
import { tempDir } from '../test-helpers';
import type { LintOptions } from './lint-types';

let parser: Promise<ShellParser> | null = null;

/** Tests: a trusted workspace whose files are the given TOML texts, its config and lint options. */
export async function lintFixture(
  workspaceToml: string,
  options: { user?: string; trust?: 'trusted' | 'read_only' | null } = {},
): Promise<{ config: VtcodeConfig; options: LintOptions; workspace: string; userFile: string }> {
  const root = tempDir('lint-');
  const workspace = join(root, 'ws');
  const userFile = join(root, 'user', 'vtcode.toml');
  const layers = [];
  if (options.user !== undefined)
    layers.push(readLayer(options.user, { layer: 'user', file: userFile }));
  layers.push(
    readLayer(workspaceToml, { layer: 'workspace', file: join(workspace, 'vtcode.toml') }),
  );
  for (const l of layers)
    if (l.issues.some((i) => i.severity === 'error'))
      throw new Error(l.issues.map((i) => i.message).join('; '));
  const config = mergeLayers(layers, {
    trust: options.trust === undefined ? 'trusted' : options.trust,
  });
  const engine = createPolicyEngine({
    config,
    parser: await (parser ??= createShellParser()),
    workspace,
    home: join(root, 'home'),
    appDirs: [],
  });
  return { config, options: { engine, knownTools: toolCatalog() }, workspace, userFile };
}
