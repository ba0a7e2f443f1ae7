import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the app keeps its own files (never inside a workspace). */
export interface AppPaths {
  readonly home: string;
  readonly configDir: string;
  readonly dataDir: string;
  readonly logDir: string;
}

const APP_DIR = 'vtcode-desktop';

/**
 * Resolve the app's directories the way each OS expects. `VTCODE_DESKTOP_HOME` puts everything
 * under one folder (portable installs and tests).
 */
export function resolveAppPaths(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = env.HOME ?? homedir(),
): AppPaths {
  const override = env.VTCODE_DESKTOP_HOME;
  if (override) {
    return {
      home,
      configDir: join(override, 'config'),
      dataDir: join(override, 'data'),
      logDir: join(override, 'data', 'logs'),
    };
  }
  let configDir: string;
  let dataDir: string;
  if (platform === 'darwin') {
    configDir = join(home, 'Library', 'Application Support', APP_DIR);
    dataDir = configDir;
  } else if (platform === 'win32') {
    const roaming = env.APPDATA ?? join(home, 'AppData', 'Roaming');
    const local = env.LOCALAPPDATA ?? join(home, 'AppData', 'Local');
    configDir = join(roaming, APP_DIR);
    dataDir = join(local, APP_DIR);
  } else {
    configDir = join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_DIR);
    dataDir = join(env.XDG_DATA_HOME || join(home, '.local', 'share'), APP_DIR);
  }
  return { home, configDir, dataDir, logDir: join(dataDir, 'logs') };
}
