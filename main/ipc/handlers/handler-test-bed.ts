import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices, type Services } from '../../core/services';
import { createCredentials } from '../../credentials/credentials';
import { memoryKeychain } from '../../credentials/memory-keychain';
import { createLogger } from '../../log/logger';
import { resolveAppPaths, type AppPaths } from '../../platform/paths';
import { trustForTests } from '../../workspace/trust-testing';
import { createRouter, type Router } from '../router';
import { createHandlers } from './index';

/** Every service behind the real handlers, over a temp home, a trusted workspace and an in-memory keychain. */
export interface HandlerTestBed {
  readonly root: string;
  readonly workspace: string;
  readonly paths: AppPaths;
  readonly services: Services;
  readonly router: Router;
}

/** Make the bed; the workspace's vtcode.toml is `workspaceToml`. Close `services` and remove `root` after. */
export async function openHandlerTestBed(
  prefix: string,
  workspaceToml: string,
): Promise<HandlerTestBed> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const workspace = join(root, 'home', 'project');
  await mkdir(workspace, { recursive: true });
  const env = {
    HOME: join(root, 'home'),
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    VTCODE_DESKTOP_HOME: join(root, 'app'),
  };
  trustForTests(env, workspace);
  await writeFile(join(workspace, 'vtcode.toml'), workspaceToml);
  const paths = resolveAppPaths(env, 'linux');
  const logger = createLogger({ level: 'error' });
  const services = createServices({
    paths,
    logger,
    env,
    host: { kind: 'browser', electronVersion: null },
    credentials: createCredentials({ env, backend: memoryKeychain() }),
  });
  return {
    root,
    workspace,
    paths,
    services,
    router: createRouter(createHandlers(services), logger),
  };
}
