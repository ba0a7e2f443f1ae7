import type { ConfigStore } from '../config/config-store';
import type { PolicyEngine } from './engine';
import { FILE_EDIT_TOOLS } from './tool-names';

/** Whether "Always allow edits in this workspace" can be offered, and why not when it cannot. */
export function allowEditsOffer(
  engine: PolicyEngine,
  file: string | null,
): { readonly offered: boolean; readonly why: string | null } {
  if (file === null)
    return { offered: false, why: 'this run has no workspace vtcode.toml to save the setting to' };
  if (engine.config.trust !== 'trusted')
    return {
      offered: false,
      why: 'this folder is not trusted, so its vtcode.toml can only tighten the policy',
    };
  const open = FILE_EDIT_TOOLS.filter((t) => engine.decideTool(t).decision === 'prompt');
  if (open.length === 0)
    return {
      offered: false,
      why: 'edits are already allowed here; this file asks every time for its own reason',
    };
  return { offered: true, why: null };
}

/**
 * Set the file-edit tools that ask to `allow` in `[tools.policies]` of the workspace vtcode.toml
 * (under the spelling the file already uses). A tool denied stays denied; protected and secret
 * files still ask, because the path decision keeps its own prompt.
 */
export async function allowEdits(
  engine: PolicyEngine,
  store: ConfigStore,
  file: string,
): Promise<{ readonly set: readonly string[]; readonly file: string }> {
  const set: string[] = [];
  for (const tool of FILE_EDIT_TOOLS) {
    if (engine.decideTool(tool).decision !== 'prompt') continue;
    const own = engine.config.tools.policies.get(tool);
    const written =
      own?.source.file === file && own.key ? own.key.slice('tools.policies.'.length) : tool;
    await store.setValue(file, 'tools.policies', written, 'allow');
    set.push(written);
  }
  return { set, file };
}
